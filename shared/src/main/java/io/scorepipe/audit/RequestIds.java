package io.scorepipe.audit;

import io.scorepipe.scoring.InvalidInputException;

/**
 * The one rule for a caller's request id, which every way in (HTTP, Kafka) checks before scoring:
 * it is stored in {@code prediction_audit.request_id} and used as a Kafka key, so it must be short
 * text that PostgreSQL can hold. A NUL character cannot be stored at all: accepted, it would make
 * every later write of its audit row fail, and the audit sink or stream consumer retry it forever.
 */
public final class RequestIds {

    /** The longest request id, in characters. */
    public static final int MAX_LENGTH = 200;

    private RequestIds() {
    }

    /**
     * Returns {@code id} when it is a valid request id.
     *
     * @throws InvalidInputException naming {@code request_id} and what is wrong with it
     */
    public static String check(String id) {
        if (id.length() > MAX_LENGTH) {
            throw invalid("request_id must be at most " + MAX_LENGTH + " characters, got " + id.length());
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (Character.isISOControl(c)) {
                throw invalid("request_id must not contain control characters, got U+%04X at position %d"
                        .formatted((int) c, i + 1));
            }
            if (Character.isSurrogate(c)) {
                boolean paired = Character.isHighSurrogate(c) && i + 1 < id.length()
                        && Character.isLowSurrogate(id.charAt(i + 1));
                if (!paired) {
                    throw invalid("request_id must be valid Unicode text, got an unpaired surrogate U+%04X at position %d"
                            .formatted((int) c, i + 1));
                }
                i++;
            }
        }
        return id;
    }

    private static InvalidInputException invalid(String message) {
        return new InvalidInputException("request_id", message);
    }
}
