package io.scorepipe.bench;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Recorder;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The Kafka load: a paced producer of scoring requests, and a reader of the results and dead-letter
 * topics that takes each result's latency from the send time carried in its request id.
 */
final class StreamLoad {

    private static final PrintStream log = System.err;

    /** The topics of the run: requests in, results and dead letters out. */
    record Topics(String requests, String results, String deadLetter) {
    }

    final AtomicLong sent = new AtomicLong();
    final AtomicLong acked = new AtomicLong();
    final LongAdder sendErrors = new LongAdder();
    final AtomicLong scored = new AtomicLong();
    final AtomicLong deadLetters = new AtomicLong();
    final AtomicLong foreign = new AtomicLong();
    final Recorder latency = new Recorder(1, Snapshot.HIGHEST_MICROS, 3);
    private final CountDownLatch consumerReady = new CountDownLatch(1);
    volatile String firstSendError;
    private volatile boolean stopped;
    private volatile Exception consumerError;
    private Thread producerThread;
    private Thread consumerThread;

    private final String bootstrap;
    private final Topics topics;
    /** The run's tag: the prefix of this run's request ids. */
    private final String tag;
    /** The origin of the send times in request ids (nanoTime). */
    private final long origin;
    private final double rate;
    private final SoakVectors vectors;
    private final Ramp ramp;

    StreamLoad(String bootstrap, Topics topics, String tag, long origin, double rate, SoakVectors vectors, Ramp ramp) {
        this.bootstrap = bootstrap;
        this.topics = topics;
        this.tag = tag;
        this.origin = origin;
        this.rate = rate;
        this.vectors = vectors;
        this.ramp = ramp;
    }

    double rate() {
        return rate;
    }

    void startConsumer() throws InterruptedException {
        consumerThread = Thread.ofPlatform().name("kafka-results").daemon().start(this::consume);
        if (!consumerReady.await(60, TimeUnit.SECONDS) || consumerError != null) {
            throw new IllegalStateException("the results reader did not start", consumerError);
        }
    }

    private void consume() {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "bench-soak-results");
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(topics.results(), topics.deadLetter())) {
                List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
                if (infos == null || infos.isEmpty()) {
                    throw new IllegalStateException("topic " + topic + " has no partitions (does it exist?)");
                }
                infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            partitions.forEach(p -> consumer.position(p, Duration.ofSeconds(30)));
            consumerReady.countDown();
            String ours = tag + "-";
            while (!stopped) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.topic().equals(topics.deadLetter())) {
                        deadLetters.incrementAndGet();
                        continue;
                    }
                    String key = record.key();
                    int dash = key == null ? -1 : key.lastIndexOf('-');
                    if (dash < 0 || !key.startsWith(ours)) {
                        foreign.incrementAndGet();
                        continue;
                    }
                    long sentMicros = Long.parseLong(key, dash + 1, key.length(), 10);
                    long micros = (System.nanoTime() - origin) / 1000 - sentMicros;
                    latency.recordValue(Math.clamp(micros, 1, Snapshot.HIGHEST_MICROS));
                    scored.incrementAndGet();
                }
            }
        }
        catch (Exception ex) {
            consumerError = ex;
            log.println("kafka results reader failed: " + ex);
        }
        finally {
            consumerReady.countDown();
        }
    }

    void startProducer(long start, long end) {
        producerThread = Thread.ofPlatform().name("kafka-requests").daemon().start(() -> produce(start, end));
    }

    private void produce(long start, long end) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "bench-soak-requests");
        // the worker created the topic moments ago: one request in flight, so that a batch a partition
        // refuses while it is being set up cannot be overtaken and then lost (KAFKA-15591)
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        SplittableRandom random = new SplittableRandom(424242L);
        StringBuilder json = new StringBuilder(400);
        try (var producer = new KafkaProducer<byte[], byte[]>(config, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.partitionsFor(topics.requests());
            long n = 0;
            while (rate > 0) {
                long now = System.nanoTime();
                if (now >= end) {
                    break;
                }
                long due = ramp.dueBy(now - start, rate);
                for (; n < due; n++) {
                    json.setLength(0);
                    json.append("{\"request_id\":\"").append(tag).append('-').append(n).append('-')
                            .append((System.nanoTime() - origin) / 1000).append("\",\"features\":");
                    SoakVectors.appendArray(json, vectors.fresh(random));
                    json.append('}');
                    byte[] value = json.toString().getBytes(StandardCharsets.UTF_8);
                    producer.send(new ProducerRecord<>(topics.requests(), value), (metadata, ex) -> {
                        if (ex == null) {
                            acked.incrementAndGet();
                        }
                        else {
                            sendErrors.increment();
                            if (firstSendError == null) {
                                firstSendError = ex.toString();
                            }
                        }
                    });
                    sent.incrementAndGet();
                }
                LockSupport.parkNanos(2_000_000);
            }
            producer.flush();
        }
        catch (Exception ex) {
            sendErrors.increment();
            firstSendError = ex.toString();
            log.println("kafka producer failed: " + ex);
        }
    }

    void awaitProducer(long deadline) throws InterruptedException {
        long left = deadline - System.nanoTime();
        if (producerThread != null && left > 0) {
            producerThread.join(Duration.ofNanos(left));
        }
    }

    void stop() {
        stopped = true;
    }
}
