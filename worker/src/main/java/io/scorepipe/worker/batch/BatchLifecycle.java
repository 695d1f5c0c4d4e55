package io.scorepipe.worker.batch;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.scorepipe.batch.Batch;
import io.scorepipe.batch.BatchRecords;

/**
 * The one way this worker changes a batch's state in the {@code batches} table, each change with
 * its file move. Every change to a running batch names this worker as its owner: once another
 * worker has taken the batch over (this one stopped beating, say through a long GC pause), this
 * one can no longer write its progress, completion or failure, nor move the files that the new
 * owner now works with. Thread-safe.
 *
 * @param records the {@code batches} table
 * @param files the batches' files
 * @param owner who this worker is in the table: unique per process
 */
record BatchLifecycle(BatchRecords records, BatchFiles files, String owner) {

    private static final Logger log = LoggerFactory.getLogger(BatchLifecycle.class);

    /**
     * Records a file claimed into {@code processing/}: a new row for a folder drop, the uploaded
     * row for an upload; a file scored before (same content, no rescore asked for) becomes a
     * duplicate that points at the earlier results, and its input is archived.
     *
     * @param model the model of the folder it was dropped in (an upload keeps the model it was uploaded for)
     *
     * @return the batch, when it waits for a worker; empty when it was a duplicate
     */
    Optional<Batch> queued(UUID batchId, String model, String fileName, String sha256, Path claimed) throws IOException {
        Batch batch = records.queue(batchId, model, fileName, sha256, claimed.toString());
        Optional<Batch> earlier = batch.rescore() ? Optional.empty()
                : records.completedWithContent(batch.model(), sha256, batchId);
        if (earlier.isEmpty()) {
            return Optional.of(batch);
        }
        records.markDuplicate(batchId, earlier.get());
        records.inputMoved(batchId, files.archive(claimed).toString());
        log.info("{} has the same content as batch {}; pointing at its results", fileName, earlier.get().id());
        return Optional.empty();
    }

    /** Takes a queued batch; false when another worker took it first. */
    boolean claimQueued(UUID batchId) {
        return records.claimQueued(batchId, owner);
    }

    /** Records the version and line count of a batch whose job starts. */
    void started(UUID batchId, String modelVersion, long dataLines) {
        if (!records.started(batchId, owner, modelVersion, dataLines)) {
            throw new ClaimLostException(batchId, owner);
        }
    }

    /**
     * Adds a chunk's counts, in the chunk's transaction.
     *
     * @return the batch's rejected lines so far
     * @throws ClaimLostException when another worker runs the batch now: the chunk rolls back
     */
    long progress(UUID batchId, long scored, long rejected) {
        return records.progress(batchId, owner, scored, rejected)
                .orElseThrow(() -> new ClaimLostException(batchId, owner));
    }

    /** The batch's counters as the table has them now. */
    Batch current(UUID batchId) {
        return records.find(batchId).orElseThrow();
    }

    /**
     * Marks a batch completed, with its results and rejects, and archives its input; called in the
     * assemble step's transaction. The row changes first, and stays locked until the commit: a
     * worker that lost its claim moves nothing, and a move that fails rolls the change back.
     */
    void completed(UUID batchId, BatchFiles.Outputs outputs, Path input) throws IOException {
        if (!records.completed(batchId, owner, outputs.results().toString(), outputs.rejects().toString(),
                files.archived(input).toString())) {
            throw new ClaimLostException(batchId, owner);
        }
        files.archive(input);
    }

    /**
     * Fails a batch for good with the reason: keeps the lines it rejected so far as its rejects
     * file, archives its input, removes its part files and gives its output names back. A worker
     * that lost its claim changes nothing, neither the row nor a file.
     *
     * @return whether it was this worker's to fail
     */
    boolean failed(UUID batchId, String fileName, String reason, Optional<BatchFiles.Outputs> outputs, Path input) {
        if (!records.isRunBy(batchId, owner)) {
            log.info("Batch {} failed here, but another worker runs it now; leaving it to that one", batchId);
            return false;
        }
        Path rejects = outputs.map(BatchFiles.Outputs::rejects).orElseGet(() -> files.unreservedRejects(batchId, fileName));
        @Nullable Path kept = quietly(batchId, "keep its rejected lines", () -> {
            files.joinRejects(batchId, rejects);
            return rejects;
        });
        if (!records.failed(batchId, owner, reason, kept == null ? null : kept.toString())) {
            return false;
        }
        @Nullable Path archived = quietly(batchId, "archive its input", () -> files.archive(input));
        if (archived != null) {
            records.inputMoved(batchId, archived.toString());
        }
        quietly(batchId, "remove its part files", () -> {
            files.deleteParts(batchId);
            return batchId;
        });
        outputs.ifPresent(reserved -> quietly(batchId, "give its output names back", () -> {
            files.release(reserved);
            return batchId;
        }));
        return true;
    }

    /**
     * After an unexpected error of this worker's run: queued again for any worker to take, or
     * failed with the reason once it has had {@code maxAttempts} runs.
     */
    BatchRecords.Requeue requeue(UUID batchId, String reason, int maxAttempts) {
        return records.requeue(batchId, owner, reason, maxAttempts);
    }

    /** Removes a completed batch's part files: nothing reads them any more. */
    void cleanUp(UUID batchId) {
        quietly(batchId, "remove its part files", () -> {
            files.deleteParts(batchId);
            return batchId;
        });
    }

    private static <T> @Nullable T quietly(UUID batchId, String what, FileWork<T> work) {
        try {
            return work.run();
        }
        catch (IOException ex) {
            log.warn("Batch {} ended; could not {}: {}", batchId, what, ex.getMessage());
            return null;
        }
    }

    @FunctionalInterface
    private interface FileWork<T> {
        T run() throws IOException;
    }

    /** The batch is run by another worker now: this one must leave it alone. */
    static final class ClaimLostException extends RuntimeException {

        ClaimLostException(UUID batchId, String owner) {
            super("batch " + batchId + " is no longer run by " + owner + ": another worker took it over");
        }
    }
}
