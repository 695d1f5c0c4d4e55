package io.scorepipe.api;

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

import io.scorepipe.api.batch.UploadProperties;
import io.scorepipe.api.predict.AuditProperties;
import io.scorepipe.api.predict.PredictProperties;
import io.scorepipe.api.predict.RedisProperties;
import io.scorepipe.api.system.AdminProperties;
import io.scorepipe.system.Causes;

/** Every setting the api reads is checked at start-up: a wrong one stops it, naming the property. */
class ApiSettingsTests {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({AuditProperties.class, PredictProperties.class, RedisProperties.class,
            UploadProperties.class, AdminProperties.class})
    static class Settings {
    }

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ConfigurationPropertiesAutoConfiguration.class,
                    ValidationAutoConfiguration.class))
            .withUserConfiguration(Settings.class);

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            scorepipe.audit.kafka-timeout=0s              | scorepipe.audit.kafka-timeout
            scorepipe.audit.retry-kafka-after=-1s         | scorepipe.audit.retry-kafka-after
            scorepipe.predict.max-batch-rows=0            | scorepipe.predict.max-batch-rows
            scorepipe.predict.max-body-size=0B            | scorepipe.predict.max-body-size
            scorepipe.redis.pool-size=0                   | scorepipe.redis.pool-size
            scorepipe.redis.ttl=100ms                     | scorepipe.redis.ttl
            scorepipe.redis.key-prefix=                   | scorepipe.redis.key-prefix
            scorepipe.redis.timeout=0s                    | scorepipe.redis.timeout
            scorepipe.upload.max-size=0B                  | scorepipe.upload.max-size
            scorepipe.admin.token-file=/no/such/token     | scorepipe.admin.token-file
            """)
    void aWrongSettingStopsTheStartNamingItsProperty(String setting, String property) {
        context.withPropertyValues(setting).run(started -> {
            assertThat(started).hasFailed();
            assertThat(Causes.chain(started.getStartupFailure()).map(Throwable::getMessage)
                    .collect(Collectors.joining("\n"))).contains(property);
        });
    }

    @ParameterizedTest
    @CsvSource(textBlock = """
            scorepipe.redis.ttl=10m
            scorepipe.predict.max-body-size=2MB
            """)
    void sensibleValuesStart(String setting) {
        context.withPropertyValues(setting).run(started -> assertThat(started).hasNotFailed());
    }
}
