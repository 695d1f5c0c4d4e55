package io.scorepipe.worker.batch;

import java.time.Duration;

import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;

/**
 * Bulk CSV scoring ({@code scorepipe.batch.*}).
 *
 * @param pollInterval how often the inbox is looked at (a directory listing: cheap, and a file that has
 *     settled waits at most this long)
 * @param settle how long a file must have gone unwritten before it is taken as complete: its
 *     modification time that far in the past, or its size and time unchanged that long while watched
 * @param chunkSize lines per transaction (fewer when {@code maxRowsPerSecond} paces the reading: see
 *     {@link #effectiveChunkSize()})
 * @param partitions parts a file is split into, scored in parallel
 * @param skipLimitPercent share of the file's lines that may be rejected; past it the job fails
 * @param staleAfter a running batch whose worker has not beaten for this long is taken over
 * @param heartbeat how often a worker marks its running batches as alive
 * @param concurrentJobs files one worker scores at the same time
 * @param groupId consumer group of the batch events
 * @param maxLineLength the longest CSV line read, in scored files and in labels files alike; a longer
 *     data line is rejected (and never held in memory whole), a longer header fails the file
 * @param maxRowsPerSecond the most CSV rows this worker scores per second, over all its files;
 *     zero (the default) for no limit. Set it where bulk scoring shares cores, PostgreSQL or Kafka
 *     with real-time scoring, so that a large file cannot take their time from {@code /predict}
 * @param strandedAfter a file claimed into {@code processing/} and not recorded within this (the
 *     database went away in between, or the worker died) is recorded by the next look at the inbox
 * @param maxAttempts runs a batch gets: after an unexpected error (not a database outage, not a
 *     bad file) it is queued again for any worker until this many runs, then failed with the reason
 */
@Validated
@ConfigurationProperties("scorepipe.batch")
public record BatchProperties(@DefaultValue("250ms") @DurationMin(millis = 1) Duration pollInterval,
        @DefaultValue("1s") @DurationMin(millis = 0) Duration settle,
        @DefaultValue("10000") @Positive int chunkSize, @DefaultValue("2") @Positive int partitions,
        @DefaultValue("1.0") @DecimalMin("0") @DecimalMax("100") double skipLimitPercent,
        @DefaultValue("30s") @DurationMin(millis = 1) Duration staleAfter,
        @DefaultValue("5s") @DurationMin(millis = 1) Duration heartbeat, @DefaultValue("2") @Positive int concurrentJobs,
        @DefaultValue("scorepipe-batch") @NotBlank String groupId, @DefaultValue("64KB") DataSize maxLineLength,
        @DefaultValue("0") @PositiveOrZero int maxRowsPerSecond,
        @DefaultValue("1m") @DurationMin(millis = 1) Duration strandedAfter, @DefaultValue("3") @Positive int maxAttempts) {

    public BatchProperties {
        if (heartbeat.compareTo(staleAfter) >= 0) {
            throw new IllegalArgumentException("scorepipe.batch.heartbeat (" + heartbeat + ") must be shorter than "
                    + "scorepipe.batch.stale-after (" + staleAfter + "), or every running batch looks abandoned");
        }
        if (maxLineLength.toBytes() < 1 || maxLineLength.toBytes() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("scorepipe.batch.max-line-length must be between 1B and 2GB, got "
                    + maxLineLength);
        }
    }

    /**
     * Lines per transaction as the job commits them: {@link #chunkSize()}, but with a row limit at
     * most one second's worth for a partition, so that a paced reader does not keep its
     * transaction (and a pooled connection) open for many seconds while it waits for its turn.
     */
    int effectiveChunkSize() {
        if (maxRowsPerSecond == 0) {
            return chunkSize;
        }
        return Math.clamp(maxRowsPerSecond / Math.max(1, partitions), 1, chunkSize);
    }

    /** {@link #maxLineLength()} in bytes. */
    public int maxLineBytes() {
        return (int) maxLineLength.toBytes();
    }
}
