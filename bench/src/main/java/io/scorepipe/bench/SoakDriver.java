package io.scorepipe.bench;

import java.io.BufferedWriter;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import org.HdrHistogram.Histogram;
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

import io.scorepipe.scoring.BundledSample;
import io.scorepipe.scoring.LabelledRow;

/**
 * The load generator and reporter of {@code bench/soak}: a mixed load against a running api and
 * worker for a number of minutes, one line of figures per minute, then a summary with the
 * acceptance (no errors, p99 of the last minute at most 1.5 times the first's, RSS levelled off).
 * Progress goes to stderr, the table and the summary to stdout. Exit status 0 when the acceptance
 * holds, 2 when the run completed but it does not, 1 when the run itself failed.
 *
 * <p>The three loads, all at once:
 * <ul>
 * <li>{@code POST /predict} open loop at a fixed rate: a pacer hands out tickets carrying their
 * intended send time, {@code --connections} virtual threads send them, each over its own
 * keep-alive HTTP/1.1 connection (a minimal blocking client, {@link Http1}: the JDK's HttpClient
 * cost about as much CPU per request as the api itself, on the same two cores), and a request's
 * latency runs from its intended send time, not from when a connection got free: a stalled api
 * shows as latency, not as fewer requests (no coordinated omission). A share of the requests
 * ({@code --hit-share}) repeats one of {@code --hot-vectors} fixed vectors (cache hits once seen),
 * the rest is a fresh vector each time (cache misses); both are rows of the bundled diabetes sample
 * with small Gaussian perturbations ({@code --jitter}). More than ten seconds of backlog is
 * dropped and counted as errors rather than queued without bound.</li>
 * <li>a CSV file of {@code --csv-rows} rows (new content each time) dropped into the inbox at the
 * start of every minute: all of them are written as {@code name.csv.part} before the load starts,
 * and each is renamed into place at its minute; progress from the {@code batches} table.</li>
 * <li>Kafka requests at {@code --stream-rate} records/s; the results topic is read back
 * (read_committed) and each result's latency taken from the send time carried in its request id.</li>
 * </ul>
 * The warm-up ({@code --warmup} seconds, not in the table) ramps both rates up linearly from zero,
 * so that the JIT compilers of the api and the worker get going before the full load arrives.
 * After the last minute the load stops and the driver waits (up to {@code --drain} seconds) until
 * every Kafka request has its result, every file is scored and {@code prediction_audit} holds one
 * row per answered prediction; what is missing then counts as errors.
 *
 * <pre>
 * SoakDriver --api URL --api-actuator URL --worker-actuator URL --bootstrap B --jdbc URL --requests T --results T --dead-letter T
 *            --data-dir DIR --api-pid P --worker-pid P --tag T [--minutes 10] [--rate 2500] [--hit-share 0.5]
 *            [--hot-vectors 1000] [--jitter 0.001] [--csv-rows 20000] [--stream-rate 500] [--connections 64]
 *            [--warmup 30] [--minute-seconds 60] [--drain 120] [--clk-tck 100] [--details FILE] [--timeline FILE]
 * </pre>
 */
public final class SoakDriver {

    private static final PrintStream out = System.out;
    private static final PrintStream log = System.err;
    private static final long HIGHEST_MICROS = TimeUnit.HOURS.toMicros(1);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** The acceptance: p99 growth and RSS spread. */
    private static final double P99_GROWTH_LIMIT = 1.5;
    private static final double RSS_SPREAD_LIMIT = 0.05;
    private static final int RSS_WINDOW = 3;

    // configuration
    private final URI predictUri;
    private final byte[] predictHead;
    private final URI apiMetrics;
    private final URI workerMetrics;
    private final String bootstrap;
    private final String jdbcUrl;
    private final String requestsTopic;
    private final String resultsTopic;
    private final String deadLetterTopic;
    private final Path inbox;
    private final long apiPid;
    private final long workerPid;
    private final String tag;
    private final int minutes;
    private final long minuteNanos;
    private final long warmupNanos;
    private final long drainNanos;
    private final double rate;
    private final double hitShare;
    private final double jitter;
    private final int hotCount;
    private final int csvRows;
    private final double streamRate;
    private final int connections;
    private final int clkTck;
    private final Path details;
    /** Where one line per second goes (sent, answered, dropped, backlog, slowest answer), or null. */
    private final Path timeline;

    // the sample and the repeated vectors
    private final List<String> featureNames;
    private final double[][] sample;
    private final double[][] hot;

    /** Every nanoTime-based clock of the run starts here (also the origin of the send times in request ids). */
    private final long origin = System.nanoTime();
    private final HttpClient metricsHttp = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** Made in the constructor, once {@link #rate} is known: its ticket queue is sized by it. */
    private final PredictLoad predict;
    private final StreamLoad stream = new StreamLoad();
    private final CsvDrops csv = new CsvDrops();

    private SoakDriver(Map<String, String> o) {
        predictUri = URI.create(required(o, "api") + "/predict");
        predictHead = ("POST " + predictUri.getRawPath() + " HTTP/1.1\r\nHost: " + predictUri.getHost() + ":" + predictUri.getPort()
                + "\r\nContent-Type: application/json\r\nContent-Length: ").getBytes(StandardCharsets.ISO_8859_1);
        apiMetrics = URI.create(required(o, "api-actuator") + "/actuator/prometheus");
        workerMetrics = URI.create(required(o, "worker-actuator") + "/actuator/prometheus");
        bootstrap = required(o, "bootstrap");
        jdbcUrl = required(o, "jdbc");
        requestsTopic = required(o, "requests");
        resultsTopic = required(o, "results");
        deadLetterTopic = required(o, "dead-letter");
        inbox = Path.of(required(o, "data-dir")).resolve("inbox");
        apiPid = Long.parseLong(required(o, "api-pid"));
        workerPid = Long.parseLong(required(o, "worker-pid"));
        tag = required(o, "tag");
        minutes = positiveInt(o, "minutes", "10");
        minuteNanos = TimeUnit.SECONDS.toNanos(positiveInt(o, "minute-seconds", "60"));
        warmupNanos = TimeUnit.SECONDS.toNanos(Integer.parseInt(o.getOrDefault("warmup", "30")));
        drainNanos = TimeUnit.SECONDS.toNanos(positiveInt(o, "drain", "120"));
        rate = Double.parseDouble(o.getOrDefault("rate", "2500"));
        hitShare = Double.parseDouble(o.getOrDefault("hit-share", "0.5"));
        hotCount = positiveInt(o, "hot-vectors", "1000");
        jitter = Double.parseDouble(o.getOrDefault("jitter", "0.001"));
        csvRows = Integer.parseInt(o.getOrDefault("csv-rows", "20000"));
        streamRate = Double.parseDouble(o.getOrDefault("stream-rate", "500"));
        connections = positiveInt(o, "connections", "64");
        clkTck = positiveInt(o, "clk-tck", "100");
        details = o.containsKey("details") ? Path.of(o.get("details")) : null;
        timeline = o.containsKey("timeline") ? Path.of(o.get("timeline")) : null;
        if (rate <= 0 || hitShare < 0 || hitShare > 1 || jitter < 0 || csvRows < 0 || streamRate < 0) {
            throw usage("--rate must be positive, --hit-share within [0, 1], --jitter, --csv-rows and --stream-rate not negative");
        }
        predict = new PredictLoad();

        BundledSample bundled = BundledSample.diabetes();
        featureNames = bundled.schema().names();
        sample = bundled.rows().stream().map(LabelledRow::features).toArray(double[][]::new);
        SplittableRandom random = new SplittableRandom(20250101L);
        hot = new double[hotCount][];
        for (int i = 0; i < hotCount; i++) {
            hot[i] = perturbed(sample[i % sample.length], random);
        }
    }

    public static void main(String[] args) {
        int status;
        try {
            status = new SoakDriver(options(args)).run();
        }
        catch (Exception ex) {
            log.println("soak driver: " + ex);
            ex.printStackTrace(log);
            status = 1;
        }
        out.flush();
        System.exit(status);
    }

    // ------------------------------------------------------------------------------------------
    // the run

    private int run() throws Exception {
        try (Connection db = DriverManager.getConnection(jdbcUrl, dbProperties())) {
            long existing = auditRows(db).values().stream().mapToLong(Long::longValue).sum();
            if (existing != 0) {
                throw new IllegalStateException("prediction_audit already holds " + existing + " rows; use a fresh schema");
            }
            Files.createDirectories(inbox);
            if (csvRows > 0) {
                // every file written before the load, so that formatting them is no part of it
                csv.prepare(warmupNanos > 0 ? 0 : 1, minutes);
            }
            stream.startConsumer();

            long start = System.nanoTime();
            long measureStart = start + warmupNanos;
            long end = measureStart + minutes * minuteNanos;
            header();
            Snapshot previous = snapshot(db);
            predict.start(start, end);
            stream.startProducer(start, end);
            if (timeline != null) {
                Thread.ofPlatform().daemon().name("timeline").start(() -> writeTimeline(start, end + drainNanos));
            }

            Snapshot warmup = null;
            if (warmupNanos > 0) {
                log.printf("warm-up: %d s, ramping up to the full load (not in the table)%n",
                        TimeUnit.NANOSECONDS.toSeconds(warmupNanos));
                if (csvRows > 0) {
                    // one file in the warm-up too, so that the first measured minute does not pay for
                    // the batch job's first run (class loading, JIT) while the predictions are at full rate
                    long halfway = start + warmupNanos / 2;
                    Thread.ofPlatform().daemon().name("csv-drop-0").start(() -> {
                        try {
                            sleepUntil(halfway);
                            csv.drop(0);
                        }
                        catch (InterruptedException ex) {
                            Thread.currentThread().interrupt();
                        }
                    });
                }
                sleepUntil(measureStart);
                warmup = snapshot(db);
                Row row = new Row(0, previous, warmup);
                log.printf("warm-up done: %,d predictions, %,d errors, p99 %.1f ms, %,d Kafka results%n", row.sent(),
                        row.errors(), row.p99(), row.kafkaScored());
                previous = warmup;
            }
            out.println(TABLE_HEADER);
            out.flush();
            List<Row> rows = new ArrayList<>();
            for (int m = 1; m <= minutes; m++) {
                if (csvRows > 0) {
                    csv.drop(m); // a rename: the file was written before the load
                }
                sleepUntil(measureStart + m * minuteNanos);
                Snapshot now = snapshot(db);
                Row row = new Row(m, previous, now);
                rows.add(row);
                out.println(row.line());
                out.flush();
                previous = now;
            }
            Snapshot last = previous;

            // the load stopped: let what is underway finish, then check that everything arrived
            log.println("load stopped; draining (Kafka results, CSV files, audit rows)");
            long drainStart = System.nanoTime();
            long drainDeadline = drainStart + drainNanos;
            predict.await(drainDeadline);
            stream.awaitProducer(drainDeadline);
            Drain drain = drain(db, drainDeadline);
            double drainSeconds = (System.nanoTime() - drainStart) / 1e9;
            Snapshot after = snapshot(db);
            stream.stop();
            // a percentile over each minute's audit rows is a sort of 200,000 rows in PostgreSQL: asked
            // for at each minute's end, it took the CPU from the load at the next minute's start
            for (Row row : rows) {
                row.beforeAudit = auditLatency(db, row.a.wall(), row.b.wall());
            }
            return summary(rows, warmup, last, after, drain, drainSeconds, db);
        }
        finally {
            stream.stop();
        }
    }

    private void header() {
        out.printf(Locale.ROOT, "soak: %d minute(s) of %d s%s; /predict at %,.0f req/s open loop over %d connections, %.0f%% repeated vectors "
                + "(%d of them), the rest fresh;%n", minutes, TimeUnit.NANOSECONDS.toSeconds(minuteNanos),
                warmupNanos > 0 ? " after a " + TimeUnit.NANOSECONDS.toSeconds(warmupNanos) + " s warm-up ramping up to the same load" : "",
                rate, connections, 100 * hitShare, hotCount);
        out.printf(Locale.ROOT, "      a CSV of %,d rows into the inbox at the start of every minute; Kafka requests at %,.0f records/s%n",
                csvRows, streamRate);
        out.println("latency of /predict from the intended send time (200s only); CSV rows and Kafka results as scored in the minute;");
        out.println("RSS (VmRSS) at the end of the minute; CPU in % of one core over the minute");
        out.flush();
    }

    private static final String TABLE_HEADER = String.format(Locale.ROOT,
            "%4s %8s %6s %7s %8s %8s %5s | %8s | %7s %7s %8s | %7s %7s %7s %7s",
            "min", "sent", "errors", "p50 ms", "p99 ms", "max ms", "hits", "csv rows", "kafka", "scored", "p99 ms",
            "api MB", "wrk MB", "api %", "wrk %");

    // ------------------------------------------------------------------------------------------
    // snapshots: cumulative counters and gauges at one instant; a row is the difference of two

    private record Snapshot(long at, Instant wall, long scheduled, long ok, long hits, long non200, long ioErrors, long dropped,
            Histogram latency, long kafkaSent, long kafkaSendErrors, long kafkaScored, long deadLetters,
            Histogram kafkaLatency, BatchStats batches, long auditInserted, long apiRssKb, long workerRssKb, long apiTicks,
            long workerTicks, long selfTicks, long[] machineTicks, Map<String, Double> apiProm, Map<String, Double> workerProm,
            long backlog) {
    }

    private Snapshot snapshot(Connection db) {
        return new Snapshot(System.nanoTime(), Instant.now(), predict.scheduled.sum(), predict.ok.sum(), predict.hits.sum(),
                predict.non200.sum(), predict.ioErrors.sum(), predict.dropped.sum(),
                predict.latency.getIntervalHistogram(), stream.sent.get(), stream.sendErrors.sum(), stream.scored.get(),
                stream.deadLetters.get(), stream.latency.getIntervalHistogram(), batchStats(db), auditInserted(db),
                Proc.rssKb(apiPid), Proc.rssKb(workerPid), Proc.ticks(apiPid), Proc.ticks(workerPid),
                Proc.ticks(ProcessHandle.current().pid()), Proc.machineTicks(), prometheus(apiMetrics),
                prometheus(workerMetrics), predict.tickets.size() + predict.inFlight.get());
    }

    /** One minute: the change between two snapshots. */
    private final class Row {

        final int minute;
        final Snapshot a;
        final Snapshot b;
        /** Mean and p99 in ms of the api's time before the audit publish (latency_micros of its audit rows). */
        double[] beforeAudit = {Double.NaN, Double.NaN};

        Row(int minute, Snapshot a, Snapshot b) {
            this.minute = minute;
            this.a = a;
            this.b = b;
        }

        double seconds() {
            return (b.at - a.at) / 1e9;
        }

        long sent() {
            return b.scheduled - a.scheduled;
        }

        long errors() {
            return (b.non200 - a.non200) + (b.ioErrors - a.ioErrors) + (b.dropped - a.dropped);
        }

        long ok() {
            return b.ok - a.ok;
        }

        double p50() {
            return b.latency.getTotalCount() == 0 ? Double.NaN : b.latency.getValueAtPercentile(50) / 1000.0;
        }

        double p99() {
            return b.latency.getTotalCount() == 0 ? Double.NaN : b.latency.getValueAtPercentile(99) / 1000.0;
        }

        double max() {
            return b.latency.getTotalCount() == 0 ? Double.NaN : b.latency.getMaxValue() / 1000.0;
        }

        double hitPercent() {
            long ok = ok();
            return ok == 0 ? Double.NaN : 100.0 * (b.hits - a.hits) / ok;
        }

        long csvRows() {
            return b.batches.rowsScored() - a.batches.rowsScored();
        }

        long kafkaSent() {
            return b.kafkaSent - a.kafkaSent;
        }

        long kafkaScored() {
            return b.kafkaScored - a.kafkaScored;
        }

        double kafkaP99() {
            return b.kafkaLatency.getTotalCount() == 0 ? Double.NaN : b.kafkaLatency.getValueAtPercentile(99) / 1000.0;
        }

        double cpu(long ticksA, long ticksB) {
            return ticksA < 0 || ticksB < 0 ? Double.NaN : 100.0 * (ticksB - ticksA) / clkTck / seconds();
        }

        double machineCpu() {
            long busy = b.machineTicks[0] - a.machineTicks[0];
            long total = b.machineTicks[1] - a.machineTicks[1];
            return total <= 0 ? Double.NaN : 100.0 * Runtime.getRuntime().availableProcessors() * busy / total;
        }

        double gauge(boolean api, String name, String labels) {
            return (api ? b.apiProm : b.workerProm).getOrDefault(name + "|" + labels, Double.NaN);
        }

        /** A counter's growth in the minute; a series that did not exist yet (no GC so far) counts from 0. */
        double delta(boolean api, String name, String labels) {
            Map<String, Double> before = api ? a.apiProm : a.workerProm;
            return gauge(api, name, labels) - (before.isEmpty() ? Double.NaN : before.getOrDefault(name + "|" + labels, 0.0));
        }

        String line() {
            return String.format(Locale.ROOT, "%4d %8d %6d %7.2f %8.2f %8.1f %4.0f%% | %8d | %7d %7d %8.1f | %7s %7s %6.0f%% %6.0f%%",
                    minute, sent(), errors(), p50(), p99(), max(), hitPercent(), csvRows(), kafkaSent(), kafkaScored(),
                    kafkaP99(), mb(b.apiRssKb), mb(b.workerRssKb), cpu(a.apiTicks, b.apiTicks),
                    cpu(a.workerTicks, b.workerTicks));
        }
    }

    private static String mb(long kb) {
        return kb < 0 ? "gone" : Long.toString(Math.round(kb / 1024.0));
    }

    // ------------------------------------------------------------------------------------------
    // /predict: pacer, tickets, senders

    /** How many requests ten seconds at the rate are, within [1,000, 1,000,000]. */
    private int backlogLimit() {
        if (rate <= 0) {
            throw new IllegalStateException("the rate must be set before the backlog is sized");
        }
        return (int) Math.max(1000, Math.min(rate * 10, 1_000_000));
    }

    private final class PredictLoad {

        final LongAdder scheduled = new LongAdder();
        final LongAdder ok = new LongAdder();
        final LongAdder hits = new LongAdder();
        final LongAdder non200 = new LongAdder();
        final LongAdder ioErrors = new LongAdder();
        final LongAdder dropped = new LongAdder();
        final Map<String, LongAdder> errorKinds = new ConcurrentHashMap<>();
        final AtomicInteger inFlight = new AtomicInteger();
        final Recorder latency = new Recorder(1, HIGHEST_MICROS, 3);
        /** The slowest answer since the timeline's last line, microseconds. */
        final AtomicLong slowest = new AtomicLong();
        /**
         * Intended send times, nanoTime; at most ten seconds of backlog. (Sized by the rate, so made
         * after it is set: as a field initialiser of the driver it saw a rate of 0 and held 1,000
         * tickets, 0.4 s at 2,500 req/s, and a stall of half a second counted as dropped requests.)
         */
        final ArrayBlockingQueue<Long> tickets = new ArrayBlockingQueue<>(backlogLimit());
        final List<Thread> threads = new ArrayList<>();
        volatile boolean pacerDone;

        void start(long start, long end) {
            threads.add(Thread.ofPlatform().name("predict-pacer").daemon().start(() -> pace(start, end)));
            for (int i = 0; i < connections; i++) {
                SplittableRandom random = new SplittableRandom(7919L * (i + 1) + System.nanoTime());
                threads.add(Thread.ofVirtual().name("predict-" + i).start(() -> send(random)));
            }
        }

        private void pace(long start, long end) {
            try {
                for (long i = 0;;) {
                    long intended = start + ramped(i, rate);
                    if (intended >= end) {
                        return;
                    }
                    long now = System.nanoTime();
                    if (intended > now) {
                        LockSupport.parkNanos(Math.min(intended - now, 1_000_000));
                        continue;
                    }
                    // due, maybe late: each ticket keeps its own intended time
                    scheduled.increment();
                    if (!tickets.offer(intended)) {
                        dropped.increment();
                        kind("not sent: more than 10 s of backlog in the client (the api, or the client's connections, did not keep up)");
                    }
                    i++;
                }
            }
            finally {
                pacerDone = true;
            }
        }

        private void send(SplittableRandom random) {
            StringBuilder body = new StringBuilder(400);
            StringBuilder answer = new StringBuilder(200);
            Http1 connection = null;
            while (true) {
                Long intended;
                try {
                    intended = tickets.poll(100, TimeUnit.MILLISECONDS);
                }
                catch (InterruptedException ex) {
                    return;
                }
                if (intended == null) {
                    if (pacerDone && tickets.isEmpty()) {
                        if (connection != null) {
                            connection.close();
                        }
                        return;
                    }
                    continue;
                }
                inFlight.incrementAndGet();
                try {
                    double[] features = random.nextDouble() < hitShare ? hot[random.nextInt(hot.length)]
                            : perturbed(sample[random.nextInt(sample.length)], random);
                    body.setLength(0);
                    body.append("{\"features\":");
                    appendArray(body, features);
                    body.append('}');
                    if (connection == null) {
                        connection = new Http1(predictUri.getHost(), predictUri.getPort(), REQUEST_TIMEOUT);
                    }
                    int status = connection.exchange(request(body), answer);
                    long micros = (System.nanoTime() - intended) / 1000;
                    slowest.accumulateAndGet(micros, Math::max);
                    if (!connection.reusable()) {
                        connection.close(); // the server said Connection: close (Tomcat does every 100 requests)
                        connection = null;
                    }
                    if (status == 200) {
                        latency.recordValue(Math.clamp(micros, 1, HIGHEST_MICROS));
                        ok.increment();
                        if (answer.indexOf("\"cached\":true") >= 0) {
                            hits.increment();
                        }
                    }
                    else {
                        non200.increment();
                        String text = answer.toString().replaceAll("\\s+", " ");
                        kind("HTTP " + status + ": " + text.substring(0, Math.min(200, text.length())));
                    }
                }
                catch (IOException | RuntimeException ex) {
                    ioErrors.increment();
                    kind(ex.getClass().getName() + ": " + ex.getMessage());
                    if (connection != null) {
                        connection.close();
                        connection = null;
                    }
                }
                finally {
                    inFlight.decrementAndGet();
                }
            }
        }

        /** The request's bytes: the fixed head, the length, the JSON body (ASCII). */
        private byte[] request(StringBuilder body) {
            byte[] length = (body.length() + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
            byte[] bytes = new byte[predictHead.length + length.length + body.length()];
            System.arraycopy(predictHead, 0, bytes, 0, predictHead.length);
            System.arraycopy(length, 0, bytes, predictHead.length, length.length);
            for (int i = 0, at = predictHead.length + length.length; i < body.length(); i++) {
                bytes[at + i] = (byte) body.charAt(i);
            }
            return bytes;
        }

        private void kind(String what) {
            if (errorKinds.size() < 30 || errorKinds.containsKey(what)) {
                errorKinds.computeIfAbsent(what, k -> new LongAdder()).increment();
            }
        }

        void await(long deadline) throws InterruptedException {
            for (Thread thread : threads) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !thread.join(Duration.ofNanos(left))) {
                    log.println("predict: senders still busy at the drain deadline");
                    return;
                }
            }
        }
    }

    private double[] perturbed(double[] row, SplittableRandom random) {
        double[] f = new double[row.length];
        for (int i = 0; i < row.length; i++) {
            f[i] = row[i] + random.nextGaussian() * jitter;
        }
        return f;
    }

    private static void appendArray(StringBuilder s, double[] values) {
        s.append('[');
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                s.append(',');
            }
            s.append(values[i]); // shortest repr that reads back as the same double
        }
        s.append(']');
    }

    // ------------------------------------------------------------------------------------------
    // Kafka: paced producer, results and dead-letter reader

    private final class StreamLoad {

        final AtomicLong sent = new AtomicLong();
        final AtomicLong acked = new AtomicLong();
        final LongAdder sendErrors = new LongAdder();
        final AtomicLong scored = new AtomicLong();
        final AtomicLong deadLetters = new AtomicLong();
        final AtomicLong foreign = new AtomicLong();
        final Recorder latency = new Recorder(1, HIGHEST_MICROS, 3);
        final CountDownLatch consumerReady = new CountDownLatch(1);
        volatile String firstSendError;
        volatile boolean stopped;
        volatile Exception consumerError;
        Thread producerThread;
        Thread consumerThread;

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
                for (String topic : List.of(resultsTopic, deadLetterTopic)) {
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
                        if (record.topic().equals(deadLetterTopic)) {
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
                        latency.recordValue(Math.clamp(micros, 1, HIGHEST_MICROS));
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
            try (var producer = new KafkaProducer<byte[], byte[]>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
                producer.partitionsFor(requestsTopic);
                long n = 0;
                while (streamRate > 0) {
                    long now = System.nanoTime();
                    if (now >= end) {
                        break;
                    }
                    long due = dueBy(now - start, streamRate);
                    for (; n < due; n++) {
                        json.setLength(0);
                        json.append("{\"request_id\":\"").append(tag).append('-').append(n).append('-')
                                .append((System.nanoTime() - origin) / 1000).append("\",\"features\":");
                        appendArray(json, perturbed(sample[random.nextInt(sample.length)], random));
                        json.append('}');
                        producer.send(new ProducerRecord<>(requestsTopic, json.toString().getBytes(StandardCharsets.UTF_8)),
                                (metadata, ex) -> {
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

    // ------------------------------------------------------------------------------------------
    // CSV files into the inbox

    private final class CsvDrops {

        final List<String> names = new java.util.concurrent.CopyOnWriteArrayList<>();
        final LongAdder failures = new LongAdder();
        volatile String firstFailure;

        /**
         * Writes the files of minutes {@code first} to {@code last} (minute 0 is the warm-up's) as
         * {@code .part} files in the inbox, which the worker does not take. A drop is then only a
         * rename: the load generator formats no CSV while the load runs, where its 200,000 numbers
         * a minute took CPU from the api at the start of every minute. Each file has rows of its
         * own, since the worker does not score again a file it has scored before.
         */
        void prepare(int first, int last) throws IOException {
            for (int minute = first; minute <= last; minute++) {
                SplittableRandom random = new SplittableRandom(minute * 1_000_003L + System.nanoTime());
                StringBuilder line = new StringBuilder(400);
                try (BufferedWriter writer = Files.newBufferedWriter(part(minute), StandardCharsets.UTF_8)) {
                    writer.write("row_id," + String.join(",", featureNames) + "\n");
                    for (int i = 0; i < csvRows; i++) {
                        line.setLength(0);
                        line.append('m').append(minute).append("-r").append(i);
                        for (double v : perturbed(sample[random.nextInt(sample.length)], random)) {
                            line.append(',').append(v);
                        }
                        writer.append(line).append('\n');
                    }
                }
            }
        }

        void drop(int minute) {
            String name = name(minute);
            try {
                Files.move(part(minute), inbox.resolve(name), StandardCopyOption.ATOMIC_MOVE);
                names.add(name);
            }
            catch (IOException ex) {
                failures.increment();
                firstFailure = ex.toString();
                log.println("csv: could not drop " + name + ": " + ex);
            }
        }

        private String name(int minute) {
            return String.format(Locale.ROOT, "soak-%s-%03d.csv", tag, minute);
        }

        private Path part(int minute) {
            return inbox.resolve(name(minute) + ".part");
        }
    }

    private record BatchStats(long files, long completed, long failed, long rowsScored, long rowsRejected) {

        static final BatchStats NONE = new BatchStats(0, 0, 0, 0, 0);
    }

    private BatchStats batchStats(Connection db) {
        try (PreparedStatement q = db.prepareStatement("SELECT count(*), count(*) FILTER (WHERE status = 'completed'), "
                + "count(*) FILTER (WHERE status = 'failed'), coalesce(sum(rows_scored), 0), coalesce(sum(rows_rejected), 0) "
                + "FROM batches"); ResultSet r = q.executeQuery()) {
            r.next();
            return new BatchStats(r.getLong(1), r.getLong(2), r.getLong(3), r.getLong(4), r.getLong(5));
        }
        catch (SQLException ex) {
            log.println("batches: " + ex.getMessage());
            return BatchStats.NONE;
        }
    }

    /** Mean and p99 (ms) of latency_micros of the api's audit rows created in [from, to): its time before the audit publish. */
    private double[] auditLatency(Connection db, Instant from, Instant to) {
        try (PreparedStatement q = db.prepareStatement("SELECT avg(latency_micros), percentile_cont(0.99) WITHIN GROUP "
                + "(ORDER BY latency_micros) FROM prediction_audit WHERE source = 'api' AND created_at >= ? AND created_at < ?")) {
            q.setTimestamp(1, Timestamp.from(from));
            q.setTimestamp(2, Timestamp.from(to));
            try (ResultSet r = q.executeQuery()) {
                r.next();
                double mean = r.getDouble(1);
                boolean none = r.wasNull();
                double p99 = r.getDouble(2);
                return none ? new double[] {Double.NaN, Double.NaN} : new double[] {mean / 1000, p99 / 1000};
            }
        }
        catch (SQLException ex) {
            log.println("audit latency: " + ex.getMessage());
            return new double[] {Double.NaN, Double.NaN};
        }
    }

    /** Rows inserted into prediction_audit, from PostgreSQL's statistics (cheap; they lag by about a second). */
    private long auditInserted(Connection db) {
        try (PreparedStatement q = db.prepareStatement("SELECT n_tup_ins FROM pg_stat_user_tables "
                + "WHERE schemaname = current_schema() AND relname = 'prediction_audit'"); ResultSet r = q.executeQuery()) {
            return r.next() ? r.getLong(1) : -1;
        }
        catch (SQLException ex) {
            return -1;
        }
    }

    private Map<String, Long> auditRows(Connection db) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>(Map.of("api", 0L, "batch", 0L, "stream", 0L));
        try (PreparedStatement q = db.prepareStatement("SELECT source, count(*) FROM prediction_audit GROUP BY source");
                ResultSet r = q.executeQuery()) {
            while (r.next()) {
                counts.put(r.getString(1), r.getLong(2));
            }
        }
        return counts;
    }

    // ------------------------------------------------------------------------------------------
    // drain: after the load, everything must arrive

    private record Drain(long kafkaAcked, long kafkaScored, BatchStats batches, Map<String, Long> audit, long expectedApi,
            boolean complete) {
    }

    private Drain drain(Connection db, long deadline) throws Exception {
        long lastLog = System.nanoTime();
        while (true) {
            long acked = stream.acked.get();
            long scored = stream.scored.get();
            BatchStats batches = batchStats(db);
            int dropped = csv.names.size();
            boolean kafkaDone = scored >= acked;
            boolean filesDone = batches.completed() + batches.failed() >= dropped;
            Map<String, Long> audit = kafkaDone && filesDone ? auditRows(db) : null;
            long expectedApi = predict.ok.sum();
            boolean auditDone = audit != null && audit.get("api") >= expectedApi && audit.get("stream") >= scored
                    && audit.get("batch") >= batches.rowsScored();
            long now = System.nanoTime();
            if ((kafkaDone && filesDone && auditDone) || now >= deadline) {
                if (audit == null) {
                    audit = auditRows(db);
                }
                return new Drain(acked, scored, batches, audit, expectedApi, kafkaDone && filesDone && auditDone);
            }
            if (now - lastLog > TimeUnit.SECONDS.toNanos(10)) {
                lastLog = now;
                log.printf("  draining: Kafka results %,d of %,d, files done %d of %d%s%n", scored, acked,
                        batches.completed() + batches.failed(), dropped,
                        audit == null ? "" : String.format(", audit rows api %,d of %,d", audit.get("api"), expectedApi));
            }
            Thread.sleep(audit == null ? 500 : 2000);
        }
    }

    // ------------------------------------------------------------------------------------------
    // summary

    private int summary(List<Row> rows, Snapshot warmup, Snapshot last, Snapshot after, Drain drain, double drainSeconds,
            Connection db) throws IOException {
        Row first = rows.getFirst();
        Row lastRow = rows.getLast();
        Histogram all = new Histogram(1, HIGHEST_MICROS, 3);
        Histogram kafkaAll = new Histogram(1, HIGHEST_MICROS, 3);
        rows.forEach(r -> {
            all.add(r.b.latency);
            kafkaAll.add(r.b.kafkaLatency);
        });

        out.println();
        out.println("memory and CPU per minute (Prometheus from each process; old gen = G1 Old Gen used at that instant; "
                + "GC = pause time in the minute):");
        String part = String.format("%6s %7s %7s %6s %6s %5s %7s", "RSS MB", "heap MB", "old MB", "nonhp", "direct",
                "thr", "GC ms");
        String columns = "%4s | %-" + part.length() + "s | %-" + part.length() + "s | %7s %7s %10s | %8s %8s %8s %8s%n";
        out.printf(columns, "", "api", "worker", "", "", "", "api's own", "timing", "before", "audit");
        out.printf(columns, "min", part, part, "machine", "driver", "audit lag", "mean ms", "max ms", "mean ms", "p99 ms");
        for (Row r : rows) {
            long expectedAudit = r.b.ok + r.b.kafkaScored + r.b.batches.rowsScored();
            double served = r.delta(true, "http_server_requests_seconds_count", "uri=\"/predict\"");
            double servedSeconds = r.delta(true, "http_server_requests_seconds_sum", "uri=\"/predict\"");
            out.printf(Locale.ROOT, "%4d | %s | %s | %6.0f%% %6.0f%% %10s | %8.2f %8.1f %8.2f %8.2f%n", r.minute, memory(r, true),
                    memory(r, false),
                    r.machineCpu(), r.cpu(r.a.selfTicks, r.b.selfTicks),
                    r.b.auditInserted < 0 ? "-" : String.format("%,d", expectedAudit - r.b.auditInserted),
                    served > 0 ? 1000 * servedSeconds / served : Double.NaN,
                    1000 * r.gauge(true, "http_server_requests_seconds_max", "uri=\"/predict\""), r.beforeAudit[0],
                    r.beforeAudit[1]);
        }
        out.println("(machine: all processes, % of one core; audit lag: answered predictions + scored Kafka and CSV rows so far, less "
                + "the rows PostgreSQL's statistics count as inserted into prediction_audit; api's own timing: /predict as the api "
                + "measures it, from the request's arrival to the response, mean over the minute and Micrometer's recent max: "
                + "far below the client's latency means the time went to queueing before the api saw the request, in this "
                + "client or in the kernel, typically for want of CPU; before audit: the part of it before the api waits for "
                + "Kafka to acknowledge the audit record, from the latency_micros of the minute's api audit rows: the rest of "
                + "the api's time is mostly that wait)");

        // errors, flow by flow
        long predictNon200 = after.non200;
        long predictIo = after.ioErrors;
        long predictDropped = after.dropped;
        long predictErrors = predictNon200 + predictIo + predictDropped;
        long kafkaUnscored = Math.max(0, drain.kafkaAcked() - drain.kafkaScored());
        long kafkaErrors = after.kafkaSendErrors + kafkaUnscored + after.deadLetters;
        int dropped = csv.names.size();
        long filesUnfinished = Math.max(0, dropped - drain.batches().completed() - drain.batches().failed());
        long csvRowsExpected = (long) dropped * csvRows;
        long csvMissingRows = Math.max(0, csvRowsExpected - drain.batches().rowsScored());
        long[] resultFiles = resultFilesMismatch(db);
        long resultMismatch = resultFiles[1];
        long csvErrors = csv.failures.sum() + drain.batches().failed() + filesUnfinished + drain.batches().rowsRejected()
                + resultMismatch + (drain.batches().failed() + filesUnfinished == 0 ? csvMissingRows : 0);
        long auditMissing = Math.max(0, drain.expectedApi() - drain.audit().get("api"))
                + Math.max(0, drain.kafkaScored() - drain.audit().get("stream"))
                + Math.max(0, drain.batches().rowsScored() - drain.audit().get("batch"));
        long auditExtra = Math.max(0, drain.audit().get("api") - drain.expectedApi())
                + Math.max(0, drain.audit().get("stream") - drain.kafkaScored())
                + Math.max(0, drain.audit().get("batch") - drain.batches().rowsScored());
        long totalErrors = predictErrors + kafkaErrors + csvErrors + auditMissing;
        long warmupErrors = warmup == null ? 0 : warmup.non200 + warmup.ioErrors + warmup.dropped;
        long drainErrors = predictErrors - (last.non200 + last.ioErrors + last.dropped);

        out.println();
        out.println("== bench/soak summary ==");
        out.printf(Locale.ROOT, "/predict: %,d sent, %,d answered 200 (%.1f%% cache hits), p50 %.2f ms, p99 %.2f ms, max %.1f ms over the %d minute(s)%n",
                after.scheduled, after.ok, after.ok == 0 ? 0.0 : 100.0 * after.hits / after.ok,
                all.getValueAtPercentile(50) / 1000.0, all.getValueAtPercentile(99) / 1000.0, all.getMaxValue() / 1000.0, rows.size());
        out.printf(Locale.ROOT, "Kafka: %,d requests sent, %,d acknowledged, %,d results read, %d dead letters; result latency p50 %.1f ms, p99 %.1f ms%n",
                after.kafkaSent, drain.kafkaAcked(), drain.kafkaScored(), after.deadLetters,
                kafkaAll.getValueAtPercentile(50) / 1000.0, kafkaAll.getValueAtPercentile(99) / 1000.0);
        out.printf(Locale.ROOT, "CSV: %d files of %,d rows dropped, %d completed, %d failed, %,d rows scored, %,d rejected; "
                + "%d results files checked, %d with a wrong row count%n", dropped, csvRows, drain.batches().completed(),
                drain.batches().failed(), drain.batches().rowsScored(), drain.batches().rowsRejected(), resultFiles[0], resultMismatch);
        out.printf(Locale.ROOT, "audit rows: api %,d (answered %,d), stream %,d, batch %,d; drained in %.1f s%s%n",
                drain.audit().get("api"), drain.expectedApi(), drain.audit().get("stream"), drain.audit().get("batch"),
                drainSeconds, drain.complete() ? "" : " (NOT complete at the drain deadline)");
        double fallbacks = promValue(after.apiProm, "scorepipe_audit_fallbacks_total", "");
        double cacheTrouble = promValue(after.apiProm, "scorepipe_cache_requests_total", "result=\"error\"")
                + promValue(after.apiProm, "scorepipe_cache_requests_total", "result=\"skipped\"");
        out.printf(Locale.ROOT, "api counters over the whole run: %.0f audit records written directly (Kafka did not ack in time), "
                + "%.0f predictions past the cache (Redis errors or skipped)%n", fallbacks, cacheTrouble);

        out.println();
        out.printf(Locale.ROOT, "errors: %,d in all%n", totalErrors);
        out.printf(Locale.ROOT, "  /predict: %,d (non-200 %,d, I/O %,d, dropped for backlog %,d; of them %,d in the warm-up, %,d after the last minute)%n",
                predictErrors, predictNon200, predictIo, predictDropped, warmupErrors, drainErrors);
        predict.errorKinds.entrySet().stream().sorted((x, y) -> Long.compare(y.getValue().sum(), x.getValue().sum())).limit(8)
                .forEach(e -> out.printf("      %,8d x %s%n", e.getValue().sum(), e.getKey()));
        out.printf(Locale.ROOT, "  Kafka: %d (send failures %d, without a result after the drain %d, dead letters %d)%s%n", kafkaErrors,
                after.kafkaSendErrors, kafkaUnscored, after.deadLetters,
                stream.firstSendError == null ? "" : "; first send failure: " + stream.firstSendError);
        out.printf(Locale.ROOT, "  CSV: %d (drops that failed %d, files failed %d, unfinished %d, rows rejected %d, results files "
                + "with a wrong row count %d, rows missing %d)%n", csvErrors, csv.failures.sum(), drain.batches().failed(),
                filesUnfinished, drain.batches().rowsRejected(), resultMismatch, csvMissingRows);
        if (drain.batches().failed() > 0) {
            failedBatches(db).forEach(e -> out.println("      " + e));
        }
        out.printf(Locale.ROOT, "  audit rows missing: %d%s%n", auditMissing,
                auditExtra > 0 ? " (and " + auditExtra + " more rows than answered predictions: requests that failed at the "
                        + "client but were answered, or duplicates)" : "");
        if (stream.foreign.get() > 0) {
            out.printf("  note: %d results on the results topic were not this run's%n", stream.foreign.get());
        }

        double p99First = first.p99();
        double p99Last = lastRow.p99();
        double growth = 100 * (p99Last / p99First - 1);
        out.println();
        out.printf(Locale.ROOT, "p99 of /predict: first minute %.2f ms, last minute %.2f ms (%+.1f%%); limit %.1f x first = %.2f ms%n",
                p99First, p99Last, growth, P99_GROWTH_LIMIT, P99_GROWTH_LIMIT * p99First);
        boolean rssApi = rssReport("api", rows, true);
        boolean rssWorker = rssReport("worker", rows, false);
        if (rows.size() < RSS_WINDOW) {
            out.printf("  (only %d minute(s): levelling judged on those; a run of %d or more minutes judges the last %d)%n",
                    rows.size(), RSS_WINDOW, RSS_WINDOW);
        }
        double served = promValue(after.apiProm, "http_server_requests_seconds_count", "uri=\"/predict\"")
                - promValue(first.a.apiProm, "http_server_requests_seconds_count", "uri=\"/predict\"");
        double servedSeconds = promValue(after.apiProm, "http_server_requests_seconds_sum", "uri=\"/predict\"")
                - promValue(first.a.apiProm, "http_server_requests_seconds_sum", "uri=\"/predict\"");
        if (predictDropped > 0 && served > 0) {
            double meanSeconds = servedSeconds / served;
            out.printf(Locale.ROOT, "note: requests were dropped for backlog. The api's own mean time per /predict over the minutes was "
                    + "%.1f ms; %d connections then carry at most about %,.0f req/s (connections / time per request) against "
                    + "the %,.0f req/s asked for%s%n", 1000 * meanSeconds, connections, connections / meanSeconds, rate,
                    connections / meanSeconds < 1.2 * rate ? ": the api was too slow per request for this rate (see its CPU and "
                            + "the machine's in the tables), the connections only made that visible" : "");
        }
        for (Row r : rows) {
            if (r.b.backlog > rate) {
                out.printf(Locale.ROOT, "note: at the end of minute %d, %,d requests were waiting or in flight (over a second's worth): "
                        + "the api, or this client, did not keep up%n", r.minute, r.b.backlog);
            }
        }

        boolean zeroErrors = totalErrors == 0;
        boolean p99Ok = !Double.isNaN(p99Last) && p99Last <= P99_GROWTH_LIMIT * p99First;
        boolean rssOk = rssApi && rssWorker;
        out.println();
        out.println("acceptance:");
        out.printf("  zero errors:                       %-6s (%d)%n", zeroErrors ? "met" : "MISSED", totalErrors);
        out.printf(Locale.ROOT, "  p99 last minute <= 1.5 x first:    %-6s (%.2f ms vs %.2f ms)%n", p99Ok ? "met" : "MISSED",
                p99Last, P99_GROWTH_LIMIT * p99First);
        out.printf("  RSS levelled off (api and worker): %-6s (api %s, worker %s)%n", rssOk ? "met" : "MISSED",
                rssApi ? "levelled" : "NOT levelled", rssWorker ? "levelled" : "NOT levelled");
        boolean accepted = zeroErrors && p99Ok && rssOk;
        out.println(accepted ? "ACCEPTED" : "NOT ACCEPTED");
        if (details != null) {
            writeDetails(rows);
        }
        return accepted ? 0 : 2;
    }

    private String memory(Row r, boolean api) {
        double mib = 1024.0 * 1024.0;
        return String.format(Locale.ROOT, "%6s %7.0f %7.0f %6.0f %6.0f %5.0f %7.0f", mb(api ? r.b.apiRssKb : r.b.workerRssKb),
                r.gauge(api, "jvm_memory_used_bytes", "area=\"heap\"") / mib,
                r.gauge(api, "jvm_memory_used_bytes", "id=\"G1 Old Gen\"") / mib,
                r.gauge(api, "jvm_memory_used_bytes", "area=\"nonheap\"") / mib,
                r.gauge(api, "jvm_buffer_memory_used_bytes", "id=\"direct\"") / mib,
                r.gauge(api, "jvm_threads_live_threads", ""),
                1000 * r.delta(api, "jvm_gc_pause_seconds_sum", ""));
    }

    /** Prints first vs last RSS and whether the last minutes are within the spread; returns the latter. */
    private boolean rssReport(String name, List<Row> rows, boolean api) {
        long firstKb = api ? rows.getFirst().b.apiRssKb : rows.getFirst().b.workerRssKb;
        long lastKb = api ? rows.getLast().b.apiRssKb : rows.getLast().b.workerRssKb;
        List<Row> window = rows.subList(Math.max(0, rows.size() - RSS_WINDOW), rows.size());
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (Row r : window) {
            long kb = api ? r.b.apiRssKb : r.b.workerRssKb;
            min = Math.min(min, kb);
            max = Math.max(max, kb);
        }
        boolean alive = min > 0;
        double spread = alive ? (max - min) / (double) min : Double.NaN;
        boolean levelled = alive && spread <= RSS_SPREAD_LIMIT;
        out.printf(Locale.ROOT, "RSS %-6s: first minute %s MB, last minute %s MB (%+.1f%%); last %d minute(s) within %.1f%% of each other "
                + "(limit %.0f%%): %s%n", name, mb(firstKb), mb(lastKb), firstKb > 0 && lastKb > 0 ? 100.0 * (lastKb - firstKb) / firstKb : Double.NaN,
                window.size(), 100 * spread, 100 * RSS_SPREAD_LIMIT, levelled ? "levelled off" : "NOT levelled off");
        return levelled;
    }

    /** {checked, mismatched}: the dropped files' results files, and those without one line per row (plus the header). */
    private long[] resultFilesMismatch(Connection db) {
        long checked = 0;
        long mismatched = 0;
        try (PreparedStatement q = db.prepareStatement("SELECT file_name, results_path FROM batches WHERE status = 'completed'");
                ResultSet r = q.executeQuery()) {
            while (r.next()) {
                String path = r.getString(2);
                if (!csv.names.contains(r.getString(1)) || path == null) {
                    continue;
                }
                checked++;
                try (Stream<String> lines = Files.lines(Path.of(path))) {
                    if (lines.count() != csvRows + 1L) {
                        mismatched++;
                    }
                }
                catch (IOException ex) {
                    mismatched++;
                }
            }
        }
        catch (SQLException ex) {
            log.println("batches: " + ex.getMessage());
        }
        return new long[] {checked, mismatched};
    }

    private List<String> failedBatches(Connection db) {
        List<String> failed = new ArrayList<>();
        try (PreparedStatement q = db.prepareStatement("SELECT file_name, error FROM batches WHERE status = 'failed' LIMIT 5");
                ResultSet r = q.executeQuery()) {
            while (r.next()) {
                failed.add(r.getString(1) + ": " + r.getString(2));
            }
        }
        catch (SQLException ex) {
            failed.add("(could not read: " + ex.getMessage() + ")");
        }
        return failed;
    }

    /** One CSV line per minute with every figure, for plotting or a closer look. */
    /**
     * One line per second until {@code end}: how many /predict requests fell due, were answered
     * 200, were dropped; the backlog and the requests in flight at the second's end; the slowest
     * answer in that second; Kafka requests acknowledged and results read. For finding what a
     * stall lines up with (the GC logs of the processes, a CSV file's start, a checkpoint).
     */
    private void writeTimeline(long start, long end) {
        try (BufferedWriter w = Files.newBufferedWriter(timeline, StandardCharsets.UTF_8)) {
            w.write("wall_clock,second,due,answered_200,dropped,backlog,in_flight,slowest_ms,kafka_acked,kafka_scored\n");
            long due = 0, answered = 0, dropped = 0, acked = 0, scored = 0;
            for (long second = 1; start + TimeUnit.SECONDS.toNanos(second) <= end; second++) {
                sleepUntil(start + TimeUnit.SECONDS.toNanos(second));
                long dueNow = predict.scheduled.sum(), answeredNow = predict.ok.sum(), droppedNow = predict.dropped.sum();
                long ackedNow = stream.acked.get(), scoredNow = stream.scored.get();
                w.write(String.format(Locale.ROOT, "%s,%d,%d,%d,%d,%d,%d,%.1f,%d,%d%n", Instant.now(), second, dueNow - due,
                        answeredNow - answered, droppedNow - dropped, predict.tickets.size(), predict.inFlight.get(),
                        predict.slowest.getAndSet(0) / 1000.0, ackedNow - acked, scoredNow - scored));
                w.flush();
                due = dueNow;
                answered = answeredNow;
                dropped = droppedNow;
                acked = ackedNow;
                scored = scoredNow;
            }
        }
        catch (IOException ex) {
            log.println("timeline: " + ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private void writeDetails(List<Row> rows) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(details, StandardCharsets.UTF_8)) {
            w.write("minute,seconds,sent,ok,errors,p50_ms,p90_ms,p99_ms,p999_ms,max_ms,hit_percent,csv_rows,kafka_sent,kafka_scored,"
                    + "kafka_p50_ms,kafka_p99_ms,api_rss_kb,worker_rss_kb,api_cpu,worker_cpu,driver_cpu,machine_cpu,backlog,"
                    + "api_heap_mb,api_old_mb,api_nonheap_mb,api_threads,worker_heap_mb,worker_old_mb,worker_nonheap_mb,worker_threads\n");
            for (Row r : rows) {
                Histogram h = r.b.latency;
                w.write(String.format(Locale.ROOT, "%d,%.3f,%d,%d,%d,%.3f,%.3f,%.3f,%.3f,%.3f,%.1f,%d,%d,%d,%.3f,%.3f,%d,%d,%.1f,%.1f,%.1f,%.1f,%d,"
                        + "%.1f,%.1f,%.1f,%.0f,%.1f,%.1f,%.1f,%.0f%n",
                        r.minute, r.seconds(), r.sent(), r.ok(), r.errors(), r.p50(), h.getValueAtPercentile(90) / 1000.0, r.p99(),
                        h.getValueAtPercentile(99.9) / 1000.0, r.max(), r.hitPercent(), r.csvRows(), r.kafkaSent(), r.kafkaScored(),
                        r.b.kafkaLatency.getValueAtPercentile(50) / 1000.0, r.kafkaP99(), r.b.apiRssKb, r.b.workerRssKb,
                        r.cpu(r.a.apiTicks, r.b.apiTicks), r.cpu(r.a.workerTicks, r.b.workerTicks), r.cpu(r.a.selfTicks, r.b.selfTicks),
                        r.machineCpu(), r.b.backlog,
                        r.gauge(true, "jvm_memory_used_bytes", "area=\"heap\"") / 1048576, r.gauge(true, "jvm_memory_used_bytes", "id=\"G1 Old Gen\"") / 1048576,
                        r.gauge(true, "jvm_memory_used_bytes", "area=\"nonheap\"") / 1048576, r.gauge(true, "jvm_threads_live_threads", ""),
                        r.gauge(false, "jvm_memory_used_bytes", "area=\"heap\"") / 1048576, r.gauge(false, "jvm_memory_used_bytes", "id=\"G1 Old Gen\"") / 1048576,
                        r.gauge(false, "jvm_memory_used_bytes", "area=\"nonheap\"") / 1048576, r.gauge(false, "jvm_threads_live_threads", "")));
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // Prometheus text: the few series the report reads, summed over whatever other labels they carry

    private static final List<String[]> SERIES = List.of(
            new String[] {"jvm_memory_used_bytes", "area=\"heap\""},
            new String[] {"jvm_memory_used_bytes", "id=\"G1 Old Gen\""},
            new String[] {"jvm_memory_used_bytes", "area=\"nonheap\""},
            new String[] {"jvm_buffer_memory_used_bytes", "id=\"direct\""},
            new String[] {"jvm_threads_live_threads", ""},
            new String[] {"jvm_gc_pause_seconds_sum", ""},
            new String[] {"scorepipe_audit_fallbacks_total", ""},
            new String[] {"scorepipe_cache_requests_total", "result=\"error\""},
            new String[] {"scorepipe_cache_requests_total", "result=\"skipped\""},
            new String[] {"http_server_requests_seconds_count", "uri=\"/predict\""},
            new String[] {"http_server_requests_seconds_sum", "uri=\"/predict\""},
            new String[] {"http_server_requests_seconds_max", "uri=\"/predict\""});

    private Map<String, Double> prometheus(URI uri) {
        Map<String, Double> values = new HashMap<>();
        String text;
        try {
            HttpResponse<String> response = metricsHttp.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return values;
            }
            text = response.body();
        }
        catch (IOException ex) {
            return values;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return values;
        }
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.charAt(0) == '#') {
                continue;
            }
            int space = line.lastIndexOf(' ');
            int brace = line.indexOf('{');
            String name = brace >= 0 && brace < space ? line.substring(0, brace) : line.substring(0, space);
            String labels = brace >= 0 && brace < space ? line.substring(brace, space) : "";
            for (String[] series : SERIES) {
                if (series[0].equals(name) && labels.contains(series[1])) {
                    try {
                        values.merge(series[0] + "|" + series[1], Double.parseDouble(line.substring(space + 1)),
                                series[0].endsWith("_max") ? Double::max : Double::sum);
                    }
                    catch (NumberFormatException ex) {
                        // NaN or the like: skip
                    }
                }
            }
        }
        return values;
    }

    /** A counter's value (since the process started: the run and its start-up). */
    private static double promValue(Map<String, Double> values, String name, String labels) {
        return values.getOrDefault(name + "|" + labels, 0.0);
    }

    // ------------------------------------------------------------------------------------------
    // /proc

    private static final class Proc {

        private Proc() {
        }

        /** VmRSS in kB, -1 when the process is gone. */
        static long rssKb(long pid) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                    if (line.startsWith("VmRSS:")) {
                        return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
                    }
                }
            }
            catch (IOException | RuntimeException ex) {
                // gone
            }
            return -1;
        }

        /** utime + stime in clock ticks, -1 when the process is gone. */
        static long ticks(long pid) {
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
                return Long.parseLong(f[11]) + Long.parseLong(f[12]);
            }
            catch (IOException | RuntimeException ex) {
                return -1;
            }
        }

        /** {busy, total} ticks of the whole machine. */
        static long[] machineTicks() {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
                    if (line.startsWith("cpu ")) {
                        String[] f = line.trim().split("\\s+");
                        long busy = 0;
                        for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
                            busy += Long.parseLong(f[i]);
                        }
                        return new long[] {busy, busy + Long.parseLong(f[4]) + Long.parseLong(f[5])};
                    }
                }
            }
            catch (IOException | RuntimeException ex) {
                // not Linux
            }
            return new long[] {0, 0};
        }
    }

    // ------------------------------------------------------------------------------------------
    // the warm-up ramp: the rate grows linearly from 0 to its full value over the warm-up

    /** When the {@code i}-th event of a ramped rate is due, in nanoseconds from the start. */
    private long ramped(long i, double perSecond) {
        double w = warmupNanos / 1e9;
        double inRamp = perSecond * w / 2; // events during the ramp
        double seconds = i < inRamp ? Math.sqrt(2 * w * i / perSecond) : w + (i - inRamp) / perSecond;
        return (long) (seconds * 1e9);
    }

    /** How many events of a ramped rate are due after {@code elapsed} nanoseconds. */
    private long dueBy(long elapsed, double perSecond) {
        double w = warmupNanos / 1e9;
        double t = elapsed / 1e9;
        return (long) (t < w ? perSecond * t * t / (2 * w) : perSecond * w / 2 + perSecond * (t - w));
    }

    // ------------------------------------------------------------------------------------------
    // a minimal HTTP/1.1 client connection

    /**
     * One blocking keep-alive HTTP/1.1 connection (on a virtual thread, blocking costs no platform
     * thread): writes a request, reads the status, the headers and the body (by Content-Length,
     * chunked, or to the end of the stream). Enough for POST /predict and nothing more.
     */
    private static final class Http1 implements AutoCloseable {

        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private final byte[] buffer = new byte[16 * 1024];
        private int position;
        private int limit;
        private boolean reusable = true;

        Http1(String host, int port, Duration timeout) throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), 5000);
            socket.setSoTimeout((int) timeout.toMillis());
            in = socket.getInputStream();
            out = socket.getOutputStream();
        }

        boolean reusable() {
            return reusable;
        }

        /** Sends {@code request} and returns the response's status; its body ends up in {@code body}. */
        int exchange(byte[] request, StringBuilder body) throws IOException {
            out.write(request);
            out.flush();
            String statusLine = line();
            if (statusLine == null) {
                throw new EOFException("the connection closed before a response");
            }
            if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12) {
                throw new IOException("not an HTTP/1.x status line: " + statusLine);
            }
            int status = Integer.parseInt(statusLine, 9, 12, 10);
            long length = -1;
            boolean chunked = false;
            for (String header = line(); header != null && !header.isEmpty(); header = line()) {
                int colon = header.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = header.substring(0, colon).trim();
                String value = header.substring(colon + 1).trim();
                if (name.equalsIgnoreCase("Content-Length")) {
                    length = Long.parseLong(value);
                }
                else if (name.equalsIgnoreCase("Transfer-Encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) {
                    chunked = true;
                }
                else if (name.equalsIgnoreCase("Connection") && value.equalsIgnoreCase("close")) {
                    reusable = false;
                }
            }
            body.setLength(0);
            if (chunked) {
                while (true) {
                    String size = line();
                    if (size == null) {
                        throw new EOFException("the connection closed inside a chunked body");
                    }
                    int semicolon = size.indexOf(';');
                    int n = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
                    if (n == 0) {
                        for (String trailer = line(); trailer != null && !trailer.isEmpty(); trailer = line()) {
                            // trailers: none expected
                        }
                        break;
                    }
                    read(n, body);
                    line();
                }
            }
            else if (length >= 0) {
                read(length, body);
            }
            else {
                read(Long.MAX_VALUE, body); // to the end of the stream
                reusable = false;
            }
            return status;
        }

        private boolean fill() throws IOException {
            if (position < limit) {
                return true;
            }
            int n = in.read(buffer);
            if (n <= 0) {
                return false;
            }
            position = 0;
            limit = n;
            return true;
        }

        /** A header line without its CRLF, or null at the end of the stream. */
        private String line() throws IOException {
            StringBuilder line = new StringBuilder(64);
            while (true) {
                if (!fill()) {
                    return line.isEmpty() ? null : line.toString();
                }
                byte b = buffer[position++];
                if (b == '\n') {
                    int end = line.length();
                    return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
                }
                line.append((char) (b & 0xff));
            }
        }

        private void read(long n, StringBuilder body) throws IOException {
            for (long left = n; left > 0;) {
                if (!fill()) {
                    if (n == Long.MAX_VALUE) {
                        return;
                    }
                    throw new EOFException("the connection closed inside the body");
                }
                int take = (int) Math.min(left, limit - position);
                for (int i = 0; i < take; i++) {
                    body.append((char) (buffer[position + i] & 0xff));
                }
                position += take;
                left -= take;
            }
        }

        @Override
        public void close() {
            try {
                socket.close();
            }
            catch (IOException ex) {
                // closing anyway
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // small things

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.SECONDS.toNanos(1)));
        }
    }

    private static Properties dbProperties() {
        Properties props = new Properties();
        props.setProperty("user", "scorepipe");
        return props;
    }

    private static Map<String, String> options(String[] args) {
        return CliOptions.parse(args, 0, SoakDriver::usage);
    }

    private static String required(Map<String, String> options, String name) {
        return CliOptions.required(options, name, SoakDriver::usage);
    }

    private static int positiveInt(Map<String, String> options, String name, String fallback) {
        int value = Integer.parseInt(options.getOrDefault(name, fallback));
        if (value <= 0) {
            throw usage("--" + name + " must be positive, got " + value);
        }
        return value;
    }

    private static IllegalArgumentException usage(String problem) {
        return new IllegalArgumentException(problem + "; see the class comment of io.scorepipe.bench.SoakDriver");
    }
}
