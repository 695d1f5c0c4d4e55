package io.scorepipe.messages;

import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

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
        return JSON.writeValueAsBytes(message);
    }

    /**
     * Reads one message.
     *
     * @throws UnreadableMessageException naming what is wrong, when the bytes are not a {@code type}
     */
    public static <T> T read(byte @Nullable [] bytes, Class<T> type) {
        if (bytes == null || bytes.length == 0) {
            throw new UnreadableMessageException("the record has no value; expected " + describe(type));
        }
        try {
            T message = JSON.readValue(bytes, type);
            if (message == null) {
                throw new UnreadableMessageException("the record is JSON null; expected " + describe(type));
            }
            return message;
        }
        catch (JacksonException ex) {
            throw new UnreadableMessageException("not " + describe(type) + ": " + ex.getOriginalMessage(), ex);
        }
        catch (IllegalArgumentException | NullPointerException ex) {
            // a record's compact constructor refused a value
            throw new UnreadableMessageException("not " + describe(type) + ": " + ex.getMessage(), ex);
        }
    }

    /** The JSON text of a message, for logs and dead letters. */
    public static String text(byte @Nullable [] bytes) {
        return bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8);
    }

    private static String describe(Class<?> type) {
        return "a " + type.getSimpleName() + " JSON object";
    }
}
