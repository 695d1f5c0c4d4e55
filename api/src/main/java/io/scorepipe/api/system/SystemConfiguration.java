package io.scorepipe.api.system;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.scorepipe.api.predict.PredictProperties;

@Configuration(proxyBeanMethods = false)
class SystemConfiguration {

    @Bean
    FilterRegistrationBean<RequestSizeLimitFilter> requestSizeLimitFilter(PredictProperties properties) {
        var registration = new FilterRegistrationBean<>(new RequestSizeLimitFilter(properties.maxBodySize().toBytes()));
        registration.addUrlPatterns("/predict", "/predict/*", "/models/*");
        return registration;
    }
}
