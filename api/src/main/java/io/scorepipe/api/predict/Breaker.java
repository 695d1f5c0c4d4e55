package io.scorepipe.api.predict;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A minimal circuit breaker for a dependency that may go away (Redis, Kafka): after a failure,
 * calls skip the dependency for {@code openFor}; then one caller at a time probes it, and the
 * first success closes the breaker again. So a dead dependency costs one timeout per period,
 * not one per request, and a recovered one is used again without a restart.
 *
 * <p>Lock-free and thread-safe.
 */
final class Breaker {

    private static final long CLOSED = 0;

    private final long openForNanos;
    private final LongSupplier nanoTime;
    /** The clock's time after which the next probe may go through; CLOSED when healthy. */
    private final AtomicLong openUntil = new AtomicLong(CLOSED);

    Breaker(Duration openFor) {
        this(openFor, System::nanoTime);
    }

    /** @param nanoTime the clock, {@link System#nanoTime()} but in tests */
    Breaker(Duration openFor, LongSupplier nanoTime) {
        this.openForNanos = openFor.toNanos();
        this.nanoTime = nanoTime;
    }

    /** Whether this call may use the dependency: always when closed, once per period when open. */
    boolean allows() {
        long until = openUntil.get();
        if (until == CLOSED) {
            return true;
        }
        long now = nanoTime.getAsLong();
        return now - until >= 0 && openUntil.compareAndSet(until, now + openForNanos);
    }

    void success() {
        if (openUntil.get() != CLOSED) {
            openUntil.set(CLOSED);
        }
    }

    void failure() {
        openUntil.set(nonZero(nanoTime.getAsLong() + openForNanos));
    }

    boolean isOpen() {
        return openUntil.get() != CLOSED;
    }

    private static long nonZero(long value) {
        return value == CLOSED ? 1 : value;
    }
}
