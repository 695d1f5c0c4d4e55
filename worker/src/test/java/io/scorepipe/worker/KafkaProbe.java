package io.scorepipe.worker;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.scorepipe.testing.TestServices;

/** Produces to and reads from the real Kafka the worker under test uses. */
public final class KafkaProbe implements AutoCloseable {

    /**
     * One request in flight: the topics are created as the app under test starts, and a broker
     * that answers a produce to a partition it has not finished setting up with a retriable error
     * may still append the idempotent producer's next batch, after which every retry of the first
     * fails its sequence check until the delivery timeout (KAFKA-15591; CI lost one record so,
     * after 120 s). With one request in flight the next batch waits for the first.
     */
    private final KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestServices.kafkaBootstrapServers(),
            ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5,
            ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1),
            new StringSerializer(), new ByteArraySerializer());

    public Future<RecordMetadata> send(String topic, String key, String value) {
        return send(topic, key, value.getBytes(StandardCharsets.UTF_8));
    }

    public Future<RecordMetadata> send(String topic, String key, byte[] value) {
        return producer.send(new ProducerRecord<>(topic, key, value));
    }

    public void flush() {
        producer.flush();
    }

    /**
     * Reads {@code topic} from the start, committed records only, until {@code done} holds for
     * what was read or the timeout passes; then keeps reading briefly so late duplicates show.
     */
    public static List<ConsumerRecord<String, byte[]>> readCommitted(String topic,
            Predicate<List<ConsumerRecord<String, byte[]>>> done, Duration timeout) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestServices.kafkaBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, TestServices.uniqueName("probe"),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline && !done.test(records)) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            long settle = System.nanoTime() + Duration.ofSeconds(1).toNanos();
            while (System.nanoTime() < settle) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    public static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
