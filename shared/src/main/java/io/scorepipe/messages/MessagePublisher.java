package io.scorepipe.messages;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;

import io.scorepipe.system.Causes;

/**
 * Sends scorepipe's low-volume messages (retrain requests, model updates, batch events) with the
 * one serializer configuration, acknowledged by every in-sync replica. Thread-safe.
 */
public class MessagePublisher implements DisposableBean {

    private final DefaultKafkaProducerFactory<String, Object> producers;
    private final KafkaTemplate<String, Object> kafka;

    /** @param producerConfig the application's producer settings (addresses, security); serializers are set here */
    public MessagePublisher(Map<String, Object> producerConfig) {
        Map<String, Object> config = new HashMap<>(producerConfig);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        this.producers = new DefaultKafkaProducerFactory<>(config, new StringSerializer(), new MessageSerializer());
        this.kafka = new KafkaTemplate<>(producers);
    }

    /** Sends without waiting; the future completes when the broker acknowledged it. */
    public CompletableFuture<?> send(String topic, @Nullable String key, Object message) {
        try {
            return kafka.send(topic, key, message);
        }
        catch (RuntimeException ex) {
            // no metadata within max.block.ms, or the producer is closed
            return CompletableFuture.failedFuture(ex);
        }
    }

    /**
     * Sends a record's bytes, unchanged, to a dead-letter topic, with the letter's headers.
     *
     * @param value the source record's value (or its beginning; the letter then says so)
     */
    public CompletableFuture<?> deadLetter(String topic, @Nullable String key, byte @Nullable [] value, DeadLetter letter) {
        ProducerRecord<String, Object> record = new ProducerRecord<>(topic, key, value);
        letter.writeTo(record.headers());
        try {
            return kafka.send(record);
        }
        catch (RuntimeException ex) {
            return CompletableFuture.failedFuture(ex);
        }
    }

    /**
     * Sends and waits for the acknowledgement.
     *
     * @throws MessageNotSentException naming the topic and why, when it was not acknowledged in time
     */
    public void sendAndWait(String topic, @Nullable String key, Object message, Duration timeout) {
        try {
            send(topic, key, message).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new MessageNotSentException(topic, "interrupted", ex);
        }
        catch (ExecutionException ex) {
            throw new MessageNotSentException(topic, Causes.rootMessage(ex), ex);
        }
        catch (TimeoutException ex) {
            throw new MessageNotSentException(topic, "no acknowledgement within " + timeout.toMillis() + " ms", ex);
        }
    }

    @Override
    public void destroy() {
        producers.destroy();
    }

    /** A message was not acknowledged by Kafka. */
    public static class MessageNotSentException extends RuntimeException {

        MessageNotSentException(String topic, String why, Throwable cause) {
            super("Kafka did not take the message for " + topic + ": " + why, cause);
        }
    }
}
