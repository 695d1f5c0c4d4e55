package io.scorepipe.api.system;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

import io.scorepipe.api.predict.PredictProperties;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AdminProperties.class)
class SystemConfiguration {

    @Bean
    AdminToken adminToken(AdminProperties properties) {
        return AdminToken.from(properties);
    }

    /** Every answer of the public port: no MIME sniffing, and API answers never cached on the way. */
    @Bean
    FilterRegistrationBean<ResponseHeadersFilter> responseHeadersFilter() {
        var registration = new FilterRegistrationBean<>(new ResponseHeadersFilter());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    @Bean
    FilterRegistrationBean<RequestSizeLimitFilter> requestSizeLimitFilter(PredictProperties properties) {
        var registration = new FilterRegistrationBean<>(new RequestSizeLimitFilter(properties.maxBodySize().toBytes()));
        registration.addUrlPatterns("/predict", "/predict/*", "/models/*", "/v2/*", "/v1/*", "/invocations");
        return registration;
    }

    /**
     * A client that sends {@code Expect: 100-continue} gets "continue" only once the body is
     * actually read: a declared length over the limit is refused with 413 before the client
     * uploads it, instead of after Tomcat said "go on" (its default is to say it at once).
     */
    @Bean
    TomcatConnectorCustomizer continueOnlyWhenTheBodyIsRead() {
        return connector -> connector.setProperty("continueResponseTiming", "onRead");
    }
}
