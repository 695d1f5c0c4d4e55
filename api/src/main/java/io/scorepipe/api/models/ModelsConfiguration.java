package io.scorepipe.api.models;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import io.scorepipe.config.TopicProperties;
import io.scorepipe.registry.ModelRegistry;
import io.scorepipe.registry.RetrainRuns;
import io.scorepipe.registry.ServingModel;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AdminProperties.class)
class ModelsConfiguration {

    @Bean
    AdminToken adminToken(AdminProperties properties) {
        return AdminToken.from(properties);
    }

    @Bean
    WebMvcConfigurer adminTokenGuard(AdminToken token) {
        return new WebMvcConfigurer() {
            @Override
            public void addInterceptors(InterceptorRegistry registry) {
                registry.addInterceptor(new AdminTokenInterceptor(token)).addPathPatterns("/models", "/models/**");
            }
        };
    }

    @Bean
    ModelAdminService modelAdminService(ModelRegistry registry, ServingModel serving, KafkaTemplate<String, Object> kafka,
            TopicProperties topics, RetrainRuns runs) {
        return new ModelAdminService(registry, serving, kafka, topics, runs);
    }
}
