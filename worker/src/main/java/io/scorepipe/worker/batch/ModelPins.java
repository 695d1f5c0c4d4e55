package io.scorepipe.worker.batch;

import java.util.LinkedHashMap;
import java.util.Map;

import io.scorepipe.registry.ModelRegistry;
import io.scorepipe.registry.UnknownModelVersionException;
import io.scorepipe.scoring.Scorer;

/**
 * The model versions jobs are pinned to, decoded once per version: a job scores its whole file
 * with the version that served when it started, even after a promotion, and a restarted job
 * finds the same version again. Only the most recently used versions are kept decoded (a worker
 * that lives through a promotion every minute must not keep every model it ever saw); one that
 * was let go is loaded again from the registry when a job asks for it. Thread-safe.
 */
class ModelPins {

    /** Far more versions than files a worker scores at once. */
    static final int KEPT = 16;

    private final ModelRegistry registry;
    private final Map<String, Scorer> scorers = new LinkedHashMap<>(KEPT, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Scorer> eldest) {
            return size() > KEPT;
        }
    };

    ModelPins(ModelRegistry registry) {
        this.registry = registry;
    }

    Scorer scorer(String label) {
        synchronized (scorers) {
            Scorer kept = scorers.get(label);
            if (kept != null) {
                return kept;
            }
        }
        // decoded outside the lock: two jobs asking for a new version at once decode it twice, harmlessly
        Scorer loaded = registry.load(label).orElseThrow(() -> new UnknownModelVersionException(label)).scorer();
        synchronized (scorers) {
            return scorers.computeIfAbsent(label, version -> loaded);
        }
    }

    int kept() {
        synchronized (scorers) {
            return scorers.size();
        }
    }
}
