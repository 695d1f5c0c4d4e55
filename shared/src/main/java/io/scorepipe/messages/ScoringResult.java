package io.scorepipe.messages;

import java.util.Objects;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * On {@code scoring.results}, keyed by request id: one per scored request.
 *
 * @param requestId the request's id
 * @param prediction the predicted value
 * @param model the model that scored it
 * @param modelVersion the version that scored it
 * @param predictionId its id in the audit trail
 */
public record ScoringResult(@JsonProperty("request_id") String requestId, @JsonProperty("prediction") double prediction,
        @JsonProperty("model") String model, @JsonProperty("model_version") String modelVersion, @JsonProperty("prediction_id") UUID predictionId) {

    public ScoringResult {
        Objects.requireNonNull(requestId, "request_id is required");
        Objects.requireNonNull(model, "model is required");
        Objects.requireNonNull(modelVersion, "model_version is required");
        Objects.requireNonNull(predictionId, "prediction_id is required");
    }
}
