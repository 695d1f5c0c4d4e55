package io.scorepipe.registry;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.scorepipe.scoring.ModelException;
import io.scorepipe.scoring.Scorer;

/**
 * The model this process serves: the registry's champion, decoded once and swapped atomically.
 * A reader gets either the old or the new model whole, never a mix, and keeps the one it got
 * for as long as it holds the {@link Loaded} reference (for example for a whole request or CSV file).
 *
 * <p>Thread-safe: reads are lock-free; {@link #refresh()} calls are serialised.
 */
public class ServingModel {

    private static final Logger log = LoggerFactory.getLogger(ServingModel.class);

    private final ModelRegistry registry;
    private final AtomicReference<@Nullable Loaded> current = new AtomicReference<>();

    public ServingModel(ModelRegistry registry) {
        this.registry = registry;
    }

    /**
     * A decoded model and the version it came from.
     *
     * @param version the registry's record of it
     * @param scorer scores rows with it
     */
    public record Loaded(ModelVersion version, Scorer scorer) {

        public String label() {
            return version.label();
        }
    }

    public Optional<Loaded> current() {
        return Optional.ofNullable(current.get());
    }

    /**
     * The serving model.
     *
     * @throws ModelException when no model has been loaded yet
     */
    public Loaded require() {
        Loaded loaded = current.get();
        if (loaded == null) {
            throw new ModelException("no model is serving yet: the registry has no champion");
        }
        return loaded;
    }

    /**
     * Loads the registry's champion when it differs from the one serving. A champion that cannot
     * be decoded is refused and the current model keeps serving.
     *
     * @return true when the serving model changed
     * @throws ModelException when the champion's bytes cannot serve
     */
    public synchronized boolean refresh() {
        Optional<String> champion = registry.championLabel();
        Loaded serving = current.get();
        if (champion.isEmpty() || (serving != null && serving.label().equals(champion.get()))) {
            return false;
        }
        StoredModel stored = registry.load(champion.get()).orElse(null);
        if (stored == null) {
            return false; // promoted away between the two queries; the next refresh sees the new one
        }
        Loaded loaded = new Loaded(stored.version(), stored.scorer());
        current.set(loaded);
        log.info("Serving model {} (was {})", loaded.label(), serving == null ? "none" : serving.label());
        return true;
    }
}
