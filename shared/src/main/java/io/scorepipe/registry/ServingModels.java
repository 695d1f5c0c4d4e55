package io.scorepipe.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.scorepipe.scoring.ModelException;
import io.scorepipe.scoring.Scorer;

/**
 * The models this process serves: every model's champion, and any version a job is pinned to,
 * decoded on first use and shared by every caller. A caller takes a {@link Lease} and keeps the
 * version it got for as long as it holds it (a request, a CSV file), even when a promotion lands
 * meanwhile; a promotion only changes what the next lease gets.
 *
 * <p>Decoded models are bounded: beyond {@code capacity}, the least recently used one is let go,
 * and its native resources (an ONNX Runtime session) are released once its last lease is closed.
 * A version that was let go is decoded again from the registry when it is asked for.
 *
 * <p>Which version is each model's champion is read from the registry by {@link #refresh()}: on
 * every announced promotion, on a schedule as a safety net, and when a caller names a model this
 * process has not heard of (at most twice a second, so that unknown names cannot flood the
 * database). Thread-safe; taking a lease of a decoded model is lock-free.
 */
public class ServingModels implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ServingModels.class);
    private static final long UNKNOWN_NAME_REFRESH_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final ModelRegistry registry;
    private final int capacity;
    private final ConcurrentHashMap<Key, Decoded> decoded = new ConcurrentHashMap<>();
    private final Object loading = new Object();
    private final List<Consumer<Map<String, String>>> listeners = new CopyOnWriteArrayList<>();
    /** Every model, with its champion's label (empty while it has none). */
    private volatile Map<String, Optional<String>> champions = Map.of();
    private volatile long refreshedAt = System.nanoTime() - UNKNOWN_NAME_REFRESH_NANOS;

    /** @param capacity how many decoded versions to keep at most */
    public ServingModels(ModelRegistry registry, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        this.registry = registry;
        this.capacity = capacity;
    }

    private record Key(String model, String label) {
    }

    /**
     * A decoded version in use. Close it when done with its scorer (try-with-resources); a lease is
     * for one thread, and closing it twice is harmless.
     */
    public static final class Lease implements AutoCloseable {

        private final Decoded decoded;
        private boolean closed;

        private Lease(Decoded decoded) {
            this.decoded = decoded;
        }

        public String model() {
            return decoded.version.model();
        }

        public String label() {
            return decoded.version.label();
        }

        public ModelVersion version() {
            return decoded.version;
        }

        public Scorer scorer() {
            return decoded.scorer;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                decoded.release();
            }
        }
    }

    /**
     * The champion of {@code model}.
     *
     * @throws UnknownModelException when there is no such model
     * @throws ModelException when the model has no champion yet, or its champion cannot be decoded
     */
    public Lease champion(String model) {
        Optional<String> label = champions.get(model);
        if (label == null || label.isEmpty()) {
            refreshAtMostTwiceASecond();
            label = champions.get(model);
        }
        if (label == null) {
            throw new UnknownModelException(model);
        }
        if (label.isEmpty()) {
            throw new ModelException("model '" + model + "' has no champion yet: no version of it serves (its first "
                    + "training may still run; see GET /models/" + model + ")");
        }
        return lease(new Key(model, label.get()));
    }

    /**
     * A given version of {@code model}, champion or not: what a job that pinned it uses.
     *
     * @throws UnknownModelVersionException when the registry has no such version
     */
    public Lease version(String model, String label) {
        return lease(new Key(model, label));
    }

    /** The label of {@code model}'s champion, as this process last read it. */
    public Optional<String> championLabel(String model) {
        Optional<String> label = champions.get(model);
        return label == null ? Optional.empty() : label;
    }

    /** Whether the registry had a model of that name when this process last read it. */
    public boolean knows(String model) {
        return champions.containsKey(model);
    }

    /** Every model that has a champion, with its label, as this process last read them. */
    public Map<String, String> champions() {
        Map<String, String> labels = new HashMap<>();
        champions.forEach((model, label) -> label.ifPresent(champion -> labels.put(model, champion)));
        return labels;
    }

    /** Tells {@code listener} the champions after every refresh that changed them. */
    public void onChange(Consumer<Map<String, String>> listener) {
        listeners.add(listener);
    }

    /**
     * Reads every model's champion from the registry. A model whose champion changed while this
     * process had its previous champion decoded gets the new one decoded at once, so that its next
     * request does not wait for that; a champion that cannot be decoded is logged and left to its
     * first caller, who gets the reason.
     *
     * @return true when some model's champion changed
     */
    public synchronized boolean refresh() {
        Map<String, Optional<String>> next = Map.copyOf(registry.championLabels());
        refreshedAt = System.nanoTime();
        Map<String, Optional<String>> before = champions;
        List<Key> warm = new ArrayList<>();
        next.forEach((model, label) -> {
            Optional<String> was = before.get(model);
            if (label.isPresent() && !label.equals(was)) {
                log.info("Serving model {} {} (was {})", model, label.get(), was == null || was.isEmpty() ? "none"
                        : was.get());
                if (was != null && was.isPresent() && decoded.containsKey(new Key(model, was.get()))) {
                    warm.add(new Key(model, label.get()));
                }
            }
        });
        boolean changed = !next.equals(before);
        champions = next;
        for (Key key : warm) {
            warm(key);
        }
        if (changed) {
            Map<String, String> labels = champions();
            listeners.forEach(listener -> listener.accept(labels));
        }
        return changed;
    }

    /** Decodes {@code model}'s champion now, if it has one, so that its first request does not wait. */
    public void warm(String model) {
        championLabel(model).ifPresent(label -> warm(new Key(model, label)));
    }

    /** How many versions are decoded now. */
    public int decodedCount() {
        return decoded.size();
    }

    /** Releases every decoded version (each once its last lease is closed). */
    @Override
    public void close() {
        synchronized (loading) {
            decoded.values().forEach(Decoded::evict);
            decoded.clear();
        }
    }

    private void warm(Key key) {
        try (Lease lease = lease(key)) {
            log.debug("Decoded {} {}", lease.model(), lease.label());
        }
        catch (RuntimeException ex) {
            log.warn("Could not decode {} {} ahead of its first request: {}", key.model(), key.label(), ex.getMessage());
        }
    }

    private void refreshAtMostTwiceASecond() {
        if (System.nanoTime() - refreshedAt >= UNKNOWN_NAME_REFRESH_NANOS) {
            refresh();
        }
    }

    private Lease lease(Key key) {
        while (true) {
            Decoded entry = decoded.get(key);
            if (entry == null) {
                entry = load(key);
            }
            if (entry.acquire()) {
                entry.lastUsed = System.nanoTime();
                return new Lease(entry);
            }
            // let go and released between the lookup and the lease: decode it again
        }
    }

    private Decoded load(Key key) {
        synchronized (loading) {
            Decoded present = decoded.get(key);
            if (present != null) {
                return present;
            }
            StoredModel stored = registry.load(key.model(), key.label())
                    .orElseThrow(() -> new UnknownModelVersionException(key.model(), key.label()));
            Decoded loaded = new Decoded(stored.version(), stored.scorer());
            loaded.lastUsed = System.nanoTime();
            decoded.put(key, loaded);
            while (decoded.size() > capacity) {
                letGoLeastRecentlyUsed(key);
            }
            return loaded;
        }
    }

    private void letGoLeastRecentlyUsed(Key keep) {
        Map.Entry<Key, Decoded> oldest = null;
        for (Map.Entry<Key, Decoded> entry : decoded.entrySet()) {
            if (!entry.getKey().equals(keep) && (oldest == null || entry.getValue().lastUsed < oldest.getValue().lastUsed)) {
                oldest = entry;
            }
        }
        if (oldest != null && decoded.remove(oldest.getKey(), oldest.getValue())) {
            log.info("Let go of decoded model {} {} (least recently used of more than {})", oldest.getKey().model(),
                    oldest.getKey().label(), capacity);
            oldest.getValue().evict();
        }
    }

    /** A decoded version and how many leases hold it; -1 once its scorer is closed. */
    private static final class Decoded {

        private final ModelVersion version;
        private final Scorer scorer;
        private final AtomicInteger users = new AtomicInteger();
        private volatile boolean evicted;
        private volatile long lastUsed;

        private Decoded(ModelVersion version, Scorer scorer) {
            this.version = version;
            this.scorer = scorer;
        }

        private boolean acquire() {
            while (true) {
                int now = users.get();
                if (now < 0) {
                    return false;
                }
                if (users.compareAndSet(now, now + 1)) {
                    return true;
                }
            }
        }

        private void release() {
            if (users.decrementAndGet() == 0 && evicted) {
                closeIfUnused();
            }
        }

        private void evict() {
            evicted = true;
            closeIfUnused();
        }

        private void closeIfUnused() {
            if (users.compareAndSet(0, -1)) {
                scorer.close();
            }
        }
    }
}
