package io.scorepipe.api.system;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

/**
 * Errors in the shape each inference protocol's clients read: the Open Inference Protocol's and
 * KServe v1's {@code {"error": "..."}}, MLflow's {@code {"error_code": "...", "message": "..."}}, as
 * {@code application/json}; and 400, not 422, for a request that does not fit the model, as those
 * protocols say. Every error of scorepipe's own routes stays an RFC 9457 problem. The rewrite
 * happens last, on whatever problem an error became, so that the protocols' routes answer in their
 * shape whichever part of the api refused the request.
 */
@RestControllerAdvice
public class ProtocolErrors implements ResponseBodyAdvice<Object> {

    /** The error shapes. */
    public enum Shape {
        /** {@code {"error": "..."}}: the Open Inference Protocol's, and KServe v1's. */
        INFERENCE,
        /** {@code {"error_code": "...", "message": "..."}}: MLflow's scoring server's. */
        MLFLOW
    }

    /** The shape errors of {@code path} take; null for scorepipe's own routes (RFC 9457 problems). */
    public static @Nullable Shape shapeOf(String path) {
        if (path.equals("/v2") || path.startsWith("/v2/") || path.startsWith("/v1/")) {
            return Shape.INFERENCE;
        }
        if (path.equals("/invocations") || path.equals("/ping") || path.equals("/version")) {
            return Shape.MLFLOW;
        }
        return null;
    }

    /** The body of an error of {@code status} in {@code shape}. */
    public static Map<String, Object> body(Shape shape, int status, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (shape == Shape.MLFLOW) {
            body.put("error_code", mlflowCode(status));
            body.put("message", message);
        }
        else {
            body.put("error", message);
        }
        return body;
    }

    @Override
    public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
        return true;
    }

    @Override
    public @Nullable Object beforeBodyWrite(@Nullable Object body, MethodParameter returnType, MediaType selected,
            Class<? extends HttpMessageConverter<?>> converterType, ServerHttpRequest request,
            ServerHttpResponse response) {
        if (!(body instanceof ProblemDetail problem)) {
            return body;
        }
        Shape shape = shapeOf(request.getURI().getPath());
        if (shape == null) {
            return body;
        }
        int status = problem.getStatus() == HttpStatus.UNPROCESSABLE_CONTENT.value() ? HttpStatus.BAD_REQUEST.value()
                : problem.getStatus();
        response.setStatusCode(HttpStatus.valueOf(status));
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        String message = problem.getDetail() != null ? problem.getDetail() : String.valueOf(problem.getTitle());
        return body(shape, status, message);
    }

    private static String mlflowCode(int status) {
        return switch (status) {
            case 400, 415, 422 -> "BAD_REQUEST";
            case 404 -> "RESOURCE_DOES_NOT_EXIST";
            case 413 -> "REQUEST_LIMIT_EXCEEDED";
            case 503 -> "TEMPORARILY_UNAVAILABLE";
            default -> "INTERNAL_ERROR";
        };
    }
}
