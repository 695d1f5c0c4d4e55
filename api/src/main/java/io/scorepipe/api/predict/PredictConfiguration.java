package io.scorepipe.api.predict;

import java.time.Duration;

import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;

import io.micrometer.core.instrument.MeterRegistry;
import io.scorepipe.audit.AuditRecord;
import io.scorepipe.audit.AuditWriter;
import io.scorepipe.config.TopicProperties;
import io.scorepipe.registry.ServingModels;
import redis.clients.jedis.Connection;
import redis.clients.jedis.JedisPooled;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({RedisProperties.class, AuditProperties.class, PredictProperties.class})
class PredictConfiguration {

    private static final Duration IDLE_CHECKS = Duration.ofSeconds(5);

    @Bean(destroyMethod = "close")
    JedisPooled predictionRedis(RedisProperties properties) {
        GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
        pool.setMaxTotal(properties.poolSize());
        pool.setMaxIdle(properties.poolSize());
        // never queue behind an exhausted pool for longer than Redis itself may take
        pool.setMaxWait(properties.timeout());
        pool.setJmxEnabled(false);
        // idle connections are checked every few seconds: with repeated rows answered from memory, a
        // connection may sit unused across a Redis restart, and must not fail the first call after it
        pool.setTestWhileIdle(true);
        pool.setTimeBetweenEvictionRuns(IDLE_CHECKS);
        pool.setNumTestsPerEvictionRun(-1);
        int timeout = (int) properties.timeout().toMillis();
        return new JedisPooled(pool, properties.url(), timeout, timeout);
    }

    @Bean
    PredictionCache predictionCache(JedisPooled predictionRedis, RedisProperties properties, MeterRegistry meters) {
        return new PredictionCache(predictionRedis, properties, meters);
    }

    @Bean
    AuditWriter auditWriter(JdbcTemplate jdbc) {
        return new AuditWriter(jdbc);
    }

    @Bean
    AuditPublisher auditPublisher(KafkaTemplate<String, AuditRecord> kafka, TopicProperties topics, AuditWriter writer,
            AuditProperties properties, MeterRegistry meters) {
        return new AuditPublisher(kafka, topics, writer, properties, meters);
    }

    @Bean
    PredictionService predictionService(ServingModels serving, PredictionCache cache, AuditPublisher audit,
            MeterRegistry meters) {
        return new PredictionService(serving, cache, audit, meters);
    }

    /** The cache is optional: DOWN here says "degraded", and readiness does not include it. */
    @Bean
    HealthIndicator cacheHealthIndicator(PredictionCache cache) {
        return () -> cache.ping() ? Health.up().withDetail("redis", "reachable").build()
                : Health.down().withDetail("redis", "unreachable; serving uncached").build();
    }
}
