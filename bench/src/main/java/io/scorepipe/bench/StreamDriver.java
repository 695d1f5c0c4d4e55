package io.scorepipe.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import io.scorepipe.audit.AuditRecord;
import io.scorepipe.audit.AuditSource;
import io.scorepipe.registry.ModelNames;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Kafka and PostgreSQL side of {@code bench/stream}: not a JMH benchmark but a plain main with
 * one sub-command per measurement. Progress goes to stderr; the figures go to stdout as
 * {@code key=value} lines for the script to read.
 *
 * <pre>
 * stream   --bootstrap B --jdbc URL --requests T --results T --records N [--compression none|lz4] [--timeout S]
 *          publish N requests, then wait until the results topic holds N committed results and
 *          prediction_audit N rows with source 'stream'
 * audit    --bootstrap B --jdbc URL --audit T --records N [--compression none|lz4] [--timeout S]
 *          publish N AuditRecord events, then wait until prediction_audit holds N rows with source 'api'
 * copy-csv --out FILE --records N
 *          write N rows shaped like the audit events as CSV for COPY into a table like prediction_audit
 * cleanup  --bootstrap B --prefix P
 *          delete the topics and consumer groups whose names start with P
 * </pre>
 *
 * Times are taken from the first send. The database is polled with {@code count(*)} about once a
 * second, and every 100 ms once the end looks less than about 1.5 s away (or, for the stream, once
 * every result is in); a poll is dated by when its query started, since it sees what was committed
 * by then, and {@code *_resolution_ms} is the gap to the previous poll, the most the end can be early.
 */
public final class StreamDriver {

    /** Linger and batch size of the publishing producer, as the benchmark's description asks. */
    private static final int LINGER_MS = 10;
    private static final int BATCH_BYTES = 256 * 1024;
    private static final int FEATURES = 10;
    private static final double FEATURE_SD = 0.05;
    private static final long SLOW_POLL_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long FAST_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private static final PrintStream out = System.out;
    private static final PrintStream log = System.err;

    private StreamDriver() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            throw usage("missing sub-command");
        }
        Map<String, String> options = options(args);
        switch (args[0]) {
            case "stream" -> stream(options);
            case "audit" -> audit(options);
            case "copy-csv" -> copyCsv(options);
            case "cleanup" -> cleanup(options);
            default -> throw usage("unknown sub-command " + args[0]);
        }
    }

    // ------------------------------------------------------------------------------------------
    // stream: requests in, results and audit rows out

    private static void stream(Map<String, String> options) throws Exception {
        String bootstrap = required(options, "bootstrap");
        String requests = required(options, "requests");
        String results = required(options, "results");
        long n = Long.parseLong(required(options, "records"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(options.getOrDefault("timeout", "600")));
        String runTag = options.getOrDefault("tag", Long.toHexString(System.nanoTime()));

        try (Connection db = connect(options)) {
            long before = count(db, "stream");
            if (before != 0) {
                throw new IllegalStateException("prediction_audit already holds " + before + " stream rows; use a fresh schema");
            }
            ResultCounter counter = new ResultCounter(bootstrap, results, n, deadline);
            Thread consumerThread = Thread.ofPlatform().name("results-consumer").daemon().start(counter);
            counter.awaitReady();

            SplittableRandom random = new SplittableRandom(20240601L);
            StringBuilder json = new StringBuilder(320);
            AtomicLong acked = new AtomicLong();
            AtomicReference<Exception> failure = new AtomicReference<>();
            long start;
            long published;
            long lastReport;
            try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap, options)) {
                // metadata first, so that the clock does not include the first metadata round trip
                producer.partitionsFor(requests);
                log.printf("stream: publishing %,d requests to %s%n", n, requests);
                start = System.nanoTime();
                lastReport = start;
                for (long i = 0; i < n; i++) {
                    json.setLength(0);
                    json.append("{\"request_id\":\"").append(runTag).append('-').append(i).append("\",\"features\":[");
                    for (int f = 0; f < FEATURES; f++) {
                        if (f > 0) {
                            json.append(',');
                        }
                        json.append(random.nextGaussian() * FEATURE_SD);
                    }
                    json.append("]}");
                    producer.send(new ProducerRecord<>(requests, json.toString().getBytes(StandardCharsets.UTF_8)),
                            (metadata, ex) -> {
                                if (ex != null) {
                                    failure.compareAndSet(null, ex);
                                }
                                else {
                                    acked.incrementAndGet();
                                }
                            });
                    if ((i & 0x3fff) == 0 && failure.get() != null) {
                        break;
                    }
                    long now = System.nanoTime();
                    if ((i & 0x3fff) == 0 && now - lastReport > TimeUnit.SECONDS.toNanos(5)) {
                        lastReport = now;
                        log.printf("  %5.1f s: sent %,d, results %,d%n", seconds(now - start), i, counter.count());
                    }
                }
                producer.flush();
                published = System.nanoTime();
            }
            if (failure.get() != null) {
                throw new IllegalStateException("publishing failed after " + acked.get() + " acks", failure.get());
            }
            if (acked.get() != n) {
                throw new IllegalStateException("only " + acked.get() + " of " + n + " requests acknowledged");
            }
            log.printf("stream: %,d requests published in %.2f s; waiting for results and audit rows%n", n,
                    seconds(published - start));

            Poll audit = waitForCount(db, "stream", n, start, deadline, counter::done, counter.doneLatch());
            counter.awaitDone(Math.max(0, deadline - System.nanoTime()));
            if (!counter.done()) {
                counter.stop();
                throw new IllegalStateException(String.format("results topic holds %,d of %,d committed results at the deadline",
                        counter.count(), n));
            }
            if (audit == null) {
                counter.stop();
                throw new IllegalStateException(String.format("prediction_audit holds %,d of %,d stream rows at the deadline",
                        count(db, "stream"), n));
            }
            long end = Math.max(counter.doneAt(), audit.at());
            // a little longer, outside the measurement: anything beyond N would be a duplicate
            Thread.sleep(2000);
            counter.stop();
            consumerThread.join(10_000);
            long finalRows = count(db, "stream");

            out.printf("publish_s=%.3f%n", seconds(published - start));
            out.printf("publish_rate=%.0f%n", n / seconds(published - start));
            out.printf("results_s=%.3f%n", seconds(counter.doneAt() - start));
            out.printf("audit_s=%.3f%n", seconds(audit.at() - start));
            out.printf("audit_resolution_ms=%.0f%n", audit.resolution() / 1e6);
            out.printf("e2e_s=%.3f%n", seconds(end - start));
            out.printf("e2e_rate=%.0f%n", n / seconds(end - start));
            out.printf("results_total=%d%n", counter.count());
            out.printf("audit_total=%d%n", finalRows);
            if (counter.error() != null) {
                throw new IllegalStateException("results consumer failed", counter.error());
            }
        }
    }

    /** Counts the committed records on the results topic, from its beginning, on its own thread. */
    private static final class ResultCounter implements Runnable {

        private final String bootstrap;
        private final String topic;
        private final long target;
        private final long deadline;
        private final CountDownLatch ready = new CountDownLatch(1);
        private final CountDownLatch reached = new CountDownLatch(1);
        private final AtomicLong count = new AtomicLong();
        private volatile long doneAt;
        private volatile boolean stopped;
        private volatile Exception error;

        ResultCounter(String bootstrap, String topic, long target, long deadline) {
            this.bootstrap = bootstrap;
            this.topic = topic;
            this.target = target;
            this.deadline = deadline;
        }

        @Override
        public void run() {
            Map<String, Object> config = new HashMap<>();
            config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
            config.put(ConsumerConfig.CLIENT_ID_CONFIG, "bench-stream-results");
            try (var consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                List<TopicPartition> partitions = new ArrayList<>();
                for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                    partitions.add(new TopicPartition(topic, info.partition()));
                }
                if (partitions.isEmpty()) {
                    throw new IllegalStateException("topic " + topic + " has no partitions (does it exist?)");
                }
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                long existing = 0;
                for (TopicPartition partition : partitions) {
                    existing += consumer.position(partition, Duration.ofSeconds(30));
                }
                if (existing != 0) {
                    throw new IllegalStateException("results topic " + topic + " is not empty; use a fresh topic");
                }
                ready.countDown();
                while (!stopped && System.nanoTime() < deadline) {
                    ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
                    if (count.addAndGet(records.count()) >= target && doneAt == 0) {
                        doneAt = System.nanoTime();
                        reached.countDown();
                    }
                }
            }
            catch (Exception ex) {
                error = ex;
            }
            finally {
                ready.countDown();
                reached.countDown();
            }
        }

        void awaitReady() throws InterruptedException {
            if (!ready.await(60, TimeUnit.SECONDS) || error != null) {
                throw new IllegalStateException("results consumer did not start", error);
            }
        }

        void awaitDone(long nanos) throws InterruptedException {
            reached.await(nanos, TimeUnit.NANOSECONDS);
        }

        CountDownLatch doneLatch() {
            return reached;
        }

        boolean done() {
            return doneAt != 0;
        }

        long doneAt() {
            return doneAt;
        }

        long count() {
            return count.get();
        }

        Exception error() {
            return error;
        }

        void stop() {
            stopped = true;
        }
    }

    // ------------------------------------------------------------------------------------------
    // audit: AuditRecord events in, rows out

    private static void audit(Map<String, String> options) throws Exception {
        String bootstrap = required(options, "bootstrap");
        String topic = required(options, "audit");
        long n = Long.parseLong(required(options, "records"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(options.getOrDefault("timeout", "600")));
        String runTag = options.getOrDefault("tag", Long.toHexString(System.nanoTime()));
        JsonMapper json = JsonMapper.builder().build();

        try (Connection db = connect(options)) {
            long before = count(db, "api");
            if (before != 0) {
                throw new IllegalStateException("prediction_audit already holds " + before + " api rows; use a fresh schema");
            }
            AuditRows rows = new AuditRows(runTag, 7L);
            AtomicLong acked = new AtomicLong();
            AtomicReference<Exception> failure = new AtomicReference<>();
            long start;
            long published;
            try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap, options)) {
                producer.partitionsFor(topic);
                log.printf("audit: publishing %,d audit events to %s%n", n, topic);
                start = System.nanoTime();
                for (long i = 0; i < n; i++) {
                    byte[] value = json.writeValueAsBytes(rows.next(i));
                    producer.send(new ProducerRecord<>(topic, value), (metadata, ex) -> {
                        if (ex != null) {
                            failure.compareAndSet(null, ex);
                        }
                        else {
                            acked.incrementAndGet();
                        }
                    });
                    if ((i & 0x3fff) == 0 && failure.get() != null) {
                        break;
                    }
                }
                producer.flush();
                published = System.nanoTime();
            }
            if (failure.get() != null) {
                throw new IllegalStateException("publishing failed after " + acked.get() + " acks", failure.get());
            }
            if (acked.get() != n) {
                throw new IllegalStateException("only " + acked.get() + " of " + n + " events acknowledged");
            }
            log.printf("audit: %,d events published in %.2f s; waiting for the rows%n", n, seconds(published - start));
            Poll done = waitForCount(db, "api", n, start, deadline, () -> false, null);
            if (done == null) {
                throw new IllegalStateException(String.format("prediction_audit holds %,d of %,d api rows at the deadline",
                        count(db, "api"), n));
            }
            out.printf("publish_s=%.3f%n", seconds(published - start));
            out.printf("publish_rate=%.0f%n", n / seconds(published - start));
            out.printf("sink_s=%.3f%n", seconds(done.at() - start));
            out.printf("sink_rate=%.0f%n", n / seconds(done.at() - start));
            out.printf("sink_resolution_ms=%.0f%n", done.resolution() / 1e6);
            out.printf("sink_total=%d%n", count(db, "api"));
        }
    }

    // ------------------------------------------------------------------------------------------
    // copy-csv: the same rows as a file for COPY

    private static void copyCsv(Map<String, String> options) throws IOException {
        Path file = Path.of(required(options, "out"));
        long n = Long.parseLong(required(options, "records"));
        AuditRows rows = new AuditRows(options.getOrDefault("tag", "copy"), 11L);
        StringBuilder line = new StringBuilder(320);
        try (BufferedWriter writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (long i = 0; i < n; i++) {
                AuditRecord r = rows.next(i);
                line.setLength(0);
                // columns: prediction_id, source, source_ref (unquoted empty = NULL), request_id, model_version,
                // features, prediction, cache_hit, latency_micros, created_at
                line.append(r.predictionId()).append(',').append(r.source().wire()).append(",,").append(r.requestId())
                        .append(',').append(r.modelVersion()).append(",\"{");
                double[] features = r.features();
                for (int f = 0; f < features.length; f++) {
                    if (f > 0) {
                        line.append(',');
                    }
                    line.append(features[f]);
                }
                line.append("}\",").append(r.prediction()).append(',').append(r.cacheHit()).append(',')
                        .append(r.latencyMicros()).append(',').append(r.createdAt()).append('\n');
                writer.append(line);
            }
        }
        log.printf("copy-csv: %,d rows, %,d bytes in %s%n", n, Files.size(file), file);
    }

    /** Audit records as the api would emit them: random ids, N(0, 0.05) features, a plausible prediction. */
    private static final class AuditRows {

        private final String tag;
        private final SplittableRandom random;
        private final Instant base = Instant.now();

        AuditRows(String tag, long seed) {
            this.tag = tag;
            this.random = new SplittableRandom(seed);
        }

        AuditRecord next(long i) {
            double[] features = new double[FEATURES];
            for (int f = 0; f < FEATURES; f++) {
                features[f] = random.nextGaussian() * FEATURE_SD;
            }
            // a version 4 UUID from the fast generator (UUID.randomUUID would go to SecureRandom)
            long msb = (random.nextLong() & ~0xF000L) | 0x4000L;
            long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
            return new AuditRecord(new UUID(msb, lsb), AuditSource.API, null, null, tag + "-" + i, ModelNames.SAMPLE,
                    "v1", features, 152.0 + random.nextGaussian() * 60.0, false, 40 + random.nextInt(400),
                    base.plusNanos(i * 1000));
        }
    }

    // ------------------------------------------------------------------------------------------
    // cleanup: this run's topics and groups

    private static void cleanup(Map<String, String> options) throws Exception {
        String prefix = required(options, "prefix");
        if (prefix.length() < 8) {
            throw usage("--prefix must be at least 8 characters, to never match other runs' names");
        }
        Map<String, Object> config = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, required(options, "bootstrap"),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        try (Admin admin = Admin.create(config)) {
            List<String> groups = new ArrayList<>();
            for (GroupListing group : admin.listGroups().all().get(30, TimeUnit.SECONDS)) {
                if (group.groupId().startsWith(prefix)) {
                    groups.add(group.groupId());
                }
            }
            if (!groups.isEmpty()) {
                try {
                    admin.deleteConsumerGroups(groups).all().get(30, TimeUnit.SECONDS);
                }
                catch (Exception ex) {
                    log.println("cleanup: could not delete every group " + groups + ": " + ex.getMessage());
                }
            }
            List<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                    .filter(name -> name.startsWith(prefix)).sorted().toList();
            if (!topics.isEmpty()) {
                admin.deleteTopics(topics).all().get(60, TimeUnit.SECONDS);
            }
            log.printf("cleanup: deleted %d topics and %d consumer groups starting with %s%n", topics.size(), groups.size(),
                    prefix);
        }
    }

    // ------------------------------------------------------------------------------------------
    // shared pieces

    private static KafkaProducer<byte[], byte[]> producer(String bootstrap, Map<String, String> options) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, LINGER_MS);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, BATCH_BYTES);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, options.getOrDefault("compression", "none"));
        config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "bench-stream-publisher");
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static Connection connect(Map<String, String> options) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", options.getOrDefault("db-user", "scorepipe"));
        if (options.containsKey("db-password")) {
            props.setProperty("password", options.get("db-password"));
        }
        return DriverManager.getConnection(required(options, "jdbc"), props);
    }

    private static long count(Connection db, String source) throws SQLException {
        try (PreparedStatement query = db.prepareStatement("SELECT count(*) FROM prediction_audit WHERE source = ?")) {
            query.setString(1, source);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /** When a count was first seen at its target (the start of that query), and the gap to the poll before. */
    private record Poll(long at, long resolution) {
    }

    /**
     * Polls {@code count(*)} for {@code source} until it reaches {@code target}: about once a second,
     * every 100 ms when {@code hurry} says so or when the rate so far puts the end within 1.5 s.
     * Returns null at the deadline.
     */
    private static Poll waitForCount(Connection db, String source, long target, long start, long deadline,
            BooleanSupplier hurry, CountDownLatch wake) throws SQLException, InterruptedException {
        long previousStart = start;
        long previousCount = 0;
        long lastReport = System.nanoTime();
        while (System.nanoTime() < deadline) {
            long queryStart = System.nanoTime();
            long rows = count(db, source);
            if (rows >= target) {
                return new Poll(queryStart, queryStart - previousStart);
            }
            long now = System.nanoTime();
            if (now - lastReport > TimeUnit.SECONDS.toNanos(5)) {
                lastReport = now;
                log.printf("  %5.1f s: %,d %s rows%n", seconds(now - start), rows, source);
            }
            double rate = (rows - previousCount) / (double) Math.max(1, queryStart - previousStart); // rows per ns
            boolean near = rate > 0 && (target - rows) / rate < 1.5e9;
            previousStart = queryStart;
            previousCount = rows;
            long pause = hurry.getAsBoolean() || near ? FAST_POLL_NANOS : SLOW_POLL_NANOS;
            long until = Math.min(queryStart + pause, deadline);
            long wait = until - System.nanoTime();
            if (wait > 0) {
                if (wake != null && !hurry.getAsBoolean()) {
                    wake.await(wait, TimeUnit.NANOSECONDS); // the results being complete wakes it early
                }
                else {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
            }
        }
        return null;
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    /** The options after the mode (args[0]). */
    private static Map<String, String> options(String[] args) {
        return CliOptions.parse(args, 1, StreamDriver::usage);
    }

    private static String required(Map<String, String> options, String name) {
        return CliOptions.required(options, name, StreamDriver::usage);
    }

    private static IllegalArgumentException usage(String problem) {
        return new IllegalArgumentException(problem + "; usage: StreamDriver stream|audit|copy-csv|cleanup --name value ...");
    }
}
