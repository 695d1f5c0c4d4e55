package io.scorepipe.api.console;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import io.micrometer.core.instrument.MeterRegistry;
import io.scorepipe.api.system.AdminToken;
import io.scorepipe.api.system.AdminTokenInterceptor;

@Configuration(proxyBeanMethods = false)
class ConsoleConfiguration {

    /**
     * The live page's sampler. The workers' consumer groups are read from the properties the
     * workers use ({@code scorepipe.stream.group-id}, {@code scorepipe.audit-sink.group-id}), with
     * their defaults: set them alike on both when you change them.
     */
    @Bean
    LiveMetrics liveMetrics(MeterRegistry meters, KafkaAdmin kafkaAdmin, Environment environment) {
        Map<String, Object> config = new HashMap<>(kafkaAdmin.getConfigurationProperties());
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2000);
        return new LiveMetrics(meters, config, environment.getProperty("scorepipe.stream.group-id", "scorepipe-stream"),
                environment.getProperty("scorepipe.audit-sink.group-id", "scorepipe-audit-sink"),
                environment.getProperty("scorepipe.console.sample-interval", Duration.class, Duration.ofSeconds(10)));
    }

    /** Every console call needs the admin token, reads included; the static pages do not (they hold no data). */
    @Bean
    WebMvcConfigurer consoleToken(AdminToken token) {
        return new WebMvcConfigurer() {
            @Override
            public void addInterceptors(InterceptorRegistry registry) {
                registry.addInterceptor(new AdminTokenInterceptor(token, true)).addPathPatterns("/console/api/**");
            }
        };
    }
}
