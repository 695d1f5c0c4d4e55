package io.scorepipe.api.system;

import org.springframework.http.HttpStatus;

/**
 * A caller's request that cannot be served as asked, with the status and title it gets: an unknown
 * id (404), a resource not in the state asked for (409), or content that cannot be used (422). The
 * detail says what to do.
 */
public class ApiProblemException extends RuntimeException {

    private final HttpStatus status;
    private final String title;

    private ApiProblemException(HttpStatus status, String title, String detail) {
        super(detail);
        this.status = status;
        this.title = title;
    }

    /** 400: the request does not fit the protocol it came by (the inference protocols' bad request). */
    public static ApiProblemException badRequest(String detail) {
        return new ApiProblemException(HttpStatus.BAD_REQUEST, "Bad Request", detail);
    }

    /** 404: nothing has that id. */
    public static ApiProblemException notFound(String title, String detail) {
        return new ApiProblemException(HttpStatus.NOT_FOUND, title, detail);
    }

    /** 422: the request is well-formed, but what it carries cannot be used (a model file that does not fit). */
    public static ApiProblemException unprocessable(String title, String detail) {
        return new ApiProblemException(HttpStatus.UNPROCESSABLE_CONTENT, title, detail);
    }

    /** 409: it exists, but not in the state the request needs. */
    public static ApiProblemException conflict(String title, String detail) {
        return new ApiProblemException(HttpStatus.CONFLICT, title, detail);
    }

    public HttpStatus status() {
        return status;
    }

    public String title() {
        return title;
    }
}
