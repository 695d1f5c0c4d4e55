package io.scorepipe.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

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
 * Besides the loads, {@link Monitoring} probes both applications' readiness every 10 s and scrapes
 * their Prometheus endpoints every 15 s, as the deployment's health checks and a Prometheus server do.
 * The warm-up ({@code --warmup} seconds, not in the table) ramps both rates up linearly from zero,
 * so that the JIT compilers of the api and the worker get going before the full load arrives.
 * After the last minute the load stops and the driver waits (up to {@code --drain} seconds) until
 * every Kafka request has its result, every file is scored and {@code prediction_audit} holds one
 * row per answered prediction; what is missing then counts as errors.
 *
 * <pre>
 * SoakDriver --api URL --api-actuator URL --worker-actuator URL --bootstrap B --jdbc URL --requests T --results T
 *            --dead-letter T --data-dir DIR --api-pid P --worker-pid P --tag T [--minutes 10] [--rate 2500]
 *            [--hit-share 0.5] [--hot-vectors 1000] [--jitter 0.001] [--csv-rows 20000] [--stream-rate 500]
 *            [--connections 64] [--warmup 30] [--minute-seconds 60] [--drain 120] [--clk-tck 100] [--details FILE]
 *            [--timeline FILE]
 * </pre>
 *
 * <p>Here are the run's phases and the acceptance; the loads are {@link PredictLoad},
 * {@link StreamLoad} and {@link CsvDrops}, the measurements {@link Snapshots} (of which a
 * {@link Row} is a minute), {@link Drain} and {@link SoakErrors}, and what is printed and written
 * {@link SoakReport}.
 */
public final class SoakDriver {

    private static final PrintStream out = System.out;
    private static final PrintStream log = System.err;
    /** The acceptance: p99 growth and RSS spread. */
    private static final double P99_GROWTH_LIMIT = 1.5;
    private static final double RSS_SPREAD_LIMIT = 0.05;
    private static final int RSS_WINDOW = 3;

    // configuration
    private final String jdbcUrl;
    private final Path inbox;
    private final int minutes;
    private final long minuteNanos;
    private final long warmupNanos;
    private final long drainNanos;
    private final int csvRows;
    private final int clkTck;
    private final Path details;
    /** Where one line per second goes (sent, answered, dropped, backlog, slowest answer), or null. */
    private final Path timeline;

    /** Every nanoTime-based clock of the run starts here (also the origin of the send times in request ids). */
    private final long origin = System.nanoTime();

    private final PredictLoad predict;
    private final StreamLoad stream;
    private final CsvDrops csv;
    private final Snapshots snapshots;
    private final SoakReport report;
    private final List<String> actuators;

    private SoakDriver(Map<String, String> o) {
        URI predictUri = URI.create(required(o, "api") + "/predict");
        actuators = List.of(required(o, "api-actuator"), required(o, "worker-actuator"));
        URI apiMetrics = URI.create(actuators.get(0) + "/actuator/prometheus");
        URI workerMetrics = URI.create(actuators.get(1) + "/actuator/prometheus");
        String bootstrap = required(o, "bootstrap");
        jdbcUrl = required(o, "jdbc");
        StreamLoad.Topics topics = new StreamLoad.Topics(required(o, "requests"), required(o, "results"),
                required(o, "dead-letter"));
        inbox = Path.of(required(o, "data-dir")).resolve("inbox");
        long apiPid = Long.parseLong(required(o, "api-pid"));
        long workerPid = Long.parseLong(required(o, "worker-pid"));
        String tag = required(o, "tag");
        minutes = positiveInt(o, "minutes", "10");
        minuteNanos = TimeUnit.SECONDS.toNanos(positiveInt(o, "minute-seconds", "60"));
        warmupNanos = TimeUnit.SECONDS.toNanos(Integer.parseInt(o.getOrDefault("warmup", "30")));
        drainNanos = TimeUnit.SECONDS.toNanos(positiveInt(o, "drain", "120"));
        double rate = Double.parseDouble(o.getOrDefault("rate", "2500"));
        double hitShare = Double.parseDouble(o.getOrDefault("hit-share", "0.5"));
        int hotCount = positiveInt(o, "hot-vectors", "1000");
        double jitter = Double.parseDouble(o.getOrDefault("jitter", "0.001"));
        csvRows = Integer.parseInt(o.getOrDefault("csv-rows", "20000"));
        double streamRate = Double.parseDouble(o.getOrDefault("stream-rate", "500"));
        int connections = positiveInt(o, "connections", "64");
        clkTck = positiveInt(o, "clk-tck", "100");
        details = o.containsKey("details") ? Path.of(o.get("details")) : null;
        timeline = o.containsKey("timeline") ? Path.of(o.get("timeline")) : null;
        if (rate <= 0 || hitShare < 0 || hitShare > 1 || jitter < 0 || csvRows < 0 || streamRate < 0) {
            throw usage("--rate must be positive, --hit-share within [0, 1], --jitter, --csv-rows and --stream-rate "
                    + "not negative");
        }

        SoakVectors vectors = new SoakVectors(hotCount, jitter);
        Ramp ramp = new Ramp(warmupNanos);
        predict = new PredictLoad(predictUri, rate, hitShare, connections, vectors, ramp);
        stream = new StreamLoad(bootstrap, topics, tag, origin, streamRate, vectors, ramp);
        csv = new CsvDrops(inbox, tag, csvRows, vectors);
        snapshots = new Snapshots(predict, stream, apiPid, workerPid, apiMetrics, workerMetrics);
        report = new SoakReport(predict, stream, csv);
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
        try (Connection connection = DriverManager.getConnection(jdbcUrl, dbProperties());
                Monitoring monitoring = new Monitoring(actuators)) {
            SoakDatabase db = new SoakDatabase(connection);
            long existing = db.auditRows().values().stream().mapToLong(Long::longValue).sum();
            if (existing != 0) {
                throw new IllegalStateException("prediction_audit already holds " + existing
                        + " rows; use a fresh schema");
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
            report.header(minutes, minuteNanos, warmupNanos);
            Snapshot previous = snapshots.take(db);
            predict.start(start, end);
            stream.startProducer(start, end);
            if (timeline != null) {
                Thread.ofPlatform().daemon().name("timeline")
                        .start(() -> report.writeTimeline(timeline, start, end + drainNanos));
            }

            // the warm-up: both rates ramp up, not in the table
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
                warmup = snapshots.take(db);
                Row row = new Row(0, previous, warmup, clkTck);
                log.printf("warm-up done: %,d predictions, %,d errors, p99 %.1f ms, %,d Kafka results%n", row.sent(),
                        row.errors(), row.p99(), row.kafkaScored());
                previous = warmup;
            }

            // the measured minutes: a CSV file at the start of each, a line of the table at its end
            report.tableHeader();
            List<Row> rows = new ArrayList<>();
            for (int m = 1; m <= minutes; m++) {
                if (csvRows > 0) {
                    csv.drop(m); // a rename: the file was written before the load
                }
                sleepUntil(measureStart + m * minuteNanos);
                Snapshot now = snapshots.take(db);
                Row row = new Row(m, previous, now, clkTck);
                rows.add(row);
                report.minute(row);
                previous = now;
            }
            Snapshot last = previous;

            // the load stopped: let what is underway finish, then check that everything arrived
            log.println("load stopped; draining (Kafka results, CSV files, audit rows)");
            long drainStart = System.nanoTime();
            long drainDeadline = drainStart + drainNanos;
            predict.await(drainDeadline);
            stream.awaitProducer(drainDeadline);
            Drain drain = Drain.await(db, predict, stream, csv, drainDeadline);
            double drainSeconds = (System.nanoTime() - drainStart) / 1e9;
            Snapshot after = snapshots.take(db);
            stream.stop();
            // a percentile over each minute's audit rows is a sort of 200,000 rows in PostgreSQL: asked
            // for at each minute's end, it took the CPU from the load at the next minute's start
            for (Row row : rows) {
                row.beforeAudit = db.auditLatency(row.a.wall(), row.b.wall());
            }
            return judge(rows, warmup, last, after, drain, drainSeconds, db);
        }
        finally {
            stream.stop();
        }
    }

    /** The tables and the summary, then the acceptance; returns the exit status, 0 when it holds and 2 when not. */
    private int judge(List<Row> rows, Snapshot warmup, Snapshot last, Snapshot after, Drain drain, double drainSeconds,
            SoakDatabase db) throws IOException {
        report.resources(rows);
        SoakErrors errors = SoakErrors.count(warmup, last, after, drain, csv, db);

        // the acceptance: no errors in any flow, the last minute's p99 at most P99_GROWTH_LIMIT times the
        // first's, and the RSS of the api and of the worker levelled off
        double p99First = rows.getFirst().p99();
        double p99Last = rows.getLast().p99();
        RssLevel rssApi = rssLevel(rows, true);
        RssLevel rssWorker = rssLevel(rows, false);
        boolean zeroErrors = errors.total() == 0;
        boolean p99Ok = !Double.isNaN(p99Last) && p99Last <= P99_GROWTH_LIMIT * p99First;
        boolean rssOk = rssApi.levelled() && rssWorker.levelled();
        boolean accepted = zeroErrors && p99Ok && rssOk;

        report.summary(rows, after, drain, drainSeconds, errors);
        report.p99(p99First, p99Last, P99_GROWTH_LIMIT);
        report.rss("api", rssApi, RSS_SPREAD_LIMIT);
        report.rss("worker", rssWorker, RSS_SPREAD_LIMIT);
        report.rssWindow(rows.size(), RSS_WINDOW);
        report.notes(rows, after, errors);
        report.acceptance(zeroErrors, errors.total(), p99Ok, p99Last, P99_GROWTH_LIMIT * p99First, rssOk, rssApi,
                rssWorker);
        report.verdict(accepted);
        if (details != null) {
            report.writeDetails(details, rows);
        }
        return accepted ? 0 : 2;
    }

    /**
     * Whether the RSS of the api ({@code api}) or the worker levelled off: the last {@link #RSS_WINDOW}
     * minutes' (all of them in a shorter run) within {@link #RSS_SPREAD_LIMIT} of the lowest, the process alive.
     */
    private static RssLevel rssLevel(List<Row> rows, boolean api) {
        List<Row> window = rows.subList(Math.max(0, rows.size() - RSS_WINDOW), rows.size());
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (Row r : window) {
            long kb = r.b.rssKb(api);
            min = Math.min(min, kb);
            max = Math.max(max, kb);
        }
        boolean alive = min > 0;
        double spread = alive ? (max - min) / (double) min : Double.NaN;
        boolean levelled = alive && spread <= RSS_SPREAD_LIMIT;
        return new RssLevel(rows.getFirst().b.rssKb(api), rows.getLast().b.rssKb(api), window.size(), spread, levelled);
    }

    // ------------------------------------------------------------------------------------------
    // small things

    static void sleepUntil(long nanoTime) throws InterruptedException {
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
