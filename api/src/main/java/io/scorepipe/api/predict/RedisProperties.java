package io.scorepipe.api.predict;

import java.net.URI;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The prediction cache ({@code scorepipe.redis.*}).
 *
 * @param url Redis, from {@code REDIS_URL}
 * @param keyPrefix first part of every key, so several deployments or a second tier can share a server
 * @param ttl how long a cached prediction lives
 * @param timeout connect and read timeout: a slow Redis must cost little
 * @param retryAfter how long Redis is skipped after a failure before it is tried again
 * @param poolSize connections in the pool
 */
@ConfigurationProperties("scorepipe.redis")
public record RedisProperties(@DefaultValue("redis://localhost:6379") URI url,
        @DefaultValue("scorepipe") String keyPrefix,
        @DefaultValue("1h") Duration ttl,
        @DefaultValue("100ms") Duration timeout,
        @DefaultValue("2s") Duration retryAfter,
        @DefaultValue("64") int poolSize) {

    public RedisProperties {
        if (ttl.toSeconds() < 1) {
            throw new IllegalArgumentException("scorepipe.redis.ttl must be at least 1s, got " + ttl);
        }
    }
}
