package io.scorepipe.api.predict;

import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import io.scorepipe.api.predict.PredictApi.BatchRequest;
import io.scorepipe.api.system.ProblemResponse;
import io.scorepipe.api.predict.PredictApi.BatchResponse;
import io.scorepipe.api.predict.PredictApi.PredictRequest;
import io.scorepipe.api.predict.PredictApi.PredictResponse;
import io.scorepipe.audit.RequestIds;
import io.scorepipe.scoring.InvalidInputException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

@RestController
@Tag(name = "predict", description = "Real-time predictions")
class PredictController {

    private final PredictionService predictions;
    private final PredictProperties properties;

    PredictController(PredictionService predictions, PredictProperties properties) {
        this.predictions = predictions;
        this.properties = properties;
    }

    @Operation(summary = "Score one record", description = "Features as an array in the model's order (the seed's "
            + "form) or as an object keyed by feature name. Answers only after the prediction is audited.")
    @ProblemResponse(status = 413, when = "the body is larger than scorepipe.predict.max-body-size (1 MB)")
    @ProblemResponse(status = 422, when = "the features do not fit the model (the detail and errors name each field), "
            + "the prediction is not a finite number, or request_id is not usable")
    @ProblemResponse(status = 503, when = "no model serves yet, or the audit trail (Kafka and PostgreSQL) is unavailable; "
            + "retry after Retry-After seconds")
    @PostMapping(path = "/predict", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    PredictResponse predict(@RequestBody PredictRequest request) {
        String requestId = checkedRequestId(request.requestId());
        return PredictResponse.of(predictions.predict(request.features(), requestId), requestId);
    }

    @Operation(summary = "Score several records with one model version",
            description = "One result per row, in order: a prediction, or that row's error. A bad row does not fail "
                    + "the call: it answers 200 with {\"error\": {\"detail\": ..., \"errors\": [...]}} in that row's "
                    + "place, and every other row is scored and audited.")
    @ProblemResponse(status = 413, when = "the body is larger than scorepipe.predict.max-body-size (1 MB)")
    @ProblemResponse(status = 422, when = "rows is missing or not an array, there are more than "
            + "scorepipe.predict.max-batch-rows (1000) rows, or request_id is not usable")
    @ProblemResponse(status = 503, when = "no model serves yet, or the audit trail (Kafka and PostgreSQL) is unavailable; "
            + "retry after Retry-After seconds")
    @PostMapping(path = "/predict/batch", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    BatchResponse predictBatch(@RequestBody BatchRequest request) {
        String requestId = checkedRequestId(request.requestId());
        List<Object> rows = request.rows();
        if (rows == null) {
            throw new InvalidInputException("rows", "rows must be an array of records (arrays or objects)");
        }
        return BatchResponse.of(predictions.predictAll(rows, requestId, properties.maxBatchRows()), requestId);
    }

    private static @Nullable String checkedRequestId(@Nullable String requestId) {
        return requestId == null ? null : RequestIds.check(requestId);
    }
}
