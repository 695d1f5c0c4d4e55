package io.scorepipe.api.models;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.scorepipe.api.system.Page;
import io.scorepipe.api.system.ProblemResponse;
import io.scorepipe.registry.ModelRegistry;
import io.scorepipe.registry.Promotion;
import io.scorepipe.registry.RetrainRuns;
import io.scorepipe.registry.UnknownModelVersionException;
import io.scorepipe.scoring.ModelException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

@RestController
@Tag(name = "models", description = "The model registry: versions, promotion and rollback, retraining")
class ModelsController {

    private final ModelRegistry registry;
    private final ModelAdminService admin;
    private final RetrainRuns runs;

    ModelsController(ModelRegistry registry, ModelAdminService admin, RetrainRuns runs) {
        this.registry = registry;
        this.admin = admin;
        this.runs = runs;
    }

    @Operation(summary = "Every model version, newest first",
            description = "Each with its status (the champion serves), figures on held-out rows, and whether and "
                    + "why it was promoted.")
    @GetMapping("/models")
    List<ModelView> list() {
        Map<String, Promotion> promotions = registry.lastPromotions();
        return registry.list().stream().map(version -> ModelView.summary(version, promotions.get(version.label()))).toList();
    }

    @Operation(summary = "The version that serves now (the champion)")
    @ProblemResponse(status = 503, when = "no model serves yet: the first worker is still training it")
    @GetMapping("/models/current")
    ModelView current() {
        return registry.champion().map(version -> ModelView.full(version, registry.lastPromotionOf(version.label())
                .orElse(null))).orElseThrow(() -> new ModelException("no model is serving yet: the registry has no champion"));
    }

    @Operation(summary = "Retrain now", description = "A worker trains a new version on the labelled examples, judges "
            + "it against the champion on the same held-out rows, and promotes it only if it is better. Answers at "
            + "once with the run to poll (Location). A run with no new examples since the last trained version ends "
            + "'skipped'.", security = @SecurityRequirement(name = "admin"))
    @ApiResponse(responseCode = "202", description = "Accepted: the run as it stands, 'requested' (or already "
            + "'running'; 'failed' when the workers could not be reached)",
            headers = @Header(name = "Location", description = "the run to poll"))
    @PostMapping("/models/retrain")
    ResponseEntity<RetrainRuns.Run> retrain() {
        RetrainRuns.Run run = admin.requestRetrain();
        return ResponseEntity.accepted().location(URI.create("/models/retrain/" + run.id())).body(run);
    }

    @Operation(summary = "Retrain runs, newest first, one page at a time")
    @ProblemResponse(status = 422, when = "page is negative, or size is not between 1 and 200")
    @GetMapping("/models/retrain")
    Page<RetrainRuns.Run> retrainRuns(@Parameter(description = "page number, from 0") @RequestParam(defaultValue = "0")
            int page, @Parameter(description = "runs per page, 1 to 200") @RequestParam(defaultValue = "20") int size) {
        Page.check(page, size);
        return new Page<>(runs.list(Page.offset(page, size), size), page, size, runs.count());
    }

    @Operation(summary = "A retrain run", description = "requested, running, then completed (the version it "
            + "registered, whether it was promoted, and why), skipped (why nothing was trained) or failed (why)")
    @ProblemResponse(status = 404, when = "no retrain run has that id")
    @ProblemResponse(status = 400, when = "the id is not a UUID")
    @GetMapping("/models/retrain/{id}")
    RetrainRuns.Run retrainRun(@PathVariable UUID id) {
        return admin.retrainRun(id);
    }

    @Operation(summary = "The promotion history, newest first: which version, replacing which, why, and by whom")
    @ProblemResponse(status = 422, when = "page is negative, or size is not between 1 and 200")
    @GetMapping("/models/promotions")
    Page<PromotionView> promotions(@Parameter(description = "page number, from 0") @RequestParam(defaultValue = "0")
            int page, @Parameter(description = "entries per page, 1 to 200") @RequestParam(defaultValue = "20") int size) {
        Page.check(page, size);
        return new Page<>(registry.promotions(Page.offset(page, size), size).stream().map(PromotionView::of).toList(),
                page, size, registry.promotionCount());
    }

    @Operation(summary = "One version, with its full provenance")
    @ProblemResponse(status = 404, when = "no version has that label")
    @GetMapping("/models/{version}")
    ModelView one(@Parameter(example = "v1") @PathVariable String version) {
        return registry.find(version).map(found -> ModelView.full(found, registry.lastPromotionOf(version).orElse(null)))
                .orElseThrow(() -> new UnknownModelVersionException(version));
    }

    @Operation(summary = "Make a version the champion",
            description = "Every instance serves it within seconds. Promoting an older version is a rollback.",
            security = @SecurityRequirement(name = "admin"))
    @ProblemResponse(status = 404, when = "no version has that label")
    @ProblemResponse(status = 413, when = "the body is larger than scorepipe.predict.max-body-size")
    @PostMapping("/models/{version}/promote")
    ModelView promote(@Parameter(example = "v1") @PathVariable String version,
            @RequestBody(required = false) @Nullable PromoteRequest request) {
        String reason = request == null || request.reason() == null || request.reason().isBlank()
                ? "promoted through the api" : request.reason().strip();
        return ModelView.full(admin.promote(version, reason), registry.lastPromotionOf(version).orElse(null));
    }

    /**
     * Optional body of a promotion.
     *
     * @param reason why, for the promotion history
     */
    record PromoteRequest(@JsonProperty("reason") @Nullable String reason) {
    }

    /**
     * One promotion.
     *
     * @param version the version that became champion
     * @param previousVersion the one it replaced
     * @param reason why
     * @param promotedBy api, retrain or bootstrap
     * @param promotedAt when
     */
    record PromotionView(@JsonProperty("version") String version,
            @JsonProperty("previous_version") @Nullable String previousVersion, @JsonProperty("reason") String reason,
            @JsonProperty("promoted_by") String promotedBy, @JsonProperty("promoted_at") java.time.Instant promotedAt) {

        static PromotionView of(Promotion promotion) {
            return new PromotionView(promotion.version(), promotion.previousVersion(), promotion.reason(),
                    promotion.promotedBy(), promotion.promotedAt());
        }
    }
}
