package io.scorepipe.messages;

import java.util.Objects;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * On {@code scoring.batches}: a file was claimed and waits in {@code processing/}. Exactly one
 * worker of the group receives it; the database claim makes that one the only runner.
 *
 * @param batchId the batch to run
 */
public record BatchEvent(@JsonProperty("batch_id") UUID batchId) {

    public BatchEvent {
        Objects.requireNonNull(batchId, "batch_id is required");
    }
}
