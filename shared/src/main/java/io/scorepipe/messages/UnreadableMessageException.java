package io.scorepipe.messages;

import org.jspecify.annotations.Nullable;

/** A Kafka record is not the message its topic carries: a poison record, to skip or dead-letter, never to retry. */
public class UnreadableMessageException extends IllegalArgumentException {

    UnreadableMessageException(String message) {
        super(message);
    }

    UnreadableMessageException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
