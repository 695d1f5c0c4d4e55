package io.scorepipe.api.batch;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.scorepipe.batch.Batch;
import io.scorepipe.batch.BatchState;

/**
 * A batch as {@code GET /batches/{id}} shows it, with progress worked out from its counters.
 *
 * @param id the batch id
 * @param fileName the sanitised file name
 * @param status uploaded, queued, running, completed, failed or duplicate
 * @param rowsTotal data rows in the file, once counted
 * @param rowsScored rows scored so far
 * @param rowsRejected rows rejected so far
 * @param percentDone share of rows done
 * @param rowsPerSecond rows done per second since the job started
 * @param etaSeconds estimated seconds left
 * @param model the model that scores it
 * @param modelVersion the version of it that scores the whole file
 * @param error why it failed
 * @param duplicateOf the earlier batch whose results this one shares
 * @param results where to download the results
 * @param rejects where to download the rejects
 * @param createdAt when it arrived
 * @param startedAt when scoring started
 * @param finishedAt when it ended
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record BatchView(
        @JsonProperty("id") UUID id,
        @JsonProperty("file_name") String fileName,
        @JsonProperty("status") String status,
        @JsonProperty("rows_total") @Nullable Long rowsTotal,
        @JsonProperty("rows_scored") long rowsScored,
        @JsonProperty("rows_rejected") long rowsRejected,
        @JsonProperty("percent_done") @Nullable Double percentDone,
        @JsonProperty("rows_per_second") @Nullable Double rowsPerSecond,
        @JsonProperty("eta_seconds") @Nullable Long etaSeconds,
        @JsonProperty("model") String model,
        @JsonProperty("model_version") @Nullable String modelVersion,
        @JsonProperty("error") @Nullable String error,
        @JsonProperty("duplicate_of") @Nullable UUID duplicateOf,
        @JsonProperty("results") @Nullable String results,
        @JsonProperty("rejects") @Nullable String rejects,
        @JsonProperty("created_at") Instant createdAt,
        @JsonProperty("started_at") @Nullable Instant startedAt,
        @JsonProperty("finished_at") @Nullable Instant finishedAt) {

    static BatchView of(Batch batch, Instant now) {
        long done = batch.rowsScored() + batch.rowsRejected();
        Long total = batch.rowsTotal();
        Double percent = total == null ? null : total == 0 ? 100.0 : Math.min(100.0, 100.0 * done / total);
        Double rate = null;
        Long eta = null;
        if (batch.startedAt() != null) {
            Instant end = batch.finishedAt() != null ? batch.finishedAt() : now;
            double seconds = Math.max(0.001, Duration.between(batch.startedAt(), end).toMillis() / 1000.0);
            rate = done / seconds;
            if (total != null && rate > 0 && batch.finishedAt() == null) {
                eta = (long) Math.ceil((total - done) / rate);
            }
        }
        boolean hasResults = batch.status() == BatchState.COMPLETED || batch.status() == BatchState.DUPLICATE;
        boolean hasRejects = hasResults || batch.status() == BatchState.FAILED && batch.rejectsPath() != null;
        String base = "/batches/" + batch.id();
        return new BatchView(batch.id(), batch.fileName(), batch.status().dbValue(), total, batch.rowsScored(),
                batch.rowsRejected(), percent, rate, eta, batch.model(), batch.modelVersion(), batch.error(), batch.duplicateOf(),
                hasResults ? base + "/results" : null, hasRejects ? base + "/rejects" : null, batch.createdAt(),
                batch.startedAt(), batch.finishedAt());
    }
}
