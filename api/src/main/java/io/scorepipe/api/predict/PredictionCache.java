package io.scorepipe.api.predict;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.scorepipe.system.Sha256;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Predictions cached at two levels: a bounded map in this process in front of Redis, which
 * other instances and restarts share. A key covers the model, its version and the exact
 * feature values, so an entry is never stale: a promoted version never answers from an older
 * one's entries, nor one model from another's. A repeated row is answered from this process
 * without a network round trip; a freshly scored one is written to Redis behind the answer
 * ({@link RedisWriteBehind}), never in its way.
 *
 * <p>Redis is an optimisation: every failure is a miss, and after one the {@link Breaker} keeps
 * requests off Redis for a while, so a dead Redis costs at most one short timeout per period;
 * the local level keeps answering what this process scored. Thread-safe.
 */
class PredictionCache implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PredictionCache.class);
    private static final HexFormat HEX = HexFormat.of();

    private final UnifiedJedis redis;
    private final String keyPrefix;
    private final Breaker breaker;
    private final Cache<LocalKey, Double> local;
    private final RedisWriteBehind writes;
    private final Counter hits;
    private final Counter misses;
    private final Counter errors;
    private final Counter skipped;

    PredictionCache(UnifiedJedis redis, RedisProperties properties, MeterRegistry meters) {
        this.redis = redis;
        this.keyPrefix = properties.keyPrefix() + ":prediction:";
        this.breaker = new Breaker(properties.retryAfter());
        this.local = Caffeine.newBuilder().maximumSize(properties.localEntries())
                .expireAfterWrite(properties.ttl().toNanos(), TimeUnit.NANOSECONDS)
                // upkeep (eviction) on the calling thread: cheaper than a hand-off per write
                .executor(Runnable::run).recordStats().build();
        CaffeineCacheMetrics.monitor(meters, local, "predictions.local");
        this.writes = new RedisWriteBehind(redis, this::key, properties.ttl().toSeconds(), properties.writeQueue(), breaker,
                this::failed, meters);
        this.hits = meters.counter("scorepipe.cache.requests", "result", "hit");
        this.misses = meters.counter("scorepipe.cache.requests", "result", "miss");
        this.errors = meters.counter("scorepipe.cache.requests", "result", "error");
        this.skipped = meters.counter("scorepipe.cache.requests", "result", "skipped");
        meters.gauge("scorepipe.cache.hit.ratio", this, PredictionCache::hitRatio);
    }

    /**
     * Cached predictions for {@code rows} (null where there is none): from this process where it
     * has them, the rest from Redis in one round trip.
     */
    @Nullable Double[] getAll(String model, String modelVersion, List<double[]> rows) {
        Double[] found = new Double[rows.size()];
        int missing = 0;
        for (int i = 0; i < found.length; i++) {
            found[i] = local.getIfPresent(new LocalKey(model, modelVersion, rows.get(i)));
            missing += found[i] == null ? 1 : 0;
        }
        boolean redisAnswered = missing == 0 || readRedis(model, modelVersion, rows, found, missing);
        int hitCount = 0;
        for (Double value : found) {
            hitCount += value == null ? 0 : 1;
        }
        hits.increment(hitCount);
        // rows Redis was not asked about, or failed on, are counted as skipped or errors instead
        misses.increment(redisAnswered ? found.length - hitCount : 0);
        return found;
    }

    /**
     * Fills {@code found}'s gaps from Redis, and this process's cache from what Redis had.
     *
     * @return whether Redis answered (false: skipped behind the open breaker, or failed)
     */
    private boolean readRedis(String model, String modelVersion, List<double[]> rows, @Nullable Double[] found, int missing) {
        if (!breaker.allows()) {
            skipped.increment(missing);
            return false;
        }
        int[] at = new int[missing];
        String[] keys = new String[missing];
        for (int i = 0, k = 0; i < found.length; i++) {
            if (found[i] == null) {
                at[k] = i;
                keys[k++] = key(model, modelVersion, rows.get(i));
            }
        }
        try {
            List<String> values = keys.length == 1 ? Arrays.asList(redis.get(keys[0])) : redis.mget(keys);
            breaker.success();
            for (int k = 0; k < keys.length; k++) {
                String value = values.get(k);
                // only finite predictions are answered; anything else (cached by an older version) is a miss
                Double parsed = value == null ? null : Double.valueOf(value);
                if (parsed != null && Double.isFinite(parsed)) {
                    found[at[k]] = parsed;
                    local.put(new LocalKey(model, modelVersion, rows.get(at[k])), parsed);
                }
            }
            return true;
        }
        catch (JedisException | NumberFormatException ex) {
            failed("read", ex);
            errors.increment(missing);
            return false;
        }
    }

    /**
     * Keeps freshly scored predictions: in this process at once, in Redis behind the answer
     * (a write that cannot keep up or fails is dropped and counted). The Redis key, a SHA-256 of
     * the values, is made on the writer's thread, off the request's path.
     */
    void putAll(String model, String modelVersion, List<double[]> rows, List<Double> predictions) {
        if (rows.isEmpty()) {
            return;
        }
        List<RedisWriteBehind.Entry> entries = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            local.put(new LocalKey(model, modelVersion, rows.get(i)), predictions.get(i));
            entries.add(new RedisWriteBehind.Entry(model, modelVersion, rows.get(i), predictions.get(i)));
        }
        writes.offer(entries);
    }

    /** Whether Redis answered the last time it was asked. */
    boolean healthy() {
        return !breaker.isOpen();
    }

    /** Asks Redis directly, for the health check; also closes the breaker when Redis is back. */
    boolean ping() {
        try {
            redis.ping();
            breaker.success();
            return true;
        }
        catch (JedisException ex) {
            breaker.failure();
            return false;
        }
    }

    /** Writes what is still queued for Redis, briefly, and stops the writer. */
    @Override
    public void close() {
        writes.close();
    }

    String key(String model, String modelVersion, double[] features) {
        return keyPrefix + model + ":" + modelVersion + ":" + fingerprint(features);
    }

    private void failed(String what, RuntimeException ex) {
        boolean wasHealthy = !breaker.isOpen();
        breaker.failure();
        if (wasHealthy) {
            log.warn("Redis cache {} failed, serving uncached for now: {}", what, ex.getMessage());
        }
    }

    private double hitRatio() {
        double all = hits.count() + misses.count() + errors.count() + skipped.count();
        return all == 0 ? 0 : hits.count() / all;
    }

    /** 128 bits of SHA-256 over the values' bits; -0.0 and 0.0 are the same input. */
    static String fingerprint(double[] features) {
        ByteBuffer bytes = ByteBuffer.allocate(features.length * Double.BYTES);
        for (double value : features) {
            bytes.putLong(bits(value));
        }
        return HEX.formatHex(Sha256.of(bytes.array()), 0, 16);
    }

    private static long bits(double value) {
        return Double.doubleToLongBits(value == 0.0 ? 0.0 : value);
    }

    /**
     * This process's key: the exact values, compared bit by bit as the Redis fingerprint is
     * (-0.0 and 0.0 the same). The array is a validated request row, which nothing changes later.
     */
    private record LocalKey(String model, String version, double[] values) {

        @Override
        public boolean equals(Object other) {
            if (!(other instanceof LocalKey that) || that.values.length != values.length || !that.model.equals(model)
                    || !that.version.equals(version)) {
                return false;
            }
            for (int i = 0; i < values.length; i++) {
                if (bits(values[i]) != bits(that.values[i])) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public int hashCode() {
            int hash = 31 * model.hashCode() + version.hashCode();
            for (double value : values) {
                hash = 31 * hash + Long.hashCode(bits(value));
            }
            return hash;
        }

        @Override
        public String toString() {
            return model + ":" + version + ":" + Arrays.toString(values);
        }
    }
}
