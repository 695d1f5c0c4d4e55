package io.scorepipe.bench;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;

/**
 * The run's cumulative counters and gauges at one instant (the latency histograms: since the
 * snapshot before); a {@link Row} is the difference of two.
 */
record Snapshot(long at, Instant wall, long scheduled, long ok, long hits, long non200, long ioErrors, long dropped,
        Histogram latency, long kafkaSent, long kafkaSendErrors, long kafkaScored, long deadLetters,
        Histogram kafkaLatency, BatchStats batches, long auditInserted, long apiRssKb, long workerRssKb, long apiTicks,
        long workerTicks, long selfTicks, long[] machineTicks, Map<String, Double> apiProm,
        Map<String, Double> workerProm, long backlog) {

    /** The highest latency the histograms hold, microseconds. */
    static final long HIGHEST_MICROS = TimeUnit.HOURS.toMicros(1);

    /** VmRSS in kB of the api or the worker, -1 when it is gone. */
    long rssKb(boolean api) {
        return api ? apiRssKb : workerRssKb;
    }
}
