package io.scorepipe.api.models;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import io.scorepipe.api.system.AdminToken;
import io.scorepipe.api.system.AdminTokenInterceptor;
import io.scorepipe.config.TopicProperties;
import io.scorepipe.messages.MessagePublisher;
import io.scorepipe.registry.ChampionRule;
import io.scorepipe.registry.ModelProperties;
import io.scorepipe.registry.ModelRegistry;
import io.scorepipe.registry.Promoter;
import io.scorepipe.registry.RetrainProperties;
import io.scorepipe.registry.RetrainRuns;
import io.scorepipe.registry.ServingModels;
import io.scorepipe.registry.TrainingExamples;

@Configuration(proxyBeanMethods = false)
class ModelsConfiguration {

    /** Registry changes need the admin token; scoring with a named model is open to callers, like /predict. */
    @Bean
    WebMvcConfigurer adminTokenGuard(AdminToken token) {
        return new WebMvcConfigurer() {
            @Override
            public void addInterceptors(InterceptorRegistry registry) {
                registry.addInterceptor(new AdminTokenInterceptor(token, false)).addPathPatterns("/models", "/models/**")
                        .excludePathPatterns("/models/*/predict", "/models/*/predict/batch");
                // drift reports hold the distributions of what callers sent: reading them needs the token too
                registry.addInterceptor(new AdminTokenInterceptor(token, true)).addPathPatterns("/models/*/drift");
            }
        };
    }

    @Bean
    ModelAdminService modelAdminService(ModelRegistry registry, Promoter promoter, MessagePublisher publisher,
            TopicProperties topics, RetrainRuns runs) {
        return new ModelAdminService(registry, promoter, publisher, topics.retrainRequests(), runs);
    }

    @Bean
    ModelImports modelImports(ModelRegistry registry, ServingModels serving, TrainingExamples examples, ChampionRule rule,
            Promoter promoter, ModelProperties properties) {
        return new ModelImports(registry, serving, examples, rule, promoter, properties.maxImportSize().toBytes());
    }

    @Bean
    ModelCreation modelCreation(ModelRegistry registry, TrainingExamples examples, ModelAdminService admin,
            Promoter promoter, RetrainProperties retrain, ModelProperties properties) {
        return new ModelCreation(registry, examples, admin, promoter, retrain.minExamples(),
                properties.maxTrainingSize().toBytes());
    }
}
