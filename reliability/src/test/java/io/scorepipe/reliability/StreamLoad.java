package io.scorepipe.reliability;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import io.scorepipe.scoring.BundledSample;

/**
 * Scoring requests published to {@code scoring.requests} at a steady rate by an idempotent,
 * acks=all producer. A request counts as sent once Kafka acknowledged it; one the producer
 * gave up on (its delivery timeout outlasted an outage) is counted apart.
 */
final class StreamLoad implements AutoCloseable {

    static final String REQUESTS = "scoring.requests";
    static final String RESULTS = "scoring.results";

    private final KafkaProducer<String, String> producer;
    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private final AtomicLong abandoned = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread pacer;
    private final String prefix;

    StreamLoad(String bootstrapServers, String prefix, int perSecond) {
        this.prefix = prefix;
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 120_000,
                // one request in flight, as in the worker's KafkaProbe (KAFKA-15591: a batch refused by a
                // partition not yet ready can be overtaken by the next and then never be accepted)
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1), new StringSerializer(), new StringSerializer());
        var rows = BundledSample.diabetes().rows();
        long intervalNanos = 1_000_000_000L / perSecond;
        pacer = Thread.ofPlatform().name("stream-load-" + prefix).start(() -> {
            long next = System.nanoTime();
            for (long n = 0; running.get(); n++) {
                String id = prefix + "-" + n;
                double[] features = rows.get((int) (n % rows.size())).features();
                StringBuilder json = new StringBuilder("{\"request_id\": \"").append(id).append("\", \"features\": [");
                for (int i = 0; i < features.length; i++) {
                    json.append(i == 0 ? "" : ", ").append(features[i]);
                }
                producer.send(new ProducerRecord<>(REQUESTS, id, json.append("]}").toString()), (metadata, error) -> {
                    if (error == null) {
                        acknowledged.add(id);
                    }
                    else {
                        abandoned.incrementAndGet();
                    }
                });
                next += intervalNanos;
                LockSupport.parkNanos(next - System.nanoTime());
            }
        });
    }

    /** Stops sending and waits until every record is acknowledged or given up. */
    Set<String> stop() throws InterruptedException {
        running.set(false);
        pacer.join();
        producer.flush();
        return Set.copyOf(acknowledged);
    }

    long abandoned() {
        return abandoned.get();
    }

    String prefix() {
        return prefix;
    }

    @Override
    public void close() throws InterruptedException {
        if (running.get()) {
            stop();
        }
        producer.close();
    }
}
