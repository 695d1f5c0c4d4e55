package io.scorepipe.worker.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class RowThrottleTests {

    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final List<Long> sleeps = new ArrayList<>();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private RowThrottle throttle(int rowsPerSecond) {
        return new RowThrottle(rowsPerSecond, clock::get, nanos -> {
            sleeps.add(nanos);
            clock.addAndGet(nanos);
        }, meters);
    }

    @Test
    void withoutLimitNobodyWaits() {
        // given
        RowThrottle throttle = throttle(0);

        // when
        for (int i = 0; i < 1000; i++) {
            throttle.acquire(RowThrottle.BLOCK);
        }

        // then
        assertThat(sleeps).isEmpty();
    }

    @Test
    void blocksArePacedAtTheRate() {
        // given 1,000 rows/s: a block of 100 rows is 100 ms
        RowThrottle throttle = throttle(1000);
        long start = clock.get();

        // when
        for (int i = 0; i < 5; i++) {
            throttle.acquire(100);
        }

        // then the first block goes at once and each later one 100 ms after the one before
        assertThat(sleeps).containsExactly(ms(100), ms(100), ms(100), ms(100));
        assertThat(clock.get() - start).isEqualTo(ms(400));
        assertThat(meters.get("scorepipe.batch.throttled").counter().count()).isEqualTo(0.4);
    }

    @Test
    void idleTimeIsNotBanked() {
        // given a throttle that has been idle for ten seconds
        RowThrottle throttle = throttle(1000);
        throttle.acquire(100);
        clock.addAndGet(TimeUnit.SECONDS.toNanos(10));

        // when a burst comes
        throttle.acquire(100);
        throttle.acquire(100);

        // then only its first block goes at once
        assertThat(sleeps).containsExactly(ms(100));
    }

    @Test
    void readersShareOnePace() throws InterruptedException {
        // given two readers on one real-clock throttle at 10,000 rows/s: 20 blocks of 100 are 0.2 s of rows
        RowThrottle throttle = new RowThrottle(10_000, meters);
        Runnable reader = () -> {
            for (int i = 0; i < 10; i++) {
                throttle.acquire(100);
            }
        };
        long start = System.nanoTime();

        // when
        Thread one = Thread.ofPlatform().start(reader);
        Thread two = Thread.ofPlatform().start(reader);
        one.join();
        two.join();

        // then together they took at least the 19 block times after the first: a lower bound only
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(ms(190));
    }

    @Test
    void aNegativeRateIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> throttle(-1)).withMessageContaining("zero (no limit)");
    }

    private static long ms(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }
}
