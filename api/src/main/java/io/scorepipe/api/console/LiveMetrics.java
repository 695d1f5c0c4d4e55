package io.scorepipe.api.console;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;

/**
 * The console's live page: every sample interval (10 s) this api's own meters are read and the
 * change since the last reading kept, for the last 15 minutes: predictions per second by route
 * and model, the share answered from a cache, the median and 99th percentile latency (from the
 * latency histograms' buckets, so an upper bound at the bucket's edge), errors per second, and the
 * lag of the workers' stream and audit-sink consumer groups as Kafka reports it.
 */
class LiveMetrics implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LiveMetrics.class);
    private static final Duration KEPT = Duration.ofMinutes(15);

    private final MeterRegistry meters;
    private final Map<String, Object> kafkaAdmin;
    private final String streamGroup;
    private final String auditGroup;
    private final Duration interval;
    private final ArrayDeque<Point> points = new ArrayDeque<>();
    /** Each meter's count (and histogram) at the last reading, by its id. */
    private final Map<String, Reading> last = new HashMap<>();
    private @Nullable Instant lastAt;
    private final Object lifecycle = new Object();
    private @Nullable ScheduledExecutorService sampler;
    private volatile @Nullable Admin admin;

    LiveMetrics(MeterRegistry meters, Map<String, Object> kafkaAdmin, String streamGroup, String auditGroup,
            Duration interval) {
        this.meters = meters;
        this.kafkaAdmin = kafkaAdmin;
        this.streamGroup = streamGroup;
        this.auditGroup = auditGroup;
        this.interval = interval;
    }

    /** The kept points, oldest first. */
    record Series(@JsonProperty("interval_seconds") double intervalSeconds, @JsonProperty("points") List<Point> points) {
    }

    /**
     * What happened in one interval.
     *
     * @param at its end
     * @param requestsPerSecond predictions per second, by "route model"
     * @param cacheHitRatio the share of them answered from a cache, when there were any
     * @param p50Millis the median latency of a prediction, when there were any
     * @param p99Millis the 99th percentile
     * @param errorsPerSecond answers with a 5xx ({@code server}) and a 4xx ({@code client}) status, per second
     * @param streamLag records on the request topic the stream workers have not committed
     * @param auditLag audit events the audit sink has not committed
     */
    record Point(@JsonProperty("at") Instant at,
            @JsonProperty("requests_per_second") Map<String, Double> requestsPerSecond,
            @JsonProperty("cache_hit_ratio") @Nullable Double cacheHitRatio,
            @JsonProperty("p50_ms") @Nullable Double p50Millis, @JsonProperty("p99_ms") @Nullable Double p99Millis,
            @JsonProperty("errors_per_second") Map<String, Double> errorsPerSecond,
            @JsonProperty("stream_lag") @Nullable Long streamLag, @JsonProperty("audit_lag") @Nullable Long auditLag) {
    }

    private record Reading(double count, CountAtBucket[] buckets) {
    }

    synchronized Series series() {
        return new Series(interval.toMillis() / 1000.0, List.copyOf(points));
    }

    /** One reading of the meters and of Kafka. */
    void sample() {
        Instant now = Instant.now();
        Long streamLag = lag(streamGroup);
        Long auditLag = lag(auditGroup);
        synchronized (this) {
            double seconds = lastAt == null ? 0 : Math.max(0.001, Duration.between(lastAt, now).toNanos() / 1e9);
            Map<String, Double> rates = new TreeMap<>();
            double hits = 0;
            double answered = 0;
            long[] merged = null;
            double[] bounds = null;
            for (Timer timer : meters.find("scorepipe.predict.latency").timers()) {
                String key = timer.getId().getTag("route") + " " + timer.getId().getTag("model");
                // Prometheus's histograms are cumulative and never reset, so the change since the last
                // reading is this interval's; a timer met for the first time started from nothing
                Reading current = new Reading(timer.count(), timer.takeSnapshot().histogramCounts());
                Reading before = last.put(timer.getId().toString(), current);
                if (lastAt == null) {
                    continue;
                }
                double delta = current.count() - (before == null ? 0 : before.count());
                rates.merge(key, delta / seconds, Double::sum);
                answered += delta;
                if ("hit".equals(timer.getId().getTag("cache"))) {
                    hits += delta;
                }
                CountAtBucket[] buckets = current.buckets();
                if (buckets.length == 0 || (before != null && before.buckets().length != buckets.length)) {
                    continue;
                }
                if (merged == null) {
                    merged = new long[buckets.length];
                    bounds = new double[buckets.length];
                    for (int i = 0; i < bounds.length; i++) {
                        bounds[i] = buckets[i].bucket(TimeUnit.MILLISECONDS);
                    }
                }
                if (merged.length == buckets.length) {
                    for (int i = 0; i < merged.length; i++) {
                        double previous = before == null ? 0 : before.buckets()[i].count();
                        merged[i] += (long) Math.max(0, buckets[i].count() - previous);
                    }
                }
            }
            Map<String, Double> errors = new TreeMap<>();
            errors.put("server", rate("SERVER_ERROR", seconds));
            errors.put("client", rate("CLIENT_ERROR", seconds));
            if (lastAt != null) {
                points.addLast(new Point(now, rates, answered > 0 ? hits / answered : null,
                        percentile(merged, bounds, answered, 0.50), percentile(merged, bounds, answered, 0.99), errors,
                        streamLag, auditLag));
                while (!points.isEmpty() && points.getFirst().at().isBefore(now.minus(KEPT))) {
                    points.removeFirst();
                }
            }
            lastAt = now;
        }
    }

    /** Answers per second of the web requests with this outcome, since the last reading. */
    private double rate(String outcome, double seconds) {
        double delta = 0;
        for (Timer timer : meters.find("http.server.requests").tag("outcome", outcome).timers()) {
            Reading now = new Reading(timer.count(), new CountAtBucket[0]);
            Reading before = last.put(timer.getId().toString(), now);
            delta += now.count() - (before == null ? 0 : before.count());
        }
        return lastAt == null ? 0 : delta / seconds;
    }

    /** The smallest bucket edge with at least {@code q} of the answers at or below it (cumulative buckets). */
    static @Nullable Double percentile(long @Nullable [] cumulative, double @Nullable [] bounds, double total, double q) {
        if (cumulative == null || bounds == null || total <= 0) {
            return null;
        }
        for (int i = 0; i < cumulative.length; i++) {
            if (cumulative[i] >= q * total) {
                return bounds[i];
            }
        }
        return null;
    }

    /** Messages the group has not committed yet, over its partitions; null when Kafka cannot tell. */
    private @Nullable Long lag(String group) {
        Admin client = admin;
        if (client == null) {
            return null;
        }
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = client.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(2, TimeUnit.SECONDS);
            if (committed.isEmpty()) {
                return null;
            }
            Map<TopicPartition, OffsetSpec> latest = committed.keySet().stream()
                    .collect(Collectors.toMap(partition -> partition, partition -> OffsetSpec.latest()));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = client.listOffsets(latest).all()
                    .get(2, TimeUnit.SECONDS);
            long lag = 0;
            for (Map.Entry<TopicPartition, OffsetAndMetadata> entry : committed.entrySet()) {
                ListOffsetsResult.ListOffsetsResultInfo end = ends.get(entry.getKey());
                if (end != null && entry.getValue() != null) {
                    lag += Math.max(0, end.offset() - entry.getValue().offset());
                }
            }
            return lag;
        }
        catch (ExecutionException | TimeoutException ex) {
            log.debug("Lag of {} unknown: {}", group, ex.toString());
            return null;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    @Override
    public void start() {
        synchronized (lifecycle) {
            startSampling();
        }
    }

    private void startSampling() {
        admin = Admin.create(kafkaAdmin);
        sampler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("console-live").factory());
        sampler.scheduleWithFixedDelay(() -> {
            try {
                sample();
            }
            catch (RuntimeException ex) {
                log.warn("Live metrics not sampled: {}", ex.toString());
            }
        }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        // not under the series' lock: a sample in flight takes it, and is waited for here
        synchronized (lifecycle) {
            stopSampling();
        }
    }

    private void stopSampling() {
        if (sampler != null) {
            sampler.shutdownNow();
            try {
                sampler.awaitTermination(5, TimeUnit.SECONDS);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            sampler = null;
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
            admin = null;
        }
    }

    @Override
    public boolean isRunning() {
        synchronized (lifecycle) {
            return sampler != null;
        }
    }
}
