package io.scorepipe.api.predict;

/**
 * Neither Kafka nor PostgreSQL took a prediction's audit record, so the prediction must not be
 * answered: no answer without an audit trail.
 */
public class AuditUnavailableException extends RuntimeException {

    AuditUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
