package io.scorepipe.api.protocols;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import io.scorepipe.api.predict.PredictProperties;
import io.scorepipe.api.predict.Prediction;
import io.scorepipe.api.predict.PredictionService;
import io.scorepipe.api.predict.Route;
import io.scorepipe.api.system.ApiProblemException;
import io.scorepipe.api.system.ProblemResponse;
import io.scorepipe.audit.RequestIds;
import io.scorepipe.registry.ModelInfo;
import io.scorepipe.registry.ModelRegistry;
import io.scorepipe.registry.ModelVersion;
import io.scorepipe.registry.ServingModels;
import io.scorepipe.registry.UnknownModelVersionException;
import io.scorepipe.scoring.ModelFormat;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * The Open Inference Protocol's REST API (KServe v2, as Triton, MLServer and OpenVINO Model
 * Server serve it) for every named model. Without a version in the path a request scores with
 * the model's champion; with one, with that version, champion or not (to compare a candidate on
 * live traffic). Errors are the protocol's {@code {"error": "..."}}.
 *
 * @param registry the models and their versions
 * @param serving the decoded versions
 * @param predictions the scoring core
 * @param health readiness
 * @param properties the row limit
 */
@RestController
@Tag(name = "open inference protocol", description = "KServe v2 / Open Inference Protocol REST")
record OpenInferenceController(ModelRegistry registry, ServingModels serving, PredictionService predictions,
        ProtocolHealth health, PredictProperties properties) {

    private static final String NAME = "{name}";
    private static final String VERSION = "{version:v[0-9]+}";
    private static final String VERSIONED = "/v2/models/" + NAME + "/versions/" + VERSION;
    private static final String INFER = "Inputs: one tensor 'input' of shape [N, k], each row the model's features in "
            + "its order; or one tensor per feature, named as the feature, of shape [N] or [N, 1], in any order. "
            + "Datatypes FP64, FP32, INT64, INT32; data flat (row-major) or nested. The answer is one FP64 tensor "
            + "'prediction' of shape [N], with the model's name and the version that scored every row; each row is one "
            + "audit row (route v2). The request's id, when it gives one, is echoed and audited as the request id.";

    @Operation(summary = "Server metadata", description = "The server's name, version and the protocol extensions it "
            + "supports (none).")
    @GetMapping(path = "/v2", produces = MediaType.APPLICATION_JSON_VALUE)
    OpenInference.ServerMetadata server() {
        String version = OpenInferenceController.class.getPackage().getImplementationVersion();
        return new OpenInference.ServerMetadata("scorepipe", version == null ? "dev" : version, List.of());
    }

    @Operation(summary = "Server liveness: the server answers")
    @GetMapping(path = "/v2/health/live", produces = MediaType.APPLICATION_JSON_VALUE)
    OpenInference.Live live() {
        return new OpenInference.Live(true);
    }

    @Operation(summary = "Server readiness", description = "Ready (200) when every model's champion is decoded and the "
            + "audit trail is available; 503 otherwise.")
    @ProblemResponse(status = 503, when = "a champion cannot be decoded, or neither Kafka nor PostgreSQL takes audit "
            + "records")
    @GetMapping(path = "/v2/health/ready", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<OpenInference.Ready> ready() {
        boolean ready = health.ready();
        return ResponseEntity.status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
                .body(new OpenInference.Ready(null, ready));
    }

    @Operation(summary = "Model metadata", description = "The model's versions, platform, input and output tensors, "
            + "and its features in the input's order.")
    @ProblemResponse(status = 404, when = "no model has that name")
    @GetMapping(path = "/v2/models/" + NAME, produces = MediaType.APPLICATION_JSON_VALUE)
    OpenInference.ModelMetadata metadata(@Parameter(example = "diabetes") @PathVariable String name) {
        ModelInfo model = registry.requireModel(name);
        List<String> versions = registry.list(name).stream().map(ModelVersion::label).toList();
        ModelFormat format = model.champion() == null ? ModelFormat.TRIBUO
                : registry.find(name, model.champion()).map(ModelVersion::format).orElse(ModelFormat.TRIBUO);
        return metadata(model, versions, format);
    }

    @Operation(summary = "Model metadata of one version")
    @ProblemResponse(status = 404, when = "no model has that name, or it has no such version")
    @GetMapping(path = VERSIONED, produces = MediaType.APPLICATION_JSON_VALUE)
    OpenInference.ModelMetadata versionMetadata(@Parameter(example = "diabetes") @PathVariable String name,
            @Parameter(example = "v1") @PathVariable String version) {
        ModelInfo model = registry.requireModel(name);
        ModelVersion found = registry.find(name, version).orElseThrow(() -> new UnknownModelVersionException(name,
                version));
        return metadata(model, List.of(found.label()), found.format());
    }

    @Operation(summary = "Model readiness: its champion can score now")
    @ProblemResponse(status = 404, when = "no model has that name")
    @GetMapping(path = "/v2/models/" + NAME + "/ready", produces = MediaType.APPLICATION_JSON_VALUE)
    OpenInference.Ready modelReady(@Parameter(example = "diabetes") @PathVariable String name) {
        registry.requireModel(name);
        return new OpenInference.Ready(name, health.modelReady(name, null));
    }

    @Operation(summary = "Version readiness: that version can score now")
    @ProblemResponse(status = 404, when = "no model has that name, or it has no such version")
    @GetMapping(path = VERSIONED + "/ready", produces = MediaType.APPLICATION_JSON_VALUE)
    OpenInference.Ready versionReady(@Parameter(example = "diabetes") @PathVariable String name,
            @Parameter(example = "v1") @PathVariable String version) {
        registry.find(name, version).orElseThrow(() -> new UnknownModelVersionException(name, version));
        return new OpenInference.Ready(name, health.modelReady(name, version));
    }

    @Operation(summary = "Inference with the model's champion", description = INFER)
    @ProblemResponse(status = 400, when = "the request does not fit the protocol or the model: a shape that does not "
            + "match its data, an unknown input or output, a datatype other than FP64, FP32, INT64 or INT32, a missing "
            + "feature, a value that is not a finite number, more than the row limit; the error names it")
    @ProblemResponse(status = 404, when = "no model has that name")
    @ProblemResponse(status = 503, when = "the model has no champion yet, or the audit trail is unavailable")
    @PostMapping(path = "/v2/models/" + NAME + "/infer", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    OpenInference.InferenceResponse infer(@Parameter(example = "diabetes") @PathVariable String name,
            @RequestBody OpenInference.InferenceRequest request) {
        try (ServingModels.Lease model = serving.champion(name)) {
            return infer(model, request);
        }
    }

    @Operation(summary = "Inference with one version of the model, champion or not", description = INFER)
    @ProblemResponse(status = 400, when = "the request does not fit the protocol or the model; the error names it")
    @ProblemResponse(status = 404, when = "no model has that name, or it has no such version")
    @ProblemResponse(status = 503, when = "the audit trail is unavailable")
    @PostMapping(path = VERSIONED + "/infer", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    OpenInference.InferenceResponse inferVersion(@Parameter(example = "diabetes") @PathVariable String name,
            @Parameter(example = "v1") @PathVariable String version, @RequestBody OpenInference.InferenceRequest request) {
        try (ServingModels.Lease model = serving.version(name, version)) {
            return infer(model, request);
        }
    }

    private OpenInference.InferenceResponse infer(ServingModels.Lease model, OpenInference.InferenceRequest request) {
        checkParameters(request.parameters());
        checkOutputs(request.outputs());
        String id = request.id() == null ? null : RequestIds.check(request.id());
        List<double[]> rows = Tensors.rows(request, model.scorer().schema(), properties.maxBatchRows());
        List<Prediction> scored = predictions.scoreRows(model, rows, id, Route.V2);
        double[] values = new double[scored.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = scored.get(i).value();
        }
        return new OpenInference.InferenceResponse(model.model(), model.label(), id, List.of(
                new OpenInference.ResponseOutput(OpenInference.OUTPUT, List.of((long) values.length), "FP64", values)));
    }

    /** Request parameters: binary data is the only one clients send, and only as JSON is it served. */
    private static void checkParameters(@Nullable Map<String, Object> parameters) {
        if (parameters == null) {
            return;
        }
        parameters.forEach((key, value) -> {
            if (!key.equals("binary_data_output") || Boolean.TRUE.equals(value)) {
                throw ApiProblemException.badRequest(key.equals("binary_data_output")
                        ? "binary_data_output is not supported: the outputs are sent as JSON"
                        : "the request parameter '" + key + "' is not supported");
            }
        });
    }

    private static void checkOutputs(@Nullable List<OpenInference.RequestOutput> outputs) {
        if (outputs == null) {
            return;
        }
        for (OpenInference.RequestOutput output : outputs) {
            if (!OpenInference.OUTPUT.equals(output.name())) {
                throw ApiProblemException.badRequest("unknown output '" + output.name() + "': the model has one output, '"
                        + OpenInference.OUTPUT + "'");
            }
            if (output.parameters() != null) {
                output.parameters().forEach((key, value) -> {
                    if (!(key.equals("binary_data") && Boolean.FALSE.equals(value))) {
                        throw ApiProblemException.badRequest("the output parameter '" + key + "' is not supported"
                                + (key.equals("binary_data") ? ": the outputs are sent as JSON" : ""));
                    }
                });
            }
        }
    }

    private static OpenInference.ModelMetadata metadata(ModelInfo model, List<String> versions, ModelFormat format) {
        List<OpenInference.MetadataTensor> inputs = new ArrayList<>();
        inputs.add(new OpenInference.MetadataTensor(OpenInference.INPUT, "FP64", List.of(-1L,
                (long) model.featureNames().size())));
        return new OpenInference.ModelMetadata(model.name(), versions, format == ModelFormat.ONNX ? "onnxruntime_onnx"
                : "tribuo", inputs, List.of(new OpenInference.MetadataTensor(OpenInference.OUTPUT, "FP64", List.of(-1L))),
                model.featureNames());
    }
}
