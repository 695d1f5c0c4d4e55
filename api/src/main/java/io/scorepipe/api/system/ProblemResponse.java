package io.scorepipe.api.system;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A status other than success that an operation can answer, with an RFC 9457 problem body: the
 * OpenAPI description lists it for that operation ({@link ApiDocsConfiguration}). The statuses
 * every operation of a kind shares (500 for all; 400 and 415 for those with a body; 401 and 403 for
 * admin calls) are added without it.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@Repeatable(ProblemResponse.List.class)
public @interface ProblemResponse {

    /** The HTTP status. */
    int status();

    /** When it is answered, in a caller's words. */
    String when();

    /** The repeated form. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @interface List {

        ProblemResponse[] value();
    }
}
