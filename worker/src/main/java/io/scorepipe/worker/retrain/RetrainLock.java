package io.scorepipe.worker.retrain;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.function.Supplier;
import javax.sql.DataSource;

import org.springframework.jdbc.CannotGetJdbcConnectionException;

/**
 * One retrain of a model at a time across all workers (different models retrain side by side): a
 * PostgreSQL advisory lock per model, held by a session of its own, so that the work done under
 * it commits (and is announced) as it goes rather than in a transaction around it. A worker that
 * dies releases it with its connection.
 *
 * @param dataSource where the lock's session comes from
 */
record RetrainLock(DataSource dataSource) {

    /** The locks' first key ("retr"); the second is the model's. */
    static final int KEY = 0x72657472;

    /**
     * Runs {@code work} while holding {@code model}'s lock.
     *
     * @return its result, or empty when another holds the lock (the work did not run)
     */
    <T> Optional<T> whileHeld(String model, Supplier<T> work) {
        try (Connection session = dataSource.getConnection()) {
            if (!advisory(session, "SELECT pg_try_advisory_lock(?, ?)", model)) {
                return Optional.empty();
            }
            try {
                return Optional.of(work.get());
            }
            finally {
                advisory(session, "SELECT pg_advisory_unlock(?, ?)", model);
            }
        }
        catch (SQLException ex) {
            throw new CannotGetJdbcConnectionException("the retrain lock could not be taken: " + ex.getMessage(), ex);
        }
    }

    private static boolean advisory(Connection session, String sql, String model) throws SQLException {
        try (PreparedStatement statement = session.prepareStatement(sql)) {
            statement.setInt(1, KEY);
            statement.setInt(2, model.hashCode());
            try (ResultSet result = statement.executeQuery()) {
                return result.next() && result.getBoolean(1);
            }
        }
    }
}
