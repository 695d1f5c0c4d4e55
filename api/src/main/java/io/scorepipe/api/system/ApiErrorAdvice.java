package io.scorepipe.api.system;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import io.scorepipe.api.predict.AuditUnavailableException;
import io.scorepipe.registry.ModelNameTakenException;
import io.scorepipe.registry.UnknownModelException;
import io.scorepipe.registry.UnknownModelVersionException;
import io.scorepipe.scoring.InvalidInputException;
import io.scorepipe.scoring.ModelException;
import io.scorepipe.system.Causes;
import tools.jackson.core.JacksonException;

/**
 * The one place that turns failures into RFC 9457 problem details: a record problem is the
 * caller's (400, 413, 422) and says what to fix; a model or audit problem is ours (503, with
 * Retry-After). Only a bug is a 500, and its details stay in the log.
 */
@RestControllerAdvice
class ApiErrorAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiErrorAdvice.class);
    private static final String RETRY_AFTER_SECONDS = "5";

    @ExceptionHandler(InvalidInputException.class)
    ProblemDetail invalidInput(InvalidInputException ex) {
        ProblemDetail problem = problem(HttpStatus.UNPROCESSABLE_CONTENT, "Invalid input", ex.getMessage());
        problem.setProperty("errors", ex.errors().stream()
                .map(error -> Map.of("field", error.field(), "message", error.message())).toList());
        return problem;
    }

    @ExceptionHandler(ModelException.class)
    ResponseEntity<ProblemDetail> modelUnavailable(ModelException ex) {
        return unavailable("Model unavailable", ex.getMessage());
    }

    @ExceptionHandler(AuditUnavailableException.class)
    ResponseEntity<ProblemDetail> auditUnavailable(AuditUnavailableException ex) {
        log.error("Refusing predictions: {}", ex.getMessage(), ex.getCause());
        return unavailable("Audit trail unavailable", ex.getMessage());
    }

    @ExceptionHandler(UnknownModelVersionException.class)
    ProblemDetail unknownVersion(UnknownModelVersionException ex) {
        return problem(HttpStatus.NOT_FOUND, "Unknown model version", ex.getMessage());
    }

    @ExceptionHandler(UnknownModelException.class)
    ProblemDetail unknownModel(UnknownModelException ex) {
        return problem(HttpStatus.NOT_FOUND, "Unknown model", ex.getMessage());
    }

    @ExceptionHandler(ModelNameTakenException.class)
    ProblemDetail nameTaken(ModelNameTakenException ex) {
        ProblemDetail problem = problem(HttpStatus.UNPROCESSABLE_CONTENT, "Invalid input", ex.getMessage());
        problem.setProperty("errors", List.of(Map.of("field", "name", "message", ex.getMessage())));
        return problem;
    }

    @ExceptionHandler(ApiProblemException.class)
    ProblemDetail apiProblem(ApiProblemException ex) {
        return problem(ex.status(), ex.title(), ex.getMessage());
    }

    /** A file read by a controller (a CSV to train from) that grew past its limit. */
    @ExceptionHandler(PayloadTooLargeException.class)
    ProblemDetail payloadTooLarge(PayloadTooLargeException ex) {
        return problem(HttpStatus.CONTENT_TOO_LARGE, "Content Too Large", ex.getMessage());
    }

    @ExceptionHandler(UploadTooLargeException.class)
    ProblemDetail uploadTooLarge(UploadTooLargeException ex) {
        return problem(HttpStatus.CONTENT_TOO_LARGE, "Content Too Large", ex.getMessage());
    }

    @ExceptionHandler(Exception.class)
    ProblemDetail unexpected(Exception ex) {
        log.error("Unexpected error", ex);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error",
                "an unexpected error occurred; it has been logged");
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        if (Causes.find(ex, PayloadTooLargeException.class).orElse(null) instanceof PayloadTooLargeException tooLarge) {
            return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE)
                    .body(problem(HttpStatus.CONTENT_TOO_LARGE, "Content Too Large", tooLarge.getMessage()));
        }
        return ResponseEntity.badRequest().body(problem(HttpStatus.BAD_REQUEST, "Malformed request body", readable(ex)));
    }

    /** Spring's own detail names only what was sent ("Content-Type 'null' is not supported."). */
    @Override
    protected @Nullable ResponseEntity<Object> handleHttpMediaTypeNotSupported(HttpMediaTypeNotSupportedException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String sent = ex.getContentType() == null ? "the request has no Content-Type"
                : "Content-Type '" + ex.getContentType() + "' is not supported here";
        String expected = ex.getSupportedMediaTypes().stream().map(MediaType::toString).distinct().sorted()
                .collect(Collectors.joining(" or "));
        ProblemDetail body = problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported Media Type",
                expected.isEmpty() ? sent : sent + "; send " + expected);
        return handleExceptionInternal(ex, body, headers, status, request);
    }

    /** A multipart body that cannot be parsed (no boundary, cut off): the caller's, not a bug. */
    @ExceptionHandler(MultipartException.class)
    ProblemDetail unreadableMultipart(MultipartException ex) {
        Throwable root = Causes.root(ex);
        String reason = root.getMessage() == null || root == ex ? "" : " (" + root.getMessage() + ")";
        return problem(HttpStatus.BAD_REQUEST, "Malformed multipart body", "the multipart body could not be read" + reason
                + "; send the CSV file as the form part 'file', or the file itself as a text/csv body");
    }

    private static String readable(HttpMessageNotReadableException ex) {
        return Causes.find(ex, JacksonException.class).map(BodyProblems::describe)
                .orElse("the body is missing or not JSON");
    }

    private static ResponseEntity<ProblemDetail> unavailable(String title, String detail) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
                .body(problem(HttpStatus.SERVICE_UNAVAILABLE, title, detail));
    }

    private static ProblemDetail problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        problem.setType(URI.create("about:blank"));
        return problem;
    }
}
