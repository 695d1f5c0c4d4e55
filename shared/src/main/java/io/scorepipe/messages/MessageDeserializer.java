package io.scorepipe.messages;

import org.apache.kafka.common.serialization.Deserializer;
import org.jspecify.annotations.Nullable;

/**
 * Kafka's value deserializer for one message type: {@link Messages#read}. Wrap it in Spring's
 * {@code ErrorHandlingDeserializer} so that a record that is not a {@code T} reaches the listener
 * as a failure to handle, not as a poison pill that stalls the partition.
 *
 * @param <T> the message type
 */
public class MessageDeserializer<T> implements Deserializer<T> {

    private final Class<T> type;

    public MessageDeserializer(Class<T> type) {
        this.type = type;
    }

    @Override
    public @Nullable T deserialize(String topic, byte @Nullable [] data) {
        return data == null ? null : Messages.read(data, type);
    }
}
