package io.scorepipe.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;

/**
 * What {@code bench/soak} prints and writes: the per-minute table, the memory and CPU table, the
 * summary and the verdict on stdout, the per-minute CSV ({@code --details}) and the per-second one
 * ({@code --timeline}).
 */
final class SoakReport {

    private static final PrintStream out = System.out;
    private static final PrintStream log = System.err;

    private static final String TABLE_HEADER = String.format(Locale.ROOT,
            "%4s %8s %6s %7s %8s %8s %5s | %8s | %7s %7s %8s | %7s %7s %7s %7s",
            "min", "sent", "errors", "p50 ms", "p99 ms", "max ms", "hits", "csv rows", "kafka", "scored", "p99 ms",
            "api MB", "wrk MB", "api %", "wrk %");

    private final PredictLoad predict;
    private final StreamLoad stream;
    private final CsvDrops csv;

    SoakReport(PredictLoad predict, StreamLoad stream, CsvDrops csv) {
        this.predict = predict;
        this.stream = stream;
        this.csv = csv;
    }

    // ------------------------------------------------------------------------------------------
    // during the run

    void header(int minutes, long minuteNanos, long warmupNanos) {
        String warmup = warmupNanos > 0
                ? " after a " + TimeUnit.NANOSECONDS.toSeconds(warmupNanos) + " s warm-up ramping up to the same load"
                : "";
        out.printf(Locale.ROOT, "soak: %d minute(s) of %d s%s; /predict at %,.0f req/s open loop over %d connections, "
                + "%.0f%% repeated vectors (%d of them), the rest fresh;%n", minutes,
                TimeUnit.NANOSECONDS.toSeconds(minuteNanos), warmup, predict.rate(), predict.connections(),
                100 * predict.hitShare(), predict.hotCount());
        out.printf(Locale.ROOT, "      a CSV of %,d rows into the inbox at the start of every minute; Kafka requests "
                + "at %,.0f records/s%n", csv.rows(), stream.rate());
        out.println("latency of /predict from the intended send time (200s only); CSV rows and Kafka results as scored "
                + "in the minute;");
        out.println("RSS (VmRSS) at the end of the minute; CPU in % of one core over the minute");
        out.flush();
    }

    void tableHeader() {
        out.println(TABLE_HEADER);
        out.flush();
    }

    /** The table's line of one minute. */
    void minute(Row r) {
        out.println(String.format(Locale.ROOT,
                "%4d %8d %6d %7.2f %8.2f %8.1f %4.0f%% | %8d | %7d %7d %8.1f | %7s %7s %6.0f%% %6.0f%%",
                r.minute, r.sent(), r.errors(), r.p50(), r.p99(), r.max(), r.hitPercent(), r.csvRows(), r.kafkaSent(),
                r.kafkaScored(), r.kafkaP99(), mb(r.b.apiRssKb()), mb(r.b.workerRssKb()),
                r.cpu(r.a.apiTicks(), r.b.apiTicks()), r.cpu(r.a.workerTicks(), r.b.workerTicks())));
        out.flush();
    }

    /**
     * One line per second until {@code end}: how many /predict requests fell due, were answered
     * 200, were dropped; the backlog and the requests in flight at the second's end; the slowest
     * answer in that second; Kafka requests acknowledged and results read. For finding what a
     * stall lines up with (the GC logs of the processes, a CSV file's start, a checkpoint).
     */
    void writeTimeline(Path timeline, long start, long end) {
        try (BufferedWriter w = Files.newBufferedWriter(timeline, StandardCharsets.UTF_8)) {
            w.write("wall_clock,second,due,answered_200,dropped,backlog,in_flight,slowest_ms,kafka_acked,"
                    + "kafka_scored\n");
            long due = 0, answered = 0, dropped = 0, acked = 0, scored = 0;
            for (long second = 1; start + TimeUnit.SECONDS.toNanos(second) <= end; second++) {
                SoakDriver.sleepUntil(start + TimeUnit.SECONDS.toNanos(second));
                long dueNow = predict.scheduled.sum(), answeredNow = predict.ok.sum();
                long droppedNow = predict.dropped.sum();
                long ackedNow = stream.acked.get(), scoredNow = stream.scored.get();
                w.write(String.format(Locale.ROOT, "%s,%d,%d,%d,%d,%d,%d,%.1f,%d,%d%n", Instant.now(), second,
                        dueNow - due, answeredNow - answered, droppedNow - dropped, predict.tickets.size(),
                        predict.inFlight.get(), predict.slowest.getAndSet(0) / 1000.0, ackedNow - acked,
                        scoredNow - scored));
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

    // ------------------------------------------------------------------------------------------
    // after the drain

    /** Memory and CPU per minute, from /proc and each process's Prometheus endpoint. */
    void resources(List<Row> rows) {
        out.println();
        out.println("memory and CPU per minute (Prometheus from each process; old gen = G1 Old Gen used at that "
                + "instant; GC = pause time in the minute):");
        String part = String.format("%6s %7s %7s %6s %6s %5s %7s", "RSS MB", "heap MB", "old MB", "nonhp", "direct",
                "thr", "GC ms");
        String columns = "%4s | %-" + part.length() + "s | %-" + part.length() + "s | %7s %7s %10s | %8s %8s %8s %8s%n";
        out.printf(columns, "", "api", "worker", "", "", "", "api's own", "timing", "before", "audit");
        out.printf(columns, "min", part, part, "machine", "driver", "audit lag", "mean ms", "max ms", "mean ms",
                "p99 ms");
        for (Row r : rows) {
            long expectedAudit = r.b.ok() + r.b.kafkaScored() + r.b.batches().rowsScored();
            double served = r.delta(true, "http_server_requests_seconds_count", "uri=\"/predict\"");
            double servedSeconds = r.delta(true, "http_server_requests_seconds_sum", "uri=\"/predict\"");
            out.printf(Locale.ROOT, "%4d | %s | %s | %6.0f%% %6.0f%% %10s | %8.2f %8.1f %8.2f %8.2f%n", r.minute,
                    memory(r, true), memory(r, false),
                    r.machineCpu(), r.cpu(r.a.selfTicks(), r.b.selfTicks()),
                    r.b.auditInserted() < 0 ? "-" : String.format("%,d", expectedAudit - r.b.auditInserted()),
                    served > 0 ? 1000 * servedSeconds / served : Double.NaN,
                    1000 * r.gauge(true, "http_server_requests_seconds_max", "uri=\"/predict\""), r.beforeAudit[0],
                    r.beforeAudit[1]);
        }
        out.println("(machine: all processes, % of one core; audit lag: answered predictions + scored Kafka and "
                + "CSV rows so far, less the rows PostgreSQL's statistics count as inserted into "
                + "prediction_audit; api's own timing: /predict as the api measures it, from the request's "
                + "arrival to the response, mean over the minute and Micrometer's recent max: far below the "
                + "client's latency means the time went to queueing before the api saw the request, in this "
                + "client or in the kernel, typically for want of CPU; before audit: the part of it before the "
                + "api waits for Kafka to acknowledge the audit record, from the latency_micros of the minute's "
                + "api audit rows: the rest of the api's time is mostly that wait)");
    }

    private static String memory(Row r, boolean api) {
        double mib = 1024.0 * 1024.0;
        return String.format(Locale.ROOT, "%6s %7.0f %7.0f %6.0f %6.0f %5.0f %7.0f", mb(r.b.rssKb(api)),
                r.gauge(api, "jvm_memory_used_bytes", "area=\"heap\"") / mib,
                r.gauge(api, "jvm_memory_used_bytes", "id=\"G1 Old Gen\"") / mib,
                r.gauge(api, "jvm_memory_used_bytes", "area=\"nonheap\"") / mib,
                r.gauge(api, "jvm_buffer_memory_used_bytes", "id=\"direct\"") / mib,
                r.gauge(api, "jvm_threads_live_threads", ""),
                1000 * r.delta(api, "jvm_gc_pause_seconds_sum", ""));
    }

    /** The totals of each flow over the run, then its errors. */
    void summary(List<Row> rows, Snapshot after, Drain drain, double drainSeconds, SoakErrors errors) {
        Histogram all = new Histogram(1, Snapshot.HIGHEST_MICROS, 3);
        Histogram kafkaAll = new Histogram(1, Snapshot.HIGHEST_MICROS, 3);
        rows.forEach(r -> {
            all.add(r.b.latency());
            kafkaAll.add(r.b.kafkaLatency());
        });
        BatchStats batches = drain.batches();

        out.println();
        out.println("== bench/soak summary ==");
        out.printf(Locale.ROOT, "/predict: %,d sent, %,d answered 200 (%.1f%% cache hits), p50 %.2f ms, p99 %.2f ms, "
                + "max %.1f ms over the %d minute(s)%n", after.scheduled(), after.ok(),
                after.ok() == 0 ? 0.0 : 100.0 * after.hits() / after.ok(), all.getValueAtPercentile(50) / 1000.0,
                all.getValueAtPercentile(99) / 1000.0, all.getMaxValue() / 1000.0, rows.size());
        out.printf(Locale.ROOT, "Kafka: %,d requests sent, %,d acknowledged, %,d results read, %d dead letters; result "
                + "latency p50 %.1f ms, p99 %.1f ms%n", after.kafkaSent(), drain.kafkaAcked(), drain.kafkaScored(),
                after.deadLetters(), kafkaAll.getValueAtPercentile(50) / 1000.0,
                kafkaAll.getValueAtPercentile(99) / 1000.0);
        out.printf(Locale.ROOT, "CSV: %d files of %,d rows dropped, %d completed, %d failed, %,d rows scored, %,d "
                + "rejected; %d results files checked, %d with a wrong row count%n", errors.filesDropped(), csv.rows(),
                batches.completed(), batches.failed(), batches.rowsScored(), batches.rowsRejected(),
                errors.resultFilesChecked(), errors.resultFilesMismatched());
        out.printf(Locale.ROOT, "audit rows: api %,d (answered %,d), stream %,d, batch %,d; drained in %.1f s%s%n",
                drain.audit().get("api"), drain.expectedApi(), drain.audit().get("stream"), drain.audit().get("batch"),
                drainSeconds, drain.complete() ? "" : " (NOT complete at the drain deadline)");
        double fallbacks = Prometheus.value(after.apiProm(), "scorepipe_audit_fallbacks_total", "");
        double cacheTrouble = Prometheus.value(after.apiProm(), "scorepipe_cache_requests_total", "result=\"error\"")
                + Prometheus.value(after.apiProm(), "scorepipe_cache_requests_total", "result=\"skipped\"");
        out.printf(Locale.ROOT, "api counters over the whole run: %.0f audit records written directly (Kafka did not "
                + "ack in time), %.0f predictions past the cache (Redis errors or skipped)%n", fallbacks, cacheTrouble);

        out.println();
        out.printf(Locale.ROOT, "errors: %,d in all%n", errors.total());
        out.printf(Locale.ROOT, "  /predict: %,d (non-200 %,d, I/O %,d, dropped for backlog %,d; of them %,d in the "
                + "warm-up, %,d after the last minute)%n", errors.predict(), errors.predictNon200(), errors.predictIo(),
                errors.predictDropped(), errors.predictInWarmup(), errors.predictAfterLoad());
        predict.errorKinds.entrySet().stream().sorted((x, y) -> Long.compare(y.getValue().sum(), x.getValue().sum()))
                .limit(8).forEach(e -> out.printf("      %,8d x %s%n", e.getValue().sum(), e.getKey()));
        out.printf(Locale.ROOT, "  Kafka: %d (send failures %d, without a result after the drain %d, dead letters "
                + "%d)%s%n", errors.kafka(), errors.kafkaSendErrors(), errors.kafkaUnscored(), errors.deadLetters(),
                stream.firstSendError == null ? "" : "; first send failure: " + stream.firstSendError);
        out.printf(Locale.ROOT, "  CSV: %d (drops that failed %d, files failed %d, unfinished %d, rows rejected %d, "
                + "results files with a wrong row count %d, rows missing %d)%n", errors.csv(), errors.dropFailures(),
                errors.filesFailed(), errors.filesUnfinished(), errors.rowsRejected(), errors.resultFilesMismatched(),
                errors.csvRowsMissing());
        errors.failedBatches().forEach(e -> out.println("      " + e));
        out.printf(Locale.ROOT, "  audit rows missing: %d%s%n", errors.auditMissing(),
                errors.auditExtra() > 0 ? " (and " + errors.auditExtra() + " more rows than answered predictions: "
                        + "requests that failed at the client but were answered, or duplicates)" : "");
        if (stream.foreign.get() > 0) {
            out.printf("  note: %d results on the results topic were not this run's%n", stream.foreign.get());
        }
    }

    /** The p99 of the first and the last minute, against the limit of its growth. */
    void p99(double p99First, double p99Last, double growthLimit) {
        double growth = 100 * (p99Last / p99First - 1);
        out.println();
        out.printf(Locale.ROOT, "p99 of /predict: first minute %.2f ms, last minute %.2f ms (%+.1f%%); limit %.1f x "
                + "first = %.2f ms%n", p99First, p99Last, growth, growthLimit, growthLimit * p99First);
    }

    /** A process's RSS: first vs last minute, and the spread of the last minutes against its limit. */
    void rss(String name, RssLevel level, double spreadLimit) {
        long firstKb = level.firstKb();
        long lastKb = level.lastKb();
        out.printf(Locale.ROOT, "RSS %-6s: first minute %s MB, last minute %s MB (%+.1f%%); last %d minute(s) within "
                + "%.1f%% of each other (limit %.0f%%): %s%n", name, mb(firstKb), mb(lastKb),
                firstKb > 0 && lastKb > 0 ? 100.0 * (lastKb - firstKb) / firstKb : Double.NaN, level.minutes(),
                100 * level.spread(), 100 * spreadLimit, level.levelled() ? "levelled off" : "NOT levelled off");
    }

    /** A note when the run had fewer minutes than the RSS window. */
    void rssWindow(int minutes, int window) {
        if (minutes < window) {
            out.printf("  (only %d minute(s): levelling judged on those; a run of %d or more minutes judges the last "
                    + "%d)%n", minutes, window, window);
        }
    }

    /** Notes on what held the load back: requests dropped for backlog, minutes that ended with a backlog. */
    void notes(List<Row> rows, Snapshot after, SoakErrors errors) {
        double rate = predict.rate();
        int connections = predict.connections();
        Snapshot before = rows.getFirst().a;
        double served = Prometheus.value(after.apiProm(), "http_server_requests_seconds_count", "uri=\"/predict\"")
                - Prometheus.value(before.apiProm(), "http_server_requests_seconds_count", "uri=\"/predict\"");
        double servedSeconds = Prometheus.value(after.apiProm(), "http_server_requests_seconds_sum", "uri=\"/predict\"")
                - Prometheus.value(before.apiProm(), "http_server_requests_seconds_sum", "uri=\"/predict\"");
        if (errors.predictDropped() > 0 && served > 0) {
            double meanSeconds = servedSeconds / served;
            out.printf(Locale.ROOT, "note: requests were dropped for backlog. The api's own mean time per /predict "
                    + "over the minutes was %.1f ms; %d connections then carry at most about %,.0f req/s (connections "
                    + "/ time per request) against the %,.0f req/s asked for%s%n", 1000 * meanSeconds, connections,
                    connections / meanSeconds, rate,
                    connections / meanSeconds < 1.2 * rate ? ": the api was too slow per request for this rate (see "
                            + "its CPU and the machine's in the tables), the connections only made that visible"
                            : "");
        }
        for (Row r : rows) {
            if (r.b.backlog() > rate) {
                out.printf(Locale.ROOT, "note: at the end of minute %d, %,d requests were waiting or in flight (over a "
                        + "second's worth): the api, or this client, did not keep up%n", r.minute, r.b.backlog());
            }
        }
    }

    /** The acceptance, criterion by criterion. */
    void acceptance(boolean zeroErrors, long errors, boolean p99Ok, double p99Last, double p99Limit, boolean rssOk,
            RssLevel rssApi, RssLevel rssWorker) {
        out.println();
        out.println("acceptance:");
        out.printf("  zero errors:                       %-6s (%d)%n", zeroErrors ? "met" : "MISSED", errors);
        out.printf(Locale.ROOT, "  p99 last minute <= 1.5 x first:    %-6s (%.2f ms vs %.2f ms)%n",
                p99Ok ? "met" : "MISSED", p99Last, p99Limit);
        out.printf("  RSS levelled off (api and worker): %-6s (api %s, worker %s)%n", rssOk ? "met" : "MISSED",
                rssApi.levelled() ? "levelled" : "NOT levelled", rssWorker.levelled() ? "levelled" : "NOT levelled");
    }

    void verdict(boolean accepted) {
        out.println(accepted ? "ACCEPTED" : "NOT ACCEPTED");
    }

    /** One CSV line per minute with every figure, for plotting or a closer look. */
    void writeDetails(Path details, List<Row> rows) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(details, StandardCharsets.UTF_8)) {
            w.write("minute,seconds,sent,ok,errors,p50_ms,p90_ms,p99_ms,p999_ms,max_ms,hit_percent,csv_rows,kafka_sent,"
                    + "kafka_scored,kafka_p50_ms,kafka_p99_ms,api_rss_kb,worker_rss_kb,api_cpu,worker_cpu,driver_cpu,"
                    + "machine_cpu,backlog,api_heap_mb,api_old_mb,api_nonheap_mb,api_threads,worker_heap_mb,"
                    + "worker_old_mb,worker_nonheap_mb,worker_threads\n");
            for (Row r : rows) {
                Histogram h = r.b.latency();
                w.write(String.format(Locale.ROOT, "%d,%.3f,%d,%d,%d,%.3f,%.3f,%.3f,%.3f,%.3f,%.1f,%d,%d,%d,%.3f,%.3f,"
                        + "%d,%d,%.1f,%.1f,%.1f,%.1f,%d,%.1f,%.1f,%.1f,%.0f,%.1f,%.1f,%.1f,%.0f%n",
                        r.minute, r.seconds(), r.sent(), r.ok(), r.errors(), r.p50(),
                        h.getValueAtPercentile(90) / 1000.0, r.p99(), h.getValueAtPercentile(99.9) / 1000.0, r.max(),
                        r.hitPercent(), r.csvRows(), r.kafkaSent(), r.kafkaScored(),
                        r.b.kafkaLatency().getValueAtPercentile(50) / 1000.0, r.kafkaP99(), r.b.apiRssKb(),
                        r.b.workerRssKb(),
                        r.cpu(r.a.apiTicks(), r.b.apiTicks()), r.cpu(r.a.workerTicks(), r.b.workerTicks()),
                        r.cpu(r.a.selfTicks(), r.b.selfTicks()), r.machineCpu(), r.b.backlog(),
                        r.gauge(true, "jvm_memory_used_bytes", "area=\"heap\"") / 1048576,
                        r.gauge(true, "jvm_memory_used_bytes", "id=\"G1 Old Gen\"") / 1048576,
                        r.gauge(true, "jvm_memory_used_bytes", "area=\"nonheap\"") / 1048576,
                        r.gauge(true, "jvm_threads_live_threads", ""),
                        r.gauge(false, "jvm_memory_used_bytes", "area=\"heap\"") / 1048576,
                        r.gauge(false, "jvm_memory_used_bytes", "id=\"G1 Old Gen\"") / 1048576,
                        r.gauge(false, "jvm_memory_used_bytes", "area=\"nonheap\"") / 1048576,
                        r.gauge(false, "jvm_threads_live_threads", "")));
            }
        }
    }

    private static String mb(long kb) {
        return kb < 0 ? "gone" : Long.toString(Math.round(kb / 1024.0));
    }
}
