package io.scorepipe.api.models;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.scorepipe.registry.ModelRegistry;
import io.scorepipe.registry.RetrainRuns;
import io.scorepipe.registry.UnknownModelVersionException;
import io.scorepipe.scoring.ModelException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

@RestController
@Tag(name = "models", description = "The model registry: versions, promotion and rollback")
class ModelsController {

    private final ModelRegistry registry;
    private final ModelAdminService admin;

    ModelsController(ModelRegistry registry, ModelAdminService admin) {
        this.registry = registry;
        this.admin = admin;
    }

    @Operation(summary = "Every model version, newest first, with status, metrics and times")
    @GetMapping("/models")
    List<ModelView> list() {
        return registry.list().stream().map(ModelView::summary).toList();
    }

    @Operation(summary = "The serving version (champion)")
    @GetMapping("/models/current")
    ModelView current() {
        return registry.champion().map(ModelView::full)
                .orElseThrow(() -> new ModelException("no model is serving yet: the registry has no champion"));
    }

    @Operation(summary = "Retrain now: answers 202 with the run to poll; a worker trains, judges and maybe promotes",
            security = @SecurityRequirement(name = "admin"))
    @PostMapping("/models/retrain")
    ResponseEntity<RetrainRuns.Run> retrain() {
        RetrainRuns.Run run = admin.requestRetrain();
        return ResponseEntity.accepted().location(URI.create("/models/retrain/" + run.id())).body(run);
    }

    @Operation(summary = "A retrain run: requested, running, completed (version, promoted, reason), skipped or failed")
    @GetMapping("/models/retrain/{id}")
    RetrainRuns.Run retrainRun(@PathVariable UUID id) {
        return admin.retrainRun(id);
    }

    @Operation(summary = "One version, with its full provenance")
    @GetMapping("/models/{version}")
    ModelView one(@PathVariable String version) {
        return registry.find(version).map(ModelView::full).orElseThrow(() -> new UnknownModelVersionException(version));
    }

    @Operation(summary = "Make a version the champion; promoting an older version is a rollback",
            security = @SecurityRequirement(name = "admin"))
    @PostMapping("/models/{version}/promote")
    ModelView promote(@PathVariable String version, @RequestBody(required = false) @Nullable PromoteRequest request) {
        String reason = request == null || request.reason() == null || request.reason().isBlank()
                ? "promoted through the api" : request.reason().strip();
        return ModelView.full(admin.promote(version, reason));
    }

    /**
     * Optional body of a promotion.
     *
     * @param reason why, for the promotion history
     */
    record PromoteRequest(@JsonProperty("reason") @Nullable String reason) {
    }
}
