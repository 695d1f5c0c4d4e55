package io.scorepipe.api.predict;

import java.io.IOException;
import java.util.List;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import io.scorepipe.api.predict.PredictApi.BatchRequest;
import io.scorepipe.api.predict.PredictApi.BatchResponse;
import io.scorepipe.api.predict.PredictApi.PredictRequest;
import io.scorepipe.api.predict.PredictApi.PredictResponse;
import io.scorepipe.api.system.ProblemResponse;
import io.scorepipe.audit.RequestIds;
import io.scorepipe.registry.ModelProperties;
import io.scorepipe.registry.UnknownModelException;
import io.scorepipe.scoring.InvalidInputException;
import io.scorepipe.scoring.ModelException;
import tools.jackson.databind.json.JsonMapper;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

@RestController
@Tag(name = "predict", description = "Real-time predictions")
class PredictController {

    private final PredictionService predictions;
    private final PredictProperties properties;
    private final String defaultModel;
    private final PredictBodies bodies;

    PredictController(PredictionService predictions, PredictProperties properties, ModelProperties models,
            JsonMapper json) {
        this.predictions = predictions;
        this.properties = properties;
        this.defaultModel = models.defaultName();
        this.bodies = new PredictBodies(json);
    }

    @Operation(summary = "Score one record with the default model", description = "Features as an array in the "
            + "model's order (the seed's form) or as an object keyed by feature name. Answers only after the prediction "
            + "is audited. The default model is SCOREPIPE_DEFAULT_MODEL (diabetes unless set).")
    @ProblemResponse(status = 413, when = "the body is larger than scorepipe.predict.max-body-size (1 MB)")
    @ProblemResponse(status = 422, when = "the features do not fit the model (the detail and errors name each field), "
            + "the prediction is not a finite number, or request_id is not usable")
    @ProblemResponse(status = 404, when = "the default model does not exist")
    @ProblemResponse(status = 503, when = "no version of the model serves yet, or the audit trail (Kafka and PostgreSQL) "
            + "is unavailable; retry after Retry-After seconds")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
            mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = PredictRequest.class)))
    @ApiResponse(responseCode = "200", description = "The prediction, audited", content = @Content(
            mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = PredictResponse.class)))
    @PostMapping(path = "/predict", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    void predict(HttpServletRequest request, HttpServletResponse response) throws IOException {
        // the body in and the answer out as bytes, past Spring's message converters: see PredictBodies
        bodies.write(response, predictWith(defaultModel, bodies.read(request)));
    }

    @Operation(summary = "Score one record with a model of your choice", description = "As POST /predict, with the "
            + "model named in the path; errors name that model's features.")
    @ProblemResponse(status = 413, when = "the body is larger than scorepipe.predict.max-body-size (1 MB)")
    @ProblemResponse(status = 422, when = "the features do not fit the model (the detail and errors name each field), "
            + "the prediction is not a finite number, or request_id is not usable")
    @ProblemResponse(status = 404, when = "no model has that name")
    @ProblemResponse(status = 503, when = "no version of the model serves yet, or the audit trail (Kafka and PostgreSQL) "
            + "is unavailable; retry after Retry-After seconds")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
            mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = PredictRequest.class)))
    @ApiResponse(responseCode = "200", description = "The prediction, audited", content = @Content(
            mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = PredictResponse.class)))
    @PostMapping(path = "/models/{name}/predict", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    void predictNamed(@Parameter(example = "diabetes") @PathVariable String name, HttpServletRequest request,
            HttpServletResponse response) throws IOException {
        bodies.write(response, predictWith(name, bodies.read(request)));
    }

    @Operation(summary = "Score several records with one version of the default model",
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
        return predictBatchWith(defaultModel, request);
    }

    @Operation(summary = "Score several records with one version of a model of your choice",
            description = "As POST /predict/batch, with the model named in the path.")
    @ProblemResponse(status = 413, when = "the body is larger than scorepipe.predict.max-body-size (1 MB)")
    @ProblemResponse(status = 422, when = "rows is missing or not an array, there are more than "
            + "scorepipe.predict.max-batch-rows (1000) rows, or request_id is not usable")
    @ProblemResponse(status = 404, when = "no model has that name")
    @ProblemResponse(status = 503, when = "no version of the model serves yet, or the audit trail (Kafka and PostgreSQL) "
            + "is unavailable; retry after Retry-After seconds")
    @PostMapping(path = "/models/{name}/predict/batch", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    BatchResponse predictBatchNamed(@Parameter(example = "diabetes") @PathVariable String name,
            @RequestBody BatchRequest request) {
        return predictBatchWith(name, request);
    }

    private PredictResponse predictWith(String model, PredictRequest request) {
        String requestId = checkedRequestId(request.requestId());
        try {
            return PredictResponse.of(predictions.predict(model, request.features(), requestId), requestId);
        }
        catch (UnknownModelException ex) {
            throw whileStarting(model, ex);
        }
    }

    private BatchResponse predictBatchWith(String model, BatchRequest request) {
        String requestId = checkedRequestId(request.requestId());
        List<Object> rows = request.rows();
        if (rows == null) {
            throw new InvalidInputException("rows", "rows must be an array of records (arrays or objects)");
        }
        try {
            return BatchResponse.of(predictions.predictAll(model, rows, requestId, properties.maxBatchRows()), requestId);
        }
        catch (UnknownModelException ex) {
            throw whileStarting(model, ex);
        }
    }

    /** The default model is made by the first worker: until then it is not unknown, only not ready (503). */
    private RuntimeException whileStarting(String model, UnknownModelException ex) {
        return model.equals(defaultModel) ? new ModelException("no model is serving yet: the default model " + model
                + " has no champion yet (the first worker trains it)") : ex;
    }

    private static @Nullable String checkedRequestId(@Nullable String requestId) {
        return requestId == null ? null : RequestIds.check(requestId);
    }
}
