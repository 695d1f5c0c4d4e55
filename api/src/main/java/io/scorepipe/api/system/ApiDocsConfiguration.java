package io.scorepipe.api.system;

import java.lang.reflect.Parameter;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.method.HandlerMethod;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;

/**
 * The OpenAPI description at {@code /v3/api-docs} (Swagger UI at {@code /swagger-ui.html}): every
 * operation lists the statuses it really answers, each error with the RFC 9457 problem schema.
 * An operation's own cases come from its {@link ProblemResponse} annotations; the ones shared by a
 * kind of operation are added here, so that no operation can forget them.
 */
@Configuration(proxyBeanMethods = false)
class ApiDocsConfiguration {

    static final String PROBLEM = "Problem";
    static final String INFERENCE_ERROR = "InferenceError";
    static final String MLFLOW_ERROR = "MlflowError";
    static final String ADMIN = "admin";

    @Bean
    OpenApiCustomizer scorepipeApiDescription() {
        return openApi -> {
            openApi.info(new Info().title("scorepipe api").version("v1")
                    .description("Real-time predictions from named regression models, bulk scoring of CSV "
                            + "files, and model administration; and the inference protocols clients already speak: "
                            + "the Open Inference Protocol (/v2), KServe v1 (/v1) and MLflow's (/invocations). Errors "
                            + "are RFC 9457 problem details (application/problem+json), except on the protocols' "
                            + "routes, which answer their own protocol's error object.")
                    .license(new License().name("Apache-2.0")));
            Components components = openApi.getComponents() == null ? new Components() : openApi.getComponents();
            components.addSecuritySchemes(ADMIN, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                    .description("The token in the file named by ADMIN_TOKEN_FILE"));
            components.addSchemas(PROBLEM, problemSchema());
            components.addSchemas(INFERENCE_ERROR, new ObjectSchema().description("The Open Inference Protocol's and "
                    + "KServe v1's error").addProperty("error", new StringSchema().example(
                            "input 'input' has shape [2, 10], which holds 20 values, but its data has 19")));
            components.addSchemas(MLFLOW_ERROR, new ObjectSchema().description("MLflow's scoring server's error")
                    .addProperty("error_code", new StringSchema().example("BAD_REQUEST"))
                    .addProperty("message", new StringSchema().example("column 'bmi' is missing")));
            openApi.components(components);
            if (openApi.getPaths() == null) {
                return;
            }
            openApi.getPaths().forEach((path, item) -> item.readOperations().forEach(operation -> {
                ApiResponses responses = operation.getResponses();
                if (sizeLimited(path) && !responses.containsKey("413")) {
                    responses.addApiResponse("413", problem(413, "the body is larger than "
                            + "scorepipe.predict.max-body-size (1 MB)"));
                }
                ProtocolErrors.Shape shape = ProtocolErrors.shapeOf(path);
                if (shape != null) {
                    // the protocols' errors are their own JSON, and a request that does not fit is their 400
                    responses.forEach((status, response) -> {
                        if (Integer.parseInt(status) >= 400) {
                            response.content(new Content().addMediaType(
                                    org.springframework.http.MediaType.APPLICATION_JSON_VALUE, new MediaType().schema(
                                            new Schema<>().$ref("#/components/schemas/" + (shape == ProtocolErrors.Shape
                                                    .MLFLOW ? MLFLOW_ERROR : INFERENCE_ERROR)))));
                        }
                    });
                }
            }));
        };
    }

    /** The paths whose bodies RequestSizeLimitFilter caps (see SystemConfiguration). */
    static boolean sizeLimited(String path) {
        return path.equals("/predict") || path.startsWith("/predict/") || path.equals("/models") || path.startsWith("/models/")
                || path.startsWith("/v2/") || path.startsWith("/v1/") || path.equals("/invocations");
    }

    @Bean
    OperationCustomizer problemResponses() {
        return (operation, handler) -> {
            Map<Integer, String> problems = new TreeMap<>();
            for (ProblemResponse problem : handler.getMethod().getAnnotationsByType(ProblemResponse.class)) {
                problems.put(problem.status(), problem.when());
            }
            if (takesBody(handler)) {
                problems.putIfAbsent(400, "the body cannot be read: malformed JSON or multipart, or a field of the "
                        + "wrong type (the detail says where and which)");
                problems.putIfAbsent(415, "the Content-Type is not one this operation takes (the detail names them)");
            }
            if (isAdmin(operation)) {
                problems.putIfAbsent(401, "no admin token, or the wrong one");
                problems.putIfAbsent(403, "admin calls are disabled: no admin token is configured (ADMIN_TOKEN_FILE)");
            }
            problems.putIfAbsent(406, "the Accept header excludes what this operation answers (JSON, or CSV for "
                    + "downloads)");
            problems.putIfAbsent(500, "an unexpected error; its details are in the api's log");
            ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
            problems.forEach((status, when) -> responses.addApiResponse(Integer.toString(status), problem(status, when)));
            operation.setResponses(responses);
            return operation;
        };
    }

    private static boolean takesBody(HandlerMethod handler) {
        return Arrays.stream(handler.getMethod().getParameters()).anyMatch(ApiDocsConfiguration::isBody)
                || Arrays.stream(handler.getMethod().getAnnotations()).anyMatch(ApiDocsConfiguration::consumes);
    }

    private static boolean isBody(Parameter parameter) {
        return parameter.isAnnotationPresent(RequestBody.class) || parameter.isAnnotationPresent(RequestPart.class);
    }

    private static boolean consumes(java.lang.annotation.Annotation annotation) {
        return annotation instanceof org.springframework.web.bind.annotation.PostMapping post && post.consumes().length > 0;
    }

    private static boolean isAdmin(Operation operation) {
        return operation.getSecurity() != null
                && operation.getSecurity().stream().anyMatch((SecurityRequirement requirement) -> requirement.containsKey(ADMIN));
    }

    private static ApiResponse problem(int status, String when) {
        HttpStatus known = HttpStatus.resolve(status);
        String title = known == null ? Integer.toString(status) : known.getReasonPhrase();
        return new ApiResponse().description(title + ": " + when).content(new Content().addMediaType(
                org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM))));
    }

    @SuppressWarnings("rawtypes")
    private static Schema problemSchema() {
        Schema<?> fieldError = new ObjectSchema()
                .addProperty("field", new StringSchema().description("the field or feature at fault").example("bmi"))
                .addProperty("message", new StringSchema().description("what is wrong and what was expected")
                        .example("feature 'bmi' is a string; expected a number"));
        return new ObjectSchema().description("RFC 9457 problem details")
                .addProperty("type", new StringSchema().example("about:blank"))
                .addProperty("title", new StringSchema().example("Invalid input"))
                .addProperty("status", new IntegerSchema().example(422))
                .addProperty("detail", new StringSchema().description("what went wrong, for a person to act on")
                        .example("expected 10 features (age, sex, bmi, bp, s1, s2, s3, s4, s5, s6), got 4"))
                .addProperty("instance", new StringSchema().example("/predict"))
                .addProperty("errors", new ArraySchema().items(fieldError)
                        .description("for invalid input: one entry per field at fault"));
    }
}
