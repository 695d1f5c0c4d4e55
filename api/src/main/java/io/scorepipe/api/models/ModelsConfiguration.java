package io.scorepipe.api.models;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import io.scorepipe.api.system.AdminToken;
import io.scorepipe.config.TopicProperties;
import io.scorepipe.messages.MessagePublisher;
import io.scorepipe.registry.Promoter;
import io.scorepipe.registry.RetrainRuns;

@Configuration(proxyBeanMethods = false)
class ModelsConfiguration {

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
    ModelAdminService modelAdminService(Promoter promoter, MessagePublisher publisher, TopicProperties topics,
            RetrainRuns runs) {
        return new ModelAdminService(promoter, publisher, topics.retrainRequests(), runs);
    }
}
