package io.scorepipe.api.predict;

import java.net.URI;
import java.time.Duration;

import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;

/**
 * The prediction cache ({@code scorepipe.redis.*}).
 *
 * @param url Redis, from {@code REDIS_URL}
 * @param keyPrefix first part of every key, so several deployments or a second tier can share a server
 * @param ttl how long a cached prediction lives
 * @param timeout connect and read timeout: a slow Redis must cost little
 * @param retryAfter how long Redis is skipped after a failure before it is tried again
 * @param poolSize connections in the pool
 * @param localEntries predictions kept in this process in front of Redis (about 200 bytes each
 *        for ten features); a repeated row found here costs no round trip
 * @param writeQueue freshly scored predictions that may wait to be written to Redis behind the
 *        answers; past it, writes are dropped (and counted)
 */
@Validated
@ConfigurationProperties("scorepipe.redis")
public record RedisProperties(@DefaultValue("redis://localhost:6379") URI url,
        @DefaultValue("scorepipe") @NotBlank String keyPrefix,
        @DefaultValue("1h") Duration ttl,
        @DefaultValue("100ms") @DurationMin(millis = 1) Duration timeout,
        @DefaultValue("2s") @DurationMin(millis = 1) Duration retryAfter,
        @DefaultValue("64") @Positive int poolSize,
        @DefaultValue("100000") @PositiveOrZero int localEntries,
        @DefaultValue("10000") @Positive int writeQueue) {

    public RedisProperties {
        if (ttl.toSeconds() < 1) {
            throw new IllegalArgumentException("scorepipe.redis.ttl must be at least 1s, got " + ttl);
        }
    }
}
