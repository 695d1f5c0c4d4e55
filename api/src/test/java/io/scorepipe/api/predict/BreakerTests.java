package io.scorepipe.api.predict;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class BreakerTests {

    private final AtomicLong clock = new AtomicLong(5_000_000_000L);
    private final Breaker breaker = new Breaker(Duration.ofSeconds(2), clock::get);

    @Test
    void aHealthyDependencyIsAlwaysUsed() {
        // given nothing failed
        // then
        for (int i = 0; i < 3; i++) {
            assertThat(breaker.allows()).isTrue();
        }
        assertThat(breaker.isOpen()).isFalse();
    }

    @Test
    void afterAFailureCallsSkipItForThePeriodThenOneCallerProbes() {
        // given
        breaker.failure();

        // then during the period nobody may use it
        assertThat(breaker.isOpen()).isTrue();
        assertThat(breaker.allows()).isFalse();
        clock.addAndGet(Duration.ofMillis(1999).toNanos());
        assertThat(breaker.allows()).isFalse();

        // when the period is over, exactly one caller probes, and the period starts again for the others
        clock.addAndGet(Duration.ofMillis(1).toNanos());
        assertThat(breaker.allows()).isTrue();
        assertThat(breaker.allows()).isFalse();
    }

    @Test
    void aSuccessfulProbeClosesIt() {
        // given an open breaker whose probe went through
        breaker.failure();
        clock.addAndGet(Duration.ofSeconds(2).toNanos());
        assertThat(breaker.allows()).isTrue();

        // when the probe succeeds
        breaker.success();

        // then
        assertThat(breaker.isOpen()).isFalse();
        assertThat(breaker.allows()).isTrue();
        assertThat(breaker.allows()).isTrue();
    }

    @Test
    void aFailedProbeKeepsItOpenForAnotherPeriod() {
        // given
        breaker.failure();
        clock.addAndGet(Duration.ofSeconds(2).toNanos());
        assertThat(breaker.allows()).isTrue();

        // when the probe fails
        breaker.failure();

        // then
        clock.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(breaker.allows()).isFalse();
        clock.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(breaker.allows()).isTrue();
    }
}
