package io.scorepipe.config;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * Declares scorepipe's topics, so that whichever application starts first creates the missing
 * ones (Spring's {@code KafkaAdmin} leaves existing topics alone). Topics whose order matters
 * to nobody get {@code scorepipe.topics.partitions}; the few low-volume ones get one partition
 * so their events stay in order.
 */
@AutoConfiguration(afterName = "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration")
@ConditionalOnClass(KafkaAdmin.class)
@EnableConfigurationProperties(TopicProperties.class)
public class KafkaTopicsAutoConfiguration {

    @Bean
    KafkaAdmin.NewTopics scorepipeTopics(TopicProperties topics) {
        return new KafkaAdmin.NewTopics(
                spread(topics.audit(), topics.partitions()),
                spread(topics.requests(), topics.partitions()),
                spread(topics.results(), topics.partitions()),
                spread(topics.deadLetter(), topics.partitions()),
                spread(topics.batches(), topics.partitions()),
                spread(topics.trainingExamples(), topics.partitions()),
                spread(topics.modelUpdates(), 1),
                spread(topics.retrainRequests(), 1));
    }

    private static NewTopic spread(String name, int partitions) {
        return TopicBuilder.name(name).partitions(partitions).replicas(1).build();
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    static class Health {

        /** Kafka reachable, for readiness; asks with a short timeout so probes stay quick. */
        @Bean
        KafkaHealthIndicator kafkaHealthIndicator(KafkaAdmin kafkaAdmin) {
            Map<String, Object> config = new HashMap<>(kafkaAdmin.getConfigurationProperties());
            config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
            config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2000);
            return new KafkaHealthIndicator(config, Duration.ofSeconds(2));
        }
    }
}
