package io.scorepipe.api.protocols;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.scorepipe.api.predict.PredictProperties;
import io.scorepipe.api.predict.Prediction;
import io.scorepipe.api.predict.PredictionService;
import io.scorepipe.api.predict.Route;
import io.scorepipe.api.system.ApiProblemException;
import io.scorepipe.api.system.ProblemResponse;
import io.scorepipe.registry.ModelRegistry;
import io.scorepipe.registry.ServingModels;
import io.scorepipe.scoring.FeatureSchema;
import io.scorepipe.scoring.InvalidInputException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * KServe's v1 protocol (TensorFlow Serving's): {@code {"instances": [...]}} in,
 * {@code {"predictions": [...]}} out, for every named model's champion. Errors are
 * {@code {"error": "..."}}.
 *
 * @param registry the models
 * @param serving the decoded versions
 * @param predictions the scoring core
 * @param health readiness
 * @param properties the row limit
 */
@RestController
@Tag(name = "kserve v1", description = "KServe v1 prediction protocol")
record KServeV1Controller(ModelRegistry registry, ServingModels serving, PredictionService predictions,
        ProtocolHealth health, PredictProperties properties) {

    /**
     * The request.
     *
     * @param instances the rows: arrays in the model's feature order, or objects keyed by feature name
     */
    record PredictRequest(@Schema(description = "rows: arrays in the model's feature order, or objects by feature name")
            @JsonProperty("instances") @Nullable List<Object> instances) {
    }

    /**
     * The answer.
     *
     * @param predictions one per instance, in order
     */
    record PredictResponse(@JsonProperty("predictions") double[] predictions) {
    }

    /**
     * A model's status.
     *
     * @param name the model
     * @param ready whether its champion can score now
     */
    record ModelStatus(@JsonProperty("name") String name, @JsonProperty("ready") boolean ready) {
    }

    @Operation(summary = "A model's status")
    @ProblemResponse(status = 404, when = "no model has that name")
    @GetMapping(path = "/v1/models/{name}", produces = MediaType.APPLICATION_JSON_VALUE)
    ModelStatus model(@Parameter(example = "diabetes") @PathVariable String name) {
        registry.requireModel(name);
        return new ModelStatus(name, health.modelReady(name, null));
    }

    @Operation(summary = "Predict with the model's champion", description = "Each instance is scored, cached and "
            + "audited (route v1) as POST /predict scores a row; one bad instance refuses the request, naming it.")
    @ProblemResponse(status = 400, when = "instances is missing, empty or over the row limit, or an instance does not "
            + "fit the model (the error names the instance and the feature)")
    @ProblemResponse(status = 404, when = "no model has that name")
    @ProblemResponse(status = 503, when = "the model has no champion yet, or the audit trail is unavailable")
    @PostMapping(path = "/v1/models/{name}:predict", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    PredictResponse predict(@Parameter(example = "diabetes") @PathVariable String name,
            @RequestBody PredictRequest request) {
        List<Object> instances = request.instances();
        if (instances == null || instances.isEmpty()) {
            throw ApiProblemException.badRequest("instances is missing or empty: send {\"instances\": [[...], ...]}, "
                    + "each an array in the model's feature order or an object keyed by feature name");
        }
        if (instances.size() > properties.maxBatchRows()) {
            throw ApiProblemException.badRequest("at most " + properties.maxBatchRows() + " instances per request, got "
                    + instances.size());
        }
        try (ServingModels.Lease model = serving.champion(name)) {
            List<Prediction> scored = predictions.scoreRows(model, rows(instances, model.scorer().schema()), null,
                    Route.V1);
            return new PredictResponse(scored.stream().mapToDouble(Prediction::value).toArray());
        }
    }

    /** Each instance as a row; the first one that does not fit refuses the request. */
    static List<double[]> rows(List<?> instances, FeatureSchema schema) {
        List<double[]> rows = new ArrayList<>(instances.size());
        for (int i = 0; i < instances.size(); i++) {
            try {
                rows.add(schema.read(instances.get(i)));
            }
            catch (InvalidInputException ex) {
                throw ApiProblemException.badRequest("instance " + i + ": " + ex.getMessage());
            }
        }
        return rows;
    }
}
