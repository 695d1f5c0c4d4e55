package io.scorepipe.messages;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

import io.scorepipe.audit.AuditRecord;

import tools.jackson.core.JacksonException;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one JSON configuration of every Kafka message: producers write with {@link #write} (or the
 * {@link MessageSerializer}), consumers read with {@link #read}. Thread-safe.
 */
public final class Messages {

    private static final JsonMapper JSON = JsonMapper.builder()
            // NaN and Infinity are read, so that validation can name the feature instead of a parse error
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            // producers of other versions may add fields; a reader takes what it knows
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private Messages() {
    }

    /** The message as JSON bytes. */
    public static byte[] write(Object message) {
        return message instanceof AuditRecord audit ? AuditRecordJson.write(JSON, audit) : JSON.writeValueAsBytes(message);
    }

    /** The message as JSON bytes, written by the data binding whatever its type (for tests). */
    static byte[] writeBound(Object message) {
        return JSON.writeValueAsBytes(message);
    }

    /**
     * Reads one message.
     *
     * @throws UnreadableMessageException naming what is wrong, when the bytes are not a {@code type}
     */
    public static <T> T read(byte @Nullable [] bytes, Class<T> type) {
        return read(bytes, type, "for a " + type.getSimpleName());
    }

    /**
     * Reads one message, saying in any error what form the value should have had, for records a
     * person writes by hand (a scoring request, a training example).
     *
     * @param form how the expected JSON looks, for example {@code of the form {"features": [...]}}
     * @throws UnreadableMessageException naming what is wrong, when the bytes are not a {@code type}
     */
    public static <T> T read(byte @Nullable [] bytes, Class<T> type, String form) {
        String expected = "a JSON object " + form;
        if (bytes == null || bytes.length == 0) {
            throw new UnreadableMessageException("the record has no value; expected " + expected);
        }
        T message;
        try {
            message = JSON.readValue(bytes, type);
        }
        catch (JacksonException ex) {
            // a record's compact constructor refusing a value says it better than Jackson's wrapper does
            String why = ex.getCause() instanceof RuntimeException refused && refused.getMessage() != null
                    ? refused.getMessage() : ex.getOriginalMessage();
            throw new UnreadableMessageException("the value is not " + expected + ": " + why, ex);
        }
        catch (IllegalArgumentException | NullPointerException ex) {
            // a record's compact constructor refused a value
            throw new UnreadableMessageException("the value is not " + expected + ": " + ex.getMessage(), ex);
        }
        if (message == null) {
            throw new UnreadableMessageException("the record is JSON null; expected " + expected);
        }
        return message;
    }

    /**
     * Reads one record's value, or logs why it cannot be read and gives nothing: for a listener
     * that skips what it cannot read (its sender's mistake, with nothing to retry).
     */
    public static <T> Optional<T> readOrSkip(ConsumerRecord<?, byte[]> record, Class<T> type, Logger log) {
        try {
            return Optional.of(read(record.value(), type));
        }
        catch (UnreadableMessageException ex) {
            log.error("Unreadable {} at {}-{}@{} skipped: {}", type.getSimpleName(), record.topic(), record.partition(),
                    record.offset(), ex.getMessage());
            return Optional.empty();
        }
    }

    /** The JSON text of a message, for logs and dead letters. */
    public static String text(byte @Nullable [] bytes) {
        return bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8);
    }
}
