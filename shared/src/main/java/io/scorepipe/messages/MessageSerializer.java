package io.scorepipe.messages;

import org.apache.kafka.common.serialization.Serializer;
import org.jspecify.annotations.Nullable;

/**
 * Kafka's value serializer for every scorepipe message: {@link Messages#write}. Named in a
 * producer's {@code value.serializer}, so the api and the worker write every topic alike. Bytes
 * pass through unchanged: they are a dead letter's copy of its source record.
 */
public class MessageSerializer implements Serializer<Object> {

    @Override
    public byte @Nullable [] serialize(String topic, @Nullable Object message) {
        if (message instanceof byte[] bytes) {
            return bytes;
        }
        return message == null ? null : Messages.write(message);
    }
}
