package io.scorepipe.registry;

import java.util.Map;
import java.util.function.Consumer;
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

import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.scorepipe.config.TopicProperties;
import io.scorepipe.drift.DriftStore;
import io.scorepipe.messages.MessagePublisher;

/**
 * The registry and the served models for any scorepipe application with a {@link DataSource}:
 * the api and the worker get the same beans, the same start-up and the same health check.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
        "io.scorepipe.messages.MessagesAutoConfiguration" })
@ConditionalOnBean(DataSource.class)
@EnableConfigurationProperties({ModelProperties.class, RetrainProperties.class, TopicProperties.class})
public class ServingModelAutoConfiguration {

    @Bean
    ModelRegistry modelRegistry(DataSource dataSource) {
        // Its own transaction manager: registry changes are short and must not join a caller's.
        return new ModelRegistry(JdbcClient.create(dataSource),
                new TransactionTemplate(new DataSourceTransactionManager(dataSource)));
    }

    @Bean
    DriftStore driftStore(DataSource dataSource) {
        return new DriftStore(JdbcClient.create(dataSource),
                new TransactionTemplate(new DataSourceTransactionManager(dataSource)));
    }

    @Bean
    RetrainRuns retrainRuns(DataSource dataSource) {
        return new RetrainRuns(JdbcClient.create(dataSource));
    }

    @Bean
    TrainingExamples trainingExamples(DataSource dataSource) {
        return new TrainingExamples(dataSource);
    }

    @Bean
    ChampionRule championRule(RetrainProperties properties) {
        return ChampionRule.of(properties);
    }

    @Bean(destroyMethod = "close")
    ServingModels servingModels(ModelRegistry registry, ModelProperties properties) {
        return new ServingModels(registry, properties.maxDecoded());
    }

    @Bean
    Promoter promoter(ModelRegistry registry, ServingModels serving, ObjectProvider<MessagePublisher> publisher,
            TopicProperties topics) {
        return new Promoter(registry, serving, publisher.getIfAvailable(), topics.modelUpdates());
    }

    @Bean
    ModelBootstrap modelBootstrap(ModelRegistry registry, TrainingExamples examples, ModelProperties properties) {
        return new ModelBootstrap(registry, examples, properties.training().toConfig());
    }

    @Bean
    ServingModelLifecycle servingModelLifecycle(ServingModels serving, ModelBootstrap bootstrap,
            ModelProperties properties) {
        return new ServingModelLifecycle(serving, bootstrap, properties);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(KafkaListener.class)
    static class Announcements {

        @Bean
        ModelUpdatesListener modelUpdatesListener(ServingModels serving, TopicProperties topics, Environment environment) {
            return ModelUpdatesListener.of(serving, topics.modelUpdates(),
                    environment.getProperty("spring.application.name", "scorepipe"));
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterBinder.class)
    static class Metrics {

        /** Each model's serving version number, tagged with the model, so dashboards can show promotions. */
        @Bean
        MeterBinder servingModelMetrics(ServingModels serving) {
            return registry -> {
                MultiGauge versions = MultiGauge.builder("scorepipe.model.serving.version")
                        .description("Version number of the champion this process serves, per model").register(registry);
                Consumer<Map<String, String>> update = champions -> versions.register(champions.entrySet().stream()
                        .map(champion -> MultiGauge.Row.of(Tags.of("model", champion.getKey()),
                                Integer.parseInt(champion.getValue().substring(1))))
                        .toList(), true);
                update.accept(serving.champions());
                serving.onChange(update);
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    static class Health {

        @Bean
        HealthIndicator modelHealthIndicator(ServingModels serving, ModelProperties properties) {
            return new ServingModelHealthIndicator(serving, properties.defaultName());
        }
    }
}
