package io.scorepipe.messages;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.jspecify.annotations.Nullable;

/**
 * What a dead letter says in its headers: why its record could not be used, and where the record
 * is. The letter's value is the source record's bytes, unchanged (or their beginning, when the
 * whole would not fit beside these headers).
 *
 * @param reason why the record was refused, for a person
 * @param sourceTopic the topic the record came from
 * @param sourcePartition its partition
 * @param sourceOffset its offset, where the whole record stays
 * @param valueCutFrom the source value's full length in bytes, when the letter holds only its beginning
 */
public record DeadLetter(String reason, String sourceTopic, int sourcePartition, long sourceOffset,
        @Nullable Integer valueCutFrom) {

    public static final String REASON = "scorepipe.dlt.reason";
    public static final String SOURCE_TOPIC = "scorepipe.dlt.source-topic";
    public static final String SOURCE_PARTITION = "scorepipe.dlt.source-partition";
    public static final String SOURCE_OFFSET = "scorepipe.dlt.source-offset";
    public static final String VALUE_CUT_FROM = "scorepipe.dlt.value-cut-from";

    public DeadLetter {
        Objects.requireNonNull(reason, "a dead letter says why");
        Objects.requireNonNull(sourceTopic, "a dead letter says where from");
    }

    /** The same letter, saying its value is the first bytes of a value {@code length} bytes long. */
    public DeadLetter cutFrom(int length) {
        return new DeadLetter(reason, sourceTopic, sourcePartition, sourceOffset, length);
    }

    /** Adds this letter's headers to a record's. */
    public void writeTo(Headers headers) {
        headers.add(REASON, utf8(reason));
        headers.add(SOURCE_TOPIC, utf8(sourceTopic));
        headers.add(SOURCE_PARTITION, utf8(Integer.toString(sourcePartition)));
        headers.add(SOURCE_OFFSET, utf8(Long.toString(sourceOffset)));
        if (valueCutFrom != null) {
            headers.add(VALUE_CUT_FROM, utf8(Integer.toString(valueCutFrom)));
        }
    }

    /**
     * Reads a letter's headers.
     *
     * @throws UnreadableMessageException when the reason or the source is missing
     */
    public static DeadLetter readFrom(Headers headers) {
        try {
            String cut = text(headers, VALUE_CUT_FROM);
            return new DeadLetter(required(headers, REASON), required(headers, SOURCE_TOPIC),
                    Integer.parseInt(required(headers, SOURCE_PARTITION)), Long.parseLong(required(headers, SOURCE_OFFSET)),
                    cut == null ? null : Integer.valueOf(cut));
        }
        catch (NumberFormatException ex) {
            throw new UnreadableMessageException("not a dead letter's headers: " + ex.getMessage(), ex);
        }
    }

    private static String required(Headers headers, String key) {
        String value = text(headers, key);
        if (value == null) {
            throw new UnreadableMessageException("not a dead letter's headers: " + key + " is missing");
        }
        return value;
    }

    private static @Nullable String text(Headers headers, String key) {
        Header header = headers.lastHeader(key);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
