package io.scorepipe.api.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.scorepipe.testing.TestServices;
import redis.clients.jedis.JedisPooled;

/** The two cache levels against a real Redis, as two api instances sharing it see them. */
class PredictionCacheIT {

    private final String prefix = TestServices.uniqueName("cache-it");

    private PredictionCache instance(SimpleMeterRegistry meters, URI redis, int localEntries) {
        RedisProperties properties = new RedisProperties(redis, prefix, Duration.ofMinutes(5), Duration.ofMillis(200),
                Duration.ofSeconds(1), 4, localEntries, 100);
        return new PredictionCache(new JedisPooled(redis), properties, meters);
    }

    @Test
    void whatOneInstanceScoredIsAHitForAnotherThroughRedisThenFromItsOwnMemory() {
        SimpleMeterRegistry metersA = new SimpleMeterRegistry();
        SimpleMeterRegistry metersB = new SimpleMeterRegistry();
        double[] row = {0.5, -0.0, 1234.5};
        try (PredictionCache a = instance(metersA, TestServices.redisUri(), 1000);
                PredictionCache b = instance(metersB, TestServices.redisUri(), 1000)) {
            // given instance A scored a row
            assertThat(a.getAll("m", "v1", List.of(row))[0]).isNull();
            a.putAll("m", "v1", List.of(row), List.of(42.5));

            // then A answers it from memory at once, and B finds it in Redis once written behind the answer
            assertThat(a.getAll("m", "v1", List.of(row.clone()))[0]).isEqualTo(42.5);
            await().atMost(Duration.ofSeconds(5)).until(() -> b.getAll("m", "v1", List.of(row))[0] != null);
            // -0.0 and 0.0 are the same input, at both levels
            assertThat(b.getAll("m", "v1", List.of(new double[] {0.5, 0.0, 1234.5}))[0]).isEqualTo(42.5);
            // another version or model is another entry
            assertThat(b.getAll("m", "v2", List.of(row))[0]).isNull();
            assertThat(b.getAll("other", "v1", List.of(row))[0]).isNull();
            assertThat(metersA.counter("scorepipe.cache.writes", "result", "written").count()).isEqualTo(1);
            assertThat(metersA.counter("scorepipe.cache.requests", "result", "miss").count()).isEqualTo(1);
            assertThat(metersA.counter("scorepipe.cache.requests", "result", "hit").count()).isEqualTo(1);
        }
    }

    @Test
    void withRedisGoneARowStaysAnsweredFromMemoryAndWritesAreDroppedNotQueuedForever() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        URI nowhere = URI.create("redis://127.0.0.1:" + TestServices.freePort());
        double[] row = {1, 2, 3};
        try (PredictionCache cache = instance(meters, nowhere, 1000)) {
            assertThat(cache.getAll("m", "v1", List.of(row))[0]).isNull();
            cache.putAll("m", "v1", List.of(row), List.of(7.0));

            assertThat(cache.getAll("m", "v1", List.of(row))[0]).isEqualTo(7.0);
            // the row Redis could not be asked about is an error, not a miss; the memory's answer a hit
            assertThat(meters.counter("scorepipe.cache.requests", "result", "hit").count()).isEqualTo(1);
            assertThat(meters.counter("scorepipe.cache.requests", "result", "miss").count()).isZero();
            assertThat(meters.counter("scorepipe.cache.requests", "result", "error").count()
                    + meters.counter("scorepipe.cache.requests", "result", "skipped").count()).isEqualTo(1);
            await().atMost(Duration.ofSeconds(5)).until(() -> meters.counter("scorepipe.cache.writes", "result",
                    "dropped").count() == 1);
            assertThat(cache.healthy()).isFalse();
        }
    }

    @Test
    void withoutLocalEntriesEveryLookupGoesToRedis() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        double[] row = {9, 8, 7};
        try (PredictionCache cache = instance(meters, TestServices.redisUri(), 0);
                JedisPooled direct = new JedisPooled(TestServices.redisUri())) {
            cache.putAll("m", "v1", List.of(row), List.of(3.0));
            String key = cache.key("m", "v1", row);
            await().atMost(Duration.ofSeconds(5)).until(() -> direct.get(key) != null);

            direct.del(key);

            assertThat(cache.getAll("m", "v1", List.of(row))[0]).isNull();
        }
    }
}
