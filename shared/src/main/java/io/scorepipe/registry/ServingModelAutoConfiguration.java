package io.scorepipe.registry;

import javax.sql.DataSource;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.transaction.support.TransactionTemplate;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.scorepipe.config.TopicProperties;
import io.scorepipe.messages.MessagePublisher;

/**
 * The registry and the serving model for any scorepipe application with a {@link DataSource}:
 * the api and the worker get the same beans, the same start-up and the same health check.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
        "io.scorepipe.messages.MessagesAutoConfiguration" })
@ConditionalOnBean(DataSource.class)
@EnableConfigurationProperties({ModelProperties.class, TopicProperties.class})
public class ServingModelAutoConfiguration {

    @Bean
    ModelRegistry modelRegistry(DataSource dataSource) {
        // Its own transaction manager: registry changes are short and must not join a caller's.
        return new ModelRegistry(JdbcClient.create(dataSource),
                new TransactionTemplate(new DataSourceTransactionManager(dataSource)));
    }

    @Bean
    RetrainRuns retrainRuns(DataSource dataSource) {
        return new RetrainRuns(JdbcClient.create(dataSource));
    }

    @Bean
    ServingModel servingModel(ModelRegistry registry) {
        return new ServingModel(registry);
    }

    @Bean
    Promoter promoter(ModelRegistry registry, ServingModel serving, ObjectProvider<MessagePublisher> publisher,
            TopicProperties topics) {
        return new Promoter(registry, serving, publisher.getIfAvailable(), topics.modelUpdates());
    }

    @Bean
    ModelBootstrap modelBootstrap(ModelRegistry registry, ModelProperties properties) {
        return new ModelBootstrap(registry, properties.training().toConfig());
    }

    @Bean
    ServingModelLifecycle servingModelLifecycle(ServingModel serving, ModelBootstrap bootstrap, ModelProperties properties) {
        return new ServingModelLifecycle(serving, bootstrap, properties);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(KafkaListener.class)
    static class Announcements {

        @Bean
        ModelUpdatesListener modelUpdatesListener(ServingModel serving, TopicProperties topics, Environment environment) {
            return ModelUpdatesListener.of(serving, topics.modelUpdates(),
                    environment.getProperty("spring.application.name", "scorepipe"));
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterBinder.class)
    static class Metrics {

        /** The serving version's number (0 while none serves), so dashboards can show promotions. */
        @Bean
        MeterBinder servingModelMetrics(ServingModel serving) {
            return registry -> Gauge.builder("scorepipe.model.serving.version",
                            serving, model -> model.current().map(loaded -> loaded.version().version()).orElse(0))
                    .description("Version number of the model this process serves; 0 while none").register(registry);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    static class Health {

        @Bean
        HealthIndicator modelHealthIndicator(ServingModel serving) {
            return new ServingModelHealthIndicator(serving);
        }
    }
}
