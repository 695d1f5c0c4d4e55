package io.scorepipe.worker.retrain;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.scorepipe.registry.RetrainRuns;

/**
 * Ends the retrain runs that would otherwise wait forever: a request no worker started within the
 * bound ({@code scorepipe.retrain.request-timeout}), and a run whose worker stopped mid-way. The
 * latter is recognised by the retrain lock: when this sweep can take it, no retrain runs anywhere,
 * so a run still marked running for more than a minute has nobody running it.
 */
class RetrainRunSweep {

    private static final Logger log = LoggerFactory.getLogger(RetrainRunSweep.class);
    /** A run marks itself running a moment before it takes the lock; this covers that moment. */
    private static final Duration START_GRACE = Duration.ofMinutes(1);

    private final DataSource dataSource;
    private final RetrainRuns runs;
    private final Duration requestTimeout;

    RetrainRunSweep(DataSource dataSource, RetrainRuns runs, Duration requestTimeout) {
        this.dataSource = dataSource;
        this.runs = runs;
        this.requestTimeout = requestTimeout;
    }

    void sweep() throws SQLException {
        int unstarted = runs.failUnstarted(requestTimeout);
        if (unstarted > 0) {
            log.warn("{} retrain run(s) failed: no worker started them within {}", unstarted, requestTimeout);
        }
        try (Connection connection = dataSource.getConnection()) {
            if (!advisory(connection, "SELECT pg_try_advisory_lock(?)")) {
                return; // a retrain runs right now; its run is not abandoned
            }
            try {
                int abandoned = runs.failAbandoned(START_GRACE);
                if (abandoned > 0) {
                    log.warn("{} retrain run(s) failed: the worker running them stopped", abandoned);
                }
            }
            finally {
                advisory(connection, "SELECT pg_advisory_unlock(?)");
            }
        }
    }

    private static boolean advisory(Connection connection, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, RetrainService.LOCK_KEY);
            try (ResultSet result = statement.executeQuery()) {
                return result.next() && result.getBoolean(1);
            }
        }
    }
}
