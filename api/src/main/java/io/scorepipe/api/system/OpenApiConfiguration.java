package io.scorepipe.api.system;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.security.SecurityScheme;

/** The OpenAPI description at /v3/api-docs (Swagger UI at /swagger-ui/index.html). */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    @Bean
    OpenAPI scorepipeOpenApi() {
        return new OpenAPI()
                .info(new Info().title("scorepipe api").version("v1")
                        .description("Real-time predictions from the serving regression model, and model administration. "
                                + "Errors are RFC 9457 problem details.")
                        .license(new License().name("Apache-2.0")))
                .components(new Components().addSecuritySchemes("admin", new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer")
                        .description("The token from the file named by ADMIN_TOKEN_FILE")));
    }
}
