package io.scorepipe.worker.batch;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Paces the CSV rows one worker reads, over all its jobs and partitions together, so that bulk
 * scoring takes at most a set share of the machine and real-time scoring on the same cores (or
 * the same PostgreSQL and Kafka) keeps its latency. A file is still scored at its full speed when
 * no limit is set.
 *
 * <p>Rows are taken in blocks: each block waits for its turn, so the rate holds over any stretch
 * longer than one block's time, and a reader pays for the pacing once per block, not per row.
 * Thread-safe.
 */
class RowThrottle {

    /** Rows a reader takes at a time; at 1,000 rows/s one block is a tenth of a second. */
    static final int BLOCK = 100;

    private final long nanosPerRow;
    private final LongSupplier clock;
    private final Sleeper sleeper;
    private final Counter waited;
    private long nextFree;

    /**
     * @param rowsPerSecond the most rows read per second; zero for no limit
     * @param meters where the time spent waiting is counted ({@code scorepipe.batch.throttled})
     */
    RowThrottle(int rowsPerSecond, MeterRegistry meters) {
        this(rowsPerSecond, System::nanoTime, LockSupport::parkNanos, meters);
    }

    RowThrottle(int rowsPerSecond, LongSupplier clock, Sleeper sleeper, MeterRegistry meters) {
        if (rowsPerSecond < 0) {
            throw new IllegalArgumentException("rows per second must be zero (no limit) or more, got " + rowsPerSecond);
        }
        this.nanosPerRow = rowsPerSecond == 0 ? 0 : TimeUnit.SECONDS.toNanos(1) / rowsPerSecond;
        this.clock = clock;
        this.sleeper = sleeper;
        this.waited = Counter.builder("scorepipe.batch.throttled").baseUnit("seconds")
                .description("time CSV readers waited for scorepipe.batch.max-rows-per-second").register(meters);
        this.nextFree = clock.getAsLong();
    }

    /**
     * Waits until {@code rows} more rows may be read. The first caller after an idle spell goes at
     * once; the ones after it queue behind the rows already granted.
     */
    void acquire(int rows) {
        if (nanosPerRow == 0 || rows <= 0) {
            return;
        }
        long start;
        synchronized (this) {
            long now = clock.getAsLong();
            // an idle throttle does not bank time: a burst after a pause is paced like any other
            start = Math.max(now, nextFree);
            nextFree = start + rows * nanosPerRow;
        }
        long wait = start - clock.getAsLong();
        if (wait > 0) {
            waited.increment(wait / 1e9);
            // an interrupted reader (a stopping job) goes on at once and finds the interrupt itself
            while (wait > 0 && !Thread.currentThread().isInterrupted()) {
                sleeper.sleep(wait);
                wait = start - clock.getAsLong();
            }
        }
    }

    /** How a waiting reader sleeps; tests pass a clock that moves instead. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(long nanos);
    }
}
