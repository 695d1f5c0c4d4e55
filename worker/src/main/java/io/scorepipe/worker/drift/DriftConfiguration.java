package io.scorepipe.worker.drift;

import java.time.Clock;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.SchedulingConfigurer;

import io.micrometer.core.instrument.MeterRegistry;
import io.scorepipe.drift.DriftStore;
import io.scorepipe.registry.ModelRegistry;
import io.scorepipe.worker.system.Rounds;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DriftProperties.class)
class DriftConfiguration {

    @Bean
    DriftJob driftJob(ModelRegistry registry, DriftStore store, DriftProperties properties, MeterRegistry meters) {
        return new DriftJob(registry, store, properties, meters, Clock.systemUTC());
    }

    @Bean
    SchedulingConfigurer driftSchedule(DriftJob job, DriftProperties properties) {
        return registrar -> registrar.addFixedDelayTask(Rounds.quietly("Drift", job::run), properties.interval());
    }
}
