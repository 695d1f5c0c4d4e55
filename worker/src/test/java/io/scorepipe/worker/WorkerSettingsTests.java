package io.scorepipe.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Collectors;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.ConfigurationPropertiesAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Configuration;

import io.scorepipe.config.TopicProperties;
import io.scorepipe.registry.ModelProperties;
import io.scorepipe.registry.RetrainProperties;
import io.scorepipe.system.Causes;
import io.scorepipe.worker.audit.AuditSinkProperties;
import io.scorepipe.worker.batch.BatchProperties;
import io.scorepipe.worker.stream.StreamProperties;

/** Every setting the worker reads is checked at start-up: a wrong one stops it, naming the property. */
class WorkerSettingsTests {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({BatchProperties.class, RetrainProperties.class, StreamProperties.class,
            AuditSinkProperties.class, ModelProperties.class, TopicProperties.class})
    static class Settings {
    }

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ConfigurationPropertiesAutoConfiguration.class,
                    ValidationAutoConfiguration.class))
            .withUserConfiguration(Settings.class);

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            scorepipe.batch.partitions=0                  | scorepipe.batch.partitions
            scorepipe.batch.chunk-size=-1                 | scorepipe.batch.chunk-size
            scorepipe.batch.skip-limit-percent=120        | scorepipe.batch.skip-limit-percent
            scorepipe.batch.poll-interval=0s              | scorepipe.batch.poll-interval
            scorepipe.batch.heartbeat=1m                  | scorepipe.batch.heartbeat
            scorepipe.batch.max-line-length=0B            | scorepipe.batch.max-line-length
            scorepipe.batch.max-rows-per-second=-5        | scorepipe.batch.max-rows-per-second
            scorepipe.batch.max-attempts=0                | scorepipe.batch.max-attempts
            scorepipe.batch.group-id=                     | scorepipe.batch.group-id
            scorepipe.retrain.cron=every night            | scorepipe.retrain.cron
            scorepipe.retrain.holdout-percent=0           | scorepipe.retrain.holdout-percent
            scorepipe.retrain.min-examples=1              | scorepipe.retrain.min-examples
            scorepipe.retrain.max-epochs=1                | scorepipe.retrain.max-epochs
            scorepipe.retrain.request-timeout=0s          | scorepipe.retrain.request-timeout
            scorepipe.stream.concurrency=0                | scorepipe.stream.concurrency
            scorepipe.stream.fetch-wait=1m                | scorepipe.stream.fetch-wait
            scorepipe.stream.retry-max=0s                 | scorepipe.stream.retry-max
            scorepipe.audit-sink.max-batch=0              | scorepipe.audit-sink.max-batch
            scorepipe.audit-sink.group-id=                | scorepipe.audit-sink.group-id
            scorepipe.model.refresh-interval=0s           | scorepipe.model.refresh-interval
            scorepipe.model.training.epochs=0             | scorepipe.model.training.epochs
            scorepipe.topics.partitions=0                 | scorepipe.topics.partitions
            scorepipe.topics.audit=                       | scorepipe.topics.audit
            """)
    void aWrongSettingStopsTheStartNamingItsProperty(String setting, String property) {
        context.withPropertyValues(setting).run(started -> {
            assertThat(started).hasFailed();
            assertThat(messages(started.getStartupFailure())).contains(property);
        });
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            scorepipe.batch.partitions=4
            scorepipe.retrain.cron=-
            scorepipe.retrain.cron=0 30 2 * * *
            scorepipe.stream.fetch-wait=0s
            """)
    void theDefaultsAndSensibleValuesStart(String setting) {
        context.withPropertyValues(setting).run(started -> assertThat(started).hasNotFailed());
    }

    /** Every message along the cause chain, so that wherever the binder put the property's name, it is found. */
    static String messages(Throwable failure) {
        return Causes.chain(failure).map(Throwable::getMessage).collect(Collectors.joining("\n"));
    }
}
