package io.scorepipe.batch;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * One CSV file to score, as the {@code batches} table holds it.
 *
 * @param id the batch id
 * @param model the model that scores it
 * @param fileName the sanitised file name
 * @param status where it stands
 * @param sha256 the content hash, once claimed
 * @param rescore whether the caller asked to score it even if the same content was scored before
 * @param duplicateOf the earlier batch with the same content, for a duplicate
 * @param inputPath where the input is now
 * @param resultsPath the results file, once completed
 * @param rejectsPath the rejects file, once completed
 * @param modelVersion the one model version that scores the whole file
 * @param rowsTotal data rows in the file, once counted
 * @param rowsScored rows scored so far
 * @param rowsRejected rows rejected so far
 * @param error why it failed
 * @param createdAt when it arrived
 * @param startedAt when its job started
 * @param finishedAt when it completed or failed
 */
public record Batch(UUID id, String model, String fileName, BatchState status, @Nullable String sha256, boolean rescore,
        @Nullable UUID duplicateOf, @Nullable String inputPath, @Nullable String resultsPath, @Nullable String rejectsPath,
        @Nullable String modelVersion, @Nullable Long rowsTotal, long rowsScored, long rowsRejected, @Nullable String error,
        Instant createdAt, @Nullable Instant startedAt, @Nullable Instant finishedAt) {
}
