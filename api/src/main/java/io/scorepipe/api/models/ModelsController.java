package io.scorepipe.api.models;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.scorepipe.api.system.Page;
import io.scorepipe.api.system.ProblemResponse;
import io.scorepipe.drift.DriftStore;
import io.scorepipe.registry.ModelInfo;
import io.scorepipe.registry.ModelProperties;
import io.scorepipe.registry.ModelRegistry;
import io.scorepipe.registry.ModelVersion;
import io.scorepipe.registry.Promotion;
import io.scorepipe.registry.RetrainRuns;
import io.scorepipe.registry.UnknownModelVersionException;
import io.scorepipe.scoring.ModelException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The registry over HTTP: models by name, their versions, promotion and rollback, retraining,
 * new models from a CSV file and versions from a model file. The routes from before models had
 * names ({@code /models/current}, {@code /models/v3}, {@code /models/retrain}, ...) act on the
 * default model.
 *
 * @param registry the models and their versions
 * @param admin promotion, rollback and retrain requests
 * @param imports model files
 * @param creation models from CSV files
 * @param runs retrain runs
 * @param properties the default model
 * @param drift the drift reports the workers compute
 */
@RestController
@Tag(name = "models", description = "Named models: versions, promotion and rollback, retraining, your own data and "
        + "model files")
record ModelsController(ModelRegistry registry, ModelAdminService admin, ModelImports imports, ModelCreation creation,
        RetrainRuns runs, ModelProperties properties, DriftStore drift) {

    /** A model's name in a path; a version label (v and digits) is never one, so the older routes stay apart. */
    static final String NAME = "{name:(?!v[0-9]+$)[a-z][a-z0-9-]*}";
    private static final String VERSION = "{version:v[0-9]+}";

    // ---- models

    @Operation(summary = "Every model, by name", description = "Each with its features, where it came from, and the "
            + "version that serves (its champion).")
    @GetMapping("/models")
    List<ModelSummary> models() {
        return registry.models().stream().map(model -> ModelSummary.of(model, properties.defaultName(), null)).toList();
    }

    @Operation(summary = "One model, with its champion in full")
    @ProblemResponse(status = 404, when = "no model has that name")
    @GetMapping("/models/" + NAME)
    ModelSummary model(@Parameter(example = "diabetes") @PathVariable String name) {
        ModelInfo model = registry.requireModel(name);
        ModelView current = model.champion() == null ? null : version(name, model.champion());
        return ModelSummary.of(model, properties.defaultName(), current);
    }

    @Operation(summary = "A new model from your own CSV file", description = "Send the file as a text/csv body (with "
            + "name, target and the optional features or ignore as query parameters) or as the part 'file' of a "
            + "multipart form (with the same fields). The header names the columns; the target column is what the "
            + "model predicts; the features are the columns listed in features, or else every column but the target "
            + "and those in ignore (an id, say). Raw values are fine: each feature is standardised inside the model, "
            + "so callers send raw values too. Every line is checked before anything is stored. Answers 202 at once "
            + "with the retrain run that trains, judges (on a hash-chosen held-out 20%) and promotes version 1.",
            security = @SecurityRequirement(name = "admin"))
    @ApiResponse(responseCode = "202", description = "Accepted: the model exists, and its first training run is "
            + "requested", headers = @Header(name = "Location", description = "the run to poll"))
    @ProblemResponse(status = 413, when = "the file is larger than scorepipe.model.max-training-size")
    @ProblemResponse(status = 422, when = "the name is taken or not a model name; the target is missing, absent from "
            + "the header or the same on every line; a column is named twice; a feature cell is not a number (the "
            + "error names the column and line; leave such a column out with ignore); too few rows")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(description = "The CSV file itself", required = true,
            content = @Content(mediaType = "text/csv", schema = @Schema(type = "string")))
    @PostMapping(path = "/models", consumes = "text/csv", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<RetrainRuns.Run> createFromBody(HttpServletRequest request,
            @Parameter(description = "the new model's name", example = "houses") @RequestParam(required = false)
            @Nullable String name,
            @Parameter(description = "the column to predict", example = "price") @RequestParam(required = false)
            @Nullable String target,
            @Parameter(description = "the columns to learn from, comma-separated (default: all but the target and "
                    + "ignore)") @RequestParam(required = false) @Nullable String features,
            @Parameter(description = "columns to pass over, comma-separated", example = "id")
            @RequestParam(required = false) @Nullable String ignore) throws IOException {
        try (InputStream body = request.getInputStream()) {
            return accepted(creation.create(body, new ModelCreation.Request(name, target, features, ignore)));
        }
    }

    @Operation(summary = "A new model from your own CSV file (multipart form)",
            description = "As the text/csv form, with the file as the part 'file'.",
            security = @SecurityRequirement(name = "admin"))
    @ApiResponse(responseCode = "202", description = "Accepted: the model exists, and its first training run is "
            + "requested", headers = @Header(name = "Location", description = "the run to poll"))
    @ProblemResponse(status = 413, when = "the file is larger than scorepipe.model.max-training-size")
    @ProblemResponse(status = 422, when = "the name is taken or not a model name; the target is missing, absent from "
            + "the header or the same on every line; a column is named twice; a feature cell is not a number; too few "
            + "rows")
    @PostMapping(path = "/models", consumes = MediaType.MULTIPART_FORM_DATA_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<RetrainRuns.Run> createFromForm(@RequestPart("file") MultipartFile file,
            @RequestParam(required = false) @Nullable String name, @RequestParam(required = false) @Nullable String target,
            @RequestParam(required = false) @Nullable String features,
            @RequestParam(required = false) @Nullable String ignore) throws IOException {
        try (InputStream body = file.getInputStream()) {
            return accepted(creation.create(body, new ModelCreation.Request(name, target, features, ignore)));
        }
    }

    // ---- versions

    @Operation(summary = "A model's versions, newest first", description = "Each with its status (the champion "
            + "serves), figures on held-out rows, and whether and why it was promoted.")
    @ProblemResponse(status = 404, when = "no model has that name")
    @GetMapping("/models/" + NAME + "/versions")
    List<ModelView> versions(@Parameter(example = "diabetes") @PathVariable String name) {
        registry.requireModel(name);
        Map<String, Promotion> promotions = registry.lastPromotions(name);
        return registry.list(name).stream().map(version -> ModelView.summary(version, promotions.get(version.label())))
                .toList();
    }

    @Operation(summary = "One version of a model, with its full provenance")
    @ProblemResponse(status = 404, when = "no model has that name, or it has no such version")
    @GetMapping("/models/" + NAME + "/versions/" + VERSION)
    ModelView version(@Parameter(example = "diabetes") @PathVariable String name,
            @Parameter(example = "v1") @PathVariable String version) {
        return registry.find(name, version).map(found -> ModelView.full(found, registry.lastPromotionOf(name, version)
                .orElse(null))).orElseThrow(() -> new UnknownModelVersionException(name, version));
    }

    @Operation(summary = "Bring a model trained elsewhere: an ONNX file or a Tribuo model file",
            description = "The file is the part 'file' of a multipart form. ONNX: one float or double input of shape "
                    + "[N, k] and one output of N values; the k feature names come with the upload (features=a,b,c, in "
                    + "the input's column order) or from the file's metadata property feature_names. Tribuo: any "
                    + "Model<Regressor> as Tribuo 4.3 writes it. The file is loaded and probed before anything is "
                    + "stored. When the model has labelled examples, the version is judged on the held-out ones against "
                    + "the champion. A name with no model yet becomes a model with the file's features; a version of an "
                    + "existing model takes the same features. It is registered as a candidate; promote=true promotes "
                    + "it at once, promote=auto only if it beats the champion by the usual rule (or there is none).",
            security = @SecurityRequirement(name = "admin"))
    @ApiResponse(responseCode = "201", description = "Created: the version, with its figures and decision",
            headers = @Header(name = "Location", description = "the version"))
    @ProblemResponse(status = 422, when = "the file cannot be loaded or does not fit (the detail gives the runtime's "
            + "reason; nothing is stored), it is larger than scorepipe.model.max-import-size, it is empty, or the name, "
            + "format, features or promote parameter is not usable")
    @PostMapping(path = "/models/" + NAME + "/versions", consumes = MediaType.MULTIPART_FORM_DATA_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<ModelView> importVersion(@Parameter(example = "houses") @PathVariable String name,
            @RequestPart("file") MultipartFile file,
            @Parameter(description = "the feature names in the input's column order, comma-separated")
            @RequestParam(required = false) @Nullable String features,
            @Parameter(description = "onnx or tribuo; taken from the file when absent")
            @RequestParam(required = false) @Nullable String format,
            @Parameter(description = "false (default), true, or auto") @RequestParam(required = false)
            @Nullable String promote) throws IOException {
        ModelVersion imported = imports.importFile(new ModelImports.Upload(name, file.getBytes(),
                file.getOriginalFilename(), format, features, ModelImports.Promote.of(promote)));
        return ResponseEntity.created(URI.create("/models/" + name + "/versions/" + imported.label()))
                .body(version(name, imported.label()));
    }

    @Operation(summary = "Make a version of a model its champion",
            description = "Every instance serves it within seconds. Promoting an older version is a rollback.",
            security = @SecurityRequirement(name = "admin"))
    @ProblemResponse(status = 404, when = "no model has that name, or it has no such version")
    @ProblemResponse(status = 413, when = "the body is larger than scorepipe.predict.max-body-size")
    @PostMapping("/models/" + NAME + "/versions/" + VERSION + "/promote")
    ModelView promote(@Parameter(example = "diabetes") @PathVariable String name,
            @Parameter(example = "v1") @PathVariable String version,
            @RequestBody(required = false) @Nullable PromoteRequest request) {
        admin.promote(name, version, reason(request, "promoted through the api"));
        return version(name, version);
    }

    @Operation(summary = "Undo a model's latest promotion", description = "The version that served before it serves "
            + "again, on every instance within seconds.", security = @SecurityRequirement(name = "admin"))
    @ProblemResponse(status = 404, when = "no model has that name")
    @ProblemResponse(status = 409, when = "no version served before the current one")
    @ProblemResponse(status = 413, when = "the body is larger than scorepipe.predict.max-body-size")
    @PostMapping("/models/" + NAME + "/rollback")
    ModelView rollback(@Parameter(example = "diabetes") @PathVariable String name,
            @RequestBody(required = false) @Nullable PromoteRequest request) {
        ModelVersion restored = admin.rollback(name, reason(request, "rolled back through the api"));
        return version(name, restored.label());
    }

    @Operation(summary = "A model's champion")
    @ProblemResponse(status = 404, when = "no model has that name")
    @ProblemResponse(status = 503, when = "no version of it serves yet")
    @GetMapping("/models/" + NAME + "/current")
    ModelView currentOf(@Parameter(example = "diabetes") @PathVariable String name) {
        ModelInfo model = registry.requireModel(name);
        if (model.champion() == null) {
            throw new ModelException("model '" + name + "' has no champion yet: no version of it serves");
        }
        return version(name, model.champion());
    }

    @Operation(summary = "A model's feature drift", description = "The serving version's recent audited inputs "
            + "against what it learnt from: for each feature and for the prediction, both distributions in the "
            + "reference's decile bins, and the population stability index (above 0.2: shifted). The workers "
            + "compute it every scorepipe.drift.interval (1m) over the last scorepipe.drift.window (1h), from a "
            + "sample of at most scorepipe.drift.sample (10,000) audited predictions. status is computed, or waiting "
            + "(with the reason) before the first report. Needs the admin token: it shows what callers sent.",
            security = @SecurityRequirement(name = "admin"))
    @ProblemResponse(status = 401, when = "no admin token, or the wrong one")
    @ProblemResponse(status = 404, when = "no model has that name")
    @GetMapping("/models/" + NAME + "/drift")
    DriftView driftOf(@Parameter(example = "diabetes") @PathVariable String name) {
        ModelInfo model = registry.requireModel(name);
        return drift.latest(name).map(report -> DriftView.computed(model, report))
                .orElseGet(() -> DriftView.waiting(model));
    }

    @Operation(summary = "A model's promotion history, newest first: which version, replacing which, why, and by whom")
    @ProblemResponse(status = 404, when = "no model has that name")
    @ProblemResponse(status = 422, when = "page is negative, or size is not between 1 and 200")
    @GetMapping("/models/" + NAME + "/promotions")
    Page<PromotionView> promotionsOf(@Parameter(example = "diabetes") @PathVariable String name,
            @Parameter(description = "page number, from 0") @RequestParam(defaultValue = "0") int page,
            @Parameter(description = "entries per page, 1 to 200") @RequestParam(defaultValue = "20") int size) {
        Page.check(page, size);
        registry.requireModel(name);
        return new Page<>(registry.promotions(name, Page.offset(page, size), size).stream().map(PromotionView::of)
                .toList(), page, size, registry.promotionCount(name));
    }

    // ---- retraining

    @Operation(summary = "Retrain a model now", description = "A worker trains a new version on the model's labelled "
            + "examples, judges it against the champion (whatever made it) on the same held-out rows, and promotes it "
            + "only if it is better. Answers at once with the run to poll (Location). A run with no new examples since "
            + "the last trained version ends 'skipped'.", security = @SecurityRequirement(name = "admin"))
    @ApiResponse(responseCode = "202", description = "Accepted: the run as it stands, 'requested' (or already "
            + "'running'; 'failed' when the workers could not be reached)",
            headers = @Header(name = "Location", description = "the run to poll"))
    @ProblemResponse(status = 404, when = "no model has that name")
    @PostMapping("/models/" + NAME + "/retrain")
    ResponseEntity<RetrainRuns.Run> retrainOf(@Parameter(example = "diabetes") @PathVariable String name) {
        return accepted(admin.requestRetrain(name, "api"));
    }

    @Operation(summary = "A model's retrain runs, newest first, one page at a time")
    @ProblemResponse(status = 404, when = "no model has that name")
    @ProblemResponse(status = 422, when = "page is negative, or size is not between 1 and 200")
    @GetMapping("/models/" + NAME + "/retrain")
    Page<RetrainRuns.Run> retrainRunsOf(@Parameter(example = "diabetes") @PathVariable String name,
            @Parameter(description = "page number, from 0") @RequestParam(defaultValue = "0") int page,
            @Parameter(description = "runs per page, 1 to 200") @RequestParam(defaultValue = "20") int size) {
        Page.check(page, size);
        registry.requireModel(name);
        return new Page<>(runs.list(name, Page.offset(page, size), size), page, size, runs.count(name));
    }

    @Operation(summary = "A retrain run of a model", description = "requested, running, then completed (the version it "
            + "registered, whether it was promoted, and why), skipped (why nothing was trained) or failed (why)")
    @ProblemResponse(status = 404, when = "the model has no retrain run with that id")
    @ProblemResponse(status = 400, when = "the id is not a UUID")
    @GetMapping("/models/" + NAME + "/retrain/{id}")
    RetrainRuns.Run retrainRunOf(@Parameter(example = "diabetes") @PathVariable String name, @PathVariable UUID id) {
        return admin.retrainRun(name, id);
    }

    // ---- the default model, by the routes from before models had names

    @Operation(summary = "The default model's champion")
    @ProblemResponse(status = 503, when = "no model serves yet: the first worker is still training it")
    @GetMapping("/models/current")
    ModelView current() {
        return registry.champion(properties.defaultName()).map(version -> ModelView.full(version, registry.lastPromotionOf(
                properties.defaultName(), version.label()).orElse(null)))
                .orElseThrow(() -> new ModelException("no model is serving yet: the registry has no champion"));
    }

    @Operation(summary = "Retrain the default model now", description = "As POST /models/{name}/retrain for the "
            + "default model.", security = @SecurityRequirement(name = "admin"))
    @ApiResponse(responseCode = "202", description = "Accepted: the run as it stands, 'requested' (or already "
            + "'running'; 'failed' when the workers could not be reached)",
            headers = @Header(name = "Location", description = "the run to poll"))
    @PostMapping("/models/retrain")
    ResponseEntity<RetrainRuns.Run> retrain() {
        RetrainRuns.Run run = admin.requestRetrain(properties.defaultName(), "api");
        return ResponseEntity.accepted().location(URI.create("/models/retrain/" + run.id())).body(run);
    }

    @Operation(summary = "The default model's retrain runs, newest first, one page at a time")
    @ProblemResponse(status = 422, when = "page is negative, or size is not between 1 and 200")
    @GetMapping("/models/retrain")
    Page<RetrainRuns.Run> retrainRuns(@Parameter(description = "page number, from 0") @RequestParam(defaultValue = "0")
            int page, @Parameter(description = "runs per page, 1 to 200") @RequestParam(defaultValue = "20") int size) {
        Page.check(page, size);
        return new Page<>(runs.list(properties.defaultName(), Page.offset(page, size), size), page, size, runs.count(properties.defaultName()));
    }

    @Operation(summary = "A retrain run of any model, by its id")
    @ProblemResponse(status = 404, when = "no retrain run has that id")
    @ProblemResponse(status = 400, when = "the id is not a UUID")
    @GetMapping("/models/retrain/{id}")
    RetrainRuns.Run retrainRun(@PathVariable UUID id) {
        return admin.retrainRun(id);
    }

    @Operation(summary = "The default model's promotion history, newest first")
    @ProblemResponse(status = 422, when = "page is negative, or size is not between 1 and 200")
    @GetMapping("/models/promotions")
    Page<PromotionView> promotions(@Parameter(description = "page number, from 0") @RequestParam(defaultValue = "0")
            int page, @Parameter(description = "entries per page, 1 to 200") @RequestParam(defaultValue = "20") int size) {
        return promotionsOf(properties.defaultName(), page, size);
    }

    @Operation(summary = "One version of the default model, with its full provenance")
    @ProblemResponse(status = 404, when = "no version has that label")
    @GetMapping("/models/" + VERSION)
    ModelView one(@Parameter(example = "v1") @PathVariable String version) {
        return version(properties.defaultName(), version);
    }

    @Operation(summary = "Make a version of the default model the champion",
            description = "Every instance serves it within seconds. Promoting an older version is a rollback.",
            security = @SecurityRequirement(name = "admin"))
    @ProblemResponse(status = 404, when = "no version has that label")
    @ProblemResponse(status = 413, when = "the body is larger than scorepipe.predict.max-body-size")
    @PostMapping("/models/" + VERSION + "/promote")
    ModelView promoteDefault(@Parameter(example = "v1") @PathVariable String version,
            @RequestBody(required = false) @Nullable PromoteRequest request) {
        return promote(properties.defaultName(), version, request);
    }

    private static ResponseEntity<RetrainRuns.Run> accepted(RetrainRuns.Run run) {
        return ResponseEntity.accepted().location(URI.create("/models/" + run.model() + "/retrain/" + run.id()))
                .body(run);
    }

    private static String reason(@Nullable PromoteRequest request, String otherwise) {
        return request == null || request.reason() == null || request.reason().isBlank() ? otherwise
                : request.reason().strip();
    }

    /**
     * Optional body of a promotion or rollback.
     *
     * @param reason why, for the promotion history
     */
    record PromoteRequest(@JsonProperty("reason") @Nullable String reason) {
    }

    /**
     * One promotion.
     *
     * @param model the model whose champion changed
     * @param version the version that became champion
     * @param previousVersion the one it replaced
     * @param reason why
     * @param promotedBy api, retrain, import or bootstrap
     * @param promotedAt when
     */
    record PromotionView(@JsonProperty("model") String model, @JsonProperty("version") String version,
            @JsonProperty("previous_version") @Nullable String previousVersion, @JsonProperty("reason") String reason,
            @JsonProperty("promoted_by") String promotedBy, @JsonProperty("promoted_at") Instant promotedAt) {

        static PromotionView of(Promotion promotion) {
            return new PromotionView(promotion.model(), promotion.version(), promotion.previousVersion(),
                    promotion.reason(), promotion.promotedBy(), promotion.promotedAt());
        }
    }
}
