package io.scorepipe.worker.batch;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Bulk CSV scoring ({@code scorepipe.batch.*}).
 *
 * @param pollInterval how often the inbox is looked at
 * @param settle how long a file's size and time must stay unchanged before it is taken as complete
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
 */
@ConfigurationProperties("scorepipe.batch")
public record BatchProperties(@DefaultValue("1s") Duration pollInterval, @DefaultValue("1s") Duration settle,
        @DefaultValue("2000") int chunkSize, @DefaultValue("2") int partitions,
        @DefaultValue("1.0") double skipLimitPercent, @DefaultValue("30s") Duration staleAfter,
        @DefaultValue("5s") Duration heartbeat, @DefaultValue("2") int concurrentJobs,
        @DefaultValue("scorepipe-batch") String groupId, @DefaultValue("64KB") DataSize maxLineLength,
        @DefaultValue("0") int maxRowsPerSecond) {

    public BatchProperties {
        if (maxLineLength.toBytes() < 1 || maxLineLength.toBytes() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("scorepipe.batch.max-line-length must be between 1B and 2GB, got "
                    + maxLineLength);
        }
        if (maxRowsPerSecond < 0) {
            throw new IllegalArgumentException("scorepipe.batch.max-rows-per-second must be 0 (no limit) or more, got "
                    + maxRowsPerSecond);
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
