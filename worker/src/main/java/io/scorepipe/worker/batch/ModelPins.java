package io.scorepipe.worker.batch;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.scorepipe.registry.ModelRegistry;
import io.scorepipe.registry.UnknownModelVersionException;
import io.scorepipe.scoring.Scorer;

/**
 * The model versions jobs are pinned to, decoded once per version: a job scores its whole file
 * with the version that served when it started, even after a promotion, and a restarted job
 * finds the same version again. Thread-safe.
 */
class ModelPins {

    private final ModelRegistry registry;
    private final Map<String, Scorer> scorers = new ConcurrentHashMap<>();

    ModelPins(ModelRegistry registry) {
        this.registry = registry;
    }

    Scorer scorer(String label) {
        return scorers.computeIfAbsent(label, version -> registry.load(version)
                .orElseThrow(() -> new UnknownModelVersionException(version)).scorer());
    }
}
