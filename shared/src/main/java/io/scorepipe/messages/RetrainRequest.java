package io.scorepipe.messages;

import java.util.Objects;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * On the retrain requests topic: the api asks the workers for a retrain run it has recorded.
 *
 * @param runId the run in {@code retrain_runs} to carry out
 * @param model the model to retrain; a request from before models had names carries none, and
 *     means the model the run was recorded for
 * @param trigger who asked, for the run's record ({@code api})
 */
public record RetrainRequest(@JsonProperty("run_id") UUID runId, @JsonProperty("model") @Nullable String model,
        @JsonProperty("trigger") String trigger) {

    public RetrainRequest {
        Objects.requireNonNull(runId, "run_id is required");
        trigger = trigger == null || trigger.isBlank() ? "api" : trigger;
    }
}
