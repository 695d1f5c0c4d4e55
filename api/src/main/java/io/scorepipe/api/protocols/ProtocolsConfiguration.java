package io.scorepipe.api.protocols;

import javax.sql.DataSource;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.scorepipe.registry.ServingModels;

@Configuration(proxyBeanMethods = false)
class ProtocolsConfiguration {

    @Bean
    ProtocolHealth protocolHealth(ServingModels serving, DataSource dataSource) {
        return new ProtocolHealth(serving, dataSource);
    }
}
