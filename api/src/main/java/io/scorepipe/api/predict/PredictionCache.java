package io.scorepipe.api.predict;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.scorepipe.system.Sha256;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Predictions cached in Redis. A key covers the model, its version and the canonical feature
 * values, so a promoted version never answers from an older one's entries, nor one model from
 * another's. Redis is an optimisation:
 * every failure is a miss, and after one the {@link Breaker} keeps requests off Redis for a
 * while, so a dead Redis costs at most one short timeout per period. Thread-safe.
 */
class PredictionCache {

    private static final Logger log = LoggerFactory.getLogger(PredictionCache.class);
    private static final HexFormat HEX = HexFormat.of();

    private final UnifiedJedis redis;
    private final String keyPrefix;
    private final long ttlSeconds;
    private final Breaker breaker;
    private final Counter hits;
    private final Counter misses;
    private final Counter errors;
    private final Counter skipped;

    PredictionCache(UnifiedJedis redis, RedisProperties properties, MeterRegistry meters) {
        this.redis = redis;
        this.keyPrefix = properties.keyPrefix() + ":prediction:";
        this.ttlSeconds = properties.ttl().toSeconds();
        this.breaker = new Breaker(properties.retryAfter());
        this.hits = meters.counter("scorepipe.cache.requests", "result", "hit");
        this.misses = meters.counter("scorepipe.cache.requests", "result", "miss");
        this.errors = meters.counter("scorepipe.cache.requests", "result", "error");
        this.skipped = meters.counter("scorepipe.cache.requests", "result", "skipped");
        meters.gauge("scorepipe.cache.hit.ratio", this, PredictionCache::hitRatio);
    }

    /** Cached predictions for {@code rows} (null where there is none), in one round trip. */
    @Nullable Double[] getAll(String model, String modelVersion, List<double[]> rows) {
        Double[] found = new Double[rows.size()];
        if (rows.isEmpty()) {
            return found;
        }
        if (!breaker.allows()) {
            skipped.increment(rows.size());
            return found;
        }
        String[] keys = rows.stream().map(row -> key(model, modelVersion, row)).toArray(String[]::new);
        try {
            List<String> values = keys.length == 1 ? Arrays.asList(redis.get(keys[0])) : redis.mget(keys);
            breaker.success();
            for (int i = 0; i < found.length; i++) {
                String value = values.get(i);
                // only finite predictions are answered; anything else (cached by an older version) is a miss
                Double parsed = value == null ? null : Double.valueOf(value);
                found[i] = parsed != null && Double.isFinite(parsed) ? parsed : null;
            }
            int hitCount = (int) Arrays.stream(found).filter(v -> v != null).count();
            hits.increment(hitCount);
            misses.increment(found.length - hitCount);
        }
        catch (JedisException | NumberFormatException ex) {
            failed("read", ex);
            errors.increment(rows.size());
        }
        return found;
    }

    /** Stores freshly scored predictions, in one round trip; failures are logged and forgotten. */
    void putAll(String model, String modelVersion, List<double[]> rows, List<Double> predictions) {
        if (rows.isEmpty() || !breaker.allows()) {
            return;
        }
        try {
            if (rows.size() == 1) {
                redis.setex(key(model, modelVersion, rows.getFirst()), ttlSeconds, Double.toString(predictions.getFirst()));
            }
            else {
                try (AbstractPipeline pipeline = redis.pipelined()) {
                    for (int i = 0; i < rows.size(); i++) {
                        pipeline.setex(key(model, modelVersion, rows.get(i)), ttlSeconds, Double.toString(predictions.get(i)));
                    }
                    pipeline.sync();
                }
            }
            breaker.success();
        }
        catch (JedisException ex) {
            failed("write", ex);
        }
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
            bytes.putLong(Double.doubleToLongBits(value == 0.0 ? 0.0 : value));
        }
        return HEX.formatHex(Sha256.of(bytes.array()), 0, 16);
    }
}
