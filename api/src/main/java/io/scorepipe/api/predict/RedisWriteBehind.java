package io.scorepipe.api.predict;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Writes freshly scored predictions to Redis behind the answers, so that a miss never waits
 * for Redis: requests queue their entries, and one thread sends what gathers within a couple of
 * milliseconds as one pipelined round trip. The queue is bounded; when Redis cannot keep up, or its breaker is
 * open, entries are dropped and counted ({@code scorepipe.cache.writes{result=dropped}}): a
 * lost write only costs a later miss. Thread-safe.
 */
final class RedisWriteBehind implements AutoCloseable {

    /** At most this many entries in one pipelined round trip. */
    private static final int MAX_BATCH = 512;
    /** How long the first entry of a round trip waits for others. */
    private static final Duration GATHER = Duration.ofMillis(2);

    private final UnifiedJedis redis;
    private final KeyFunction keys;
    private final long ttlSeconds;
    private final Breaker breaker;
    private final BiConsumer<String, RuntimeException> onFailure;
    private final BlockingQueue<Entry> queue;
    private final Counter written;
    private final Counter dropped;
    private final Thread writer;
    private volatile boolean closing;

    /**
     * @param keys each entry's Redis key, made on the writer's thread rather than the request's
     * @param capacity entries that may wait for Redis before new ones are dropped
     * @param onFailure told of a failed write (it opens the breaker)
     */
    RedisWriteBehind(UnifiedJedis redis, KeyFunction keys, long ttlSeconds, int capacity, Breaker breaker,
            BiConsumer<String, RuntimeException> onFailure, MeterRegistry meters) {
        this.redis = redis;
        this.keys = keys;
        this.ttlSeconds = ttlSeconds;
        this.breaker = breaker;
        this.onFailure = onFailure;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.written = meters.counter("scorepipe.cache.writes", "result", "written");
        this.dropped = meters.counter("scorepipe.cache.writes", "result", "dropped");
        meters.gaugeCollectionSize("scorepipe.cache.writes.queued", List.of(), queue);
        this.writer = Thread.ofPlatform().name("prediction-cache-writer").daemon().start(this::run);
    }

    /** A freshly scored row and its prediction. */
    record Entry(String model, String modelVersion, double[] features, double prediction) {
    }

    /** The Redis key of a model version's row. */
    @FunctionalInterface
    interface KeyFunction {
        String key(String model, String modelVersion, double[] features);
    }

    /** Queues entries for Redis; never blocks. */
    void offer(List<Entry> entries) {
        for (Entry entry : entries) {
            if (closing || !queue.offer(entry)) {
                dropped.increment();
            }
        }
    }

    private void run() {
        List<Entry> batch = new ArrayList<>(MAX_BATCH);
        while (!closing || !queue.isEmpty()) {
            try {
                Entry first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                if (batch.size() < MAX_BATCH && !closing) {
                    // let a few more requests' entries gather: one round trip for many is far cheaper
                    Thread.sleep(GATHER);
                    queue.drainTo(batch, MAX_BATCH - batch.size());
                }
                write(batch);
            }
            catch (InterruptedException ex) {
                return;
            }
            finally {
                batch.clear();
            }
        }
    }

    private void write(List<Entry> batch) {
        if (!breaker.allows()) {
            dropped.increment(batch.size());
            return;
        }
        try {
            if (batch.size() == 1) {
                Entry entry = batch.getFirst();
                redis.setex(key(entry), ttlSeconds, Double.toString(entry.prediction()));
            }
            else {
                try (AbstractPipeline pipeline = redis.pipelined()) {
                    for (Entry entry : batch) {
                        pipeline.setex(key(entry), ttlSeconds, Double.toString(entry.prediction()));
                    }
                    pipeline.sync();
                }
            }
            breaker.success();
            written.increment(batch.size());
        }
        catch (JedisException ex) {
            dropped.increment(batch.size());
            onFailure.accept("write", ex);
        }
    }

    private String key(Entry entry) {
        return keys.key(entry.model(), entry.modelVersion(), entry.features());
    }

    /** Lets the writer send what is queued, for at most a second, then stops it. */
    @Override
    public void close() {
        closing = true;
        try {
            writer.join(1000);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        writer.interrupt();
    }
}
