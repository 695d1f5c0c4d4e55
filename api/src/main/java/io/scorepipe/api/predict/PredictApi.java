package io.scorepipe.api.predict;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.scorepipe.scoring.InvalidInputException;
import io.swagger.v3.oas.annotations.media.Schema;

/** The JSON shapes of the prediction endpoints. */
final class PredictApi {

    private PredictApi() {
    }

    /**
     * {@code POST /predict}: the seed's positional form or named features.
     *
     * @param features an array of numbers in the model's feature order, or an object keyed by feature name
     * @param requestId the caller's own id, echoed and audited
     */
    record PredictRequest(
            @Schema(description = "The model's features: an array in order, or an object keyed by name",
                    example = "[0.038075906433423026, 0.05068011873981862, 0.061696206518683294, 0.0218723855140367, "
                            + "-0.04422349842444599, -0.03482076283769895, -0.04340084565202491, -0.002592261998183278, "
                            + "0.019907486170462722, -0.01764612515980379]")
            @JsonProperty("features") @Nullable Object features,
            @Schema(description = "Your own id for this request, echoed and audited", example = "order-1234")
            @JsonProperty("request_id") @Nullable String requestId) {
    }

    /**
     * The answer to {@code POST /predict}.
     *
     * @param prediction the predicted value
     * @param model the model that scored it
     * @param modelVersion the version of it that scored it
     * @param predictionId the prediction's id in the audit trail
     * @param cached whether it came from the cache
     * @param requestId the caller's id, when given
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record PredictResponse(
            @JsonProperty("prediction") double prediction,
            @JsonProperty("model") String model,
            @JsonProperty("model_version") String modelVersion,
            @JsonProperty("prediction_id") UUID predictionId,
            @JsonProperty("cached") boolean cached,
            @JsonProperty("request_id") @Nullable String requestId) {

        static PredictResponse of(Prediction prediction, @Nullable String requestId) {
            return new PredictResponse(prediction.value(), prediction.model(), prediction.modelVersion(),
                    prediction.predictionId(),
                    prediction.cached(), requestId);
        }
    }

    /**
     * {@code POST /predict/batch}.
     *
     * @param rows the records, each positional or named
     * @param requestId the caller's own id, audited with every row
     */
    record BatchRequest(
            @Schema(description = "Records to score, each an array in feature order or an object keyed by name")
            @JsonProperty("rows") @Nullable List<Object> rows,
            @JsonProperty("request_id") @Nullable String requestId) {
    }

    /**
     * The answer to {@code POST /predict/batch}.
     *
     * @param model the model that scored every row
     * @param modelVersion the one version of it that scored every row
     * @param results one result per row, in input order
     * @param requestId the caller's id, when given
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record BatchResponse(
            @JsonProperty("model") String model,
            @JsonProperty("model_version") String modelVersion,
            @JsonProperty("results") List<RowResult> results,
            @JsonProperty("request_id") @Nullable String requestId) {

        static BatchResponse of(PredictionService.BatchOutcome outcome, @Nullable String requestId) {
            return new BatchResponse(outcome.model(), outcome.modelVersion(),
                    outcome.rows().stream().map(RowResult::of).toList(), requestId);
        }
    }

    /**
     * One row of a batch answer: a prediction, or the row's error.
     *
     * @param prediction the predicted value, when scored
     * @param predictionId its id in the audit trail, when scored
     * @param cached whether it came from the cache, when scored
     * @param error why the row was refused, otherwise
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record RowResult(
            @JsonProperty("prediction") @Nullable Double prediction,
            @JsonProperty("prediction_id") @Nullable UUID predictionId,
            @JsonProperty("cached") @Nullable Boolean cached,
            @JsonProperty("error") @Nullable RowError error) {

        static RowResult of(PredictionService.RowOutcome outcome) {
            Prediction prediction = outcome.prediction();
            if (prediction != null) {
                return new RowResult(prediction.value(), prediction.predictionId(), prediction.cached(), null);
            }
            InvalidInputException error = Objects.requireNonNull(outcome.error());
            return new RowResult(null, null, null, new RowError(error.getMessage(), error.errors()));
        }
    }

    /**
     * Why a row was refused.
     *
     * @param detail the problems, for people
     * @param errors one entry per field
     */
    record RowError(@JsonProperty("detail") String detail,
            @JsonProperty("errors") List<InvalidInputException.FieldError> errors) {
    }
}
