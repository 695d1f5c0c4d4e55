package io.scorepipe.worker.stream;

import java.time.Duration;

import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;

/**
 * Stream scoring ({@code scorepipe.stream.*}).
 *
 * @param groupId the consumer group all workers share; partitions of {@code scoring.requests} are
 *     spread over its members
 * @param concurrency consumers in this process
 * @param maxBatch records per poll, and so per transaction
 * @param transactionTimeout how long a dead worker's open transaction can hold back readers of
 *     the results before the broker aborts it
 * @param sessionTimeout how soon the group notices a dead worker and hands its partitions on
 * @param retryInitial first wait after a model or database failure
 * @param retryMax longest wait between retries; retries never stop, nothing is dead-lettered for them
 * @param fetchWait how long the broker may hold a fetch to gather at least 64 KB of requests: the
 *     most latency it adds to a record. Each fetch becomes one transaction (a produce, an offset
 *     commit, commit markers and one audit write); gathering turns a steady trickle of a few
 *     records per fetch into a few larger transactions, at a fraction of the broker's and
 *     PostgreSQL's cost. Zero answers every fetch at once.
 */
@Validated
@ConfigurationProperties("scorepipe.stream")
public record StreamProperties(@DefaultValue("scorepipe-stream") @NotBlank String groupId,
        @DefaultValue("2") @Positive int concurrency, @DefaultValue("1000") @Positive int maxBatch,
        @DefaultValue("10s") @DurationMin(seconds = 1) Duration transactionTimeout,
        @DefaultValue("10s") @DurationMin(seconds = 1) Duration sessionTimeout,
        @DefaultValue("500ms") @DurationMin(millis = 1) Duration retryInitial,
        @DefaultValue("10s") @DurationMin(millis = 1) Duration retryMax, @DefaultValue("100ms") Duration fetchWait) {

    /** Bytes a fetch gathers before the broker answers it without waiting out {@link #fetchWait()}. */
    static final int FETCH_MIN_BYTES = 64 * 1024;

    public StreamProperties {
        // well under the consumer's request timeout (30 s), or a fetch the broker holds would time out
        if (fetchWait.isNegative() || fetchWait.compareTo(Duration.ofSeconds(10)) > 0) {
            throw new IllegalArgumentException("scorepipe.stream.fetch-wait must be from 0 to 10s, got " + fetchWait);
        }
    }
}
