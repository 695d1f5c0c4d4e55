package io.scorepipe.worker.batch;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Tells a failure that PostgreSQL's absence caused (the job pauses and resumes) from one the file
 * caused (the batch fails, with the reason).
 */
final class DatabaseOutage {

    private DatabaseOutage() {
    }

    /** Whether {@code failure}, or anything that caused it, says the database could not be reached. */
    static boolean causedBy(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof DataAccessResourceFailureException || cause instanceof CannotCreateTransactionException
                    || cause instanceof TransientDataAccessException || cause instanceof SQLTransientException
                    || cause instanceof SQLRecoverableException || cause instanceof ConnectException) {
                return true;
            }
            // 08: connection exceptions; 57P: the server shut down or is starting
            if (cause instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
                return true;
            }
        }
        return false;
    }
}
