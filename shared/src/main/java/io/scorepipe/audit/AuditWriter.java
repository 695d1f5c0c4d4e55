package io.scorepipe.audit;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Timestamp;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

import io.scorepipe.system.SqlArrays;

/**
 * Writes audit records with one set-based statement per call (an {@code INSERT ... SELECT FROM
 * unnest(...)} of column arrays), skipping records whose prediction id or source reference is
 * already stored. Writing the same records twice therefore leaves exactly one row each.
 *
 * <p>Thread-safe; runs in the caller's transaction when there is one.
 */
public class AuditWriter {

    private static final String INSERT = """
            INSERT INTO prediction_audit (prediction_id, source, route, source_ref, request_id, model, model_version,
                                          features, prediction, cache_hit, latency_micros, created_at)
            SELECT id, source, route, source_ref, request_id, model, model_version, features::float8[], prediction,
                   cache_hit, latency_micros, created_at
            FROM unnest(?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                        ?::float8[], ?::boolean[], ?::bigint[], ?::timestamptz[])
                 AS t(id, source, route, source_ref, request_id, model, model_version, features, prediction, cache_hit,
                      latency_micros, created_at)
            ON CONFLICT DO NOTHING""";

    private static final String UNIQUE_VIOLATION = "23505";

    private final JdbcTemplate jdbc;

    public AuditWriter(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Stores the records that are not stored yet.
     *
     * @return how many rows were inserted (fewer than given when some were already there)
     */
    public int write(List<AuditRecord> records) {
        if (records.isEmpty()) {
            return 0;
        }
        Integer inserted = jdbc.execute((ConnectionCallback<Integer>) connection -> insert(connection, records));
        return inserted == null ? 0 : inserted;
    }

    private static int insert(Connection connection, List<AuditRecord> records) throws SQLException {
        int n = records.size();
        UUID[] ids = new UUID[n];
        String[] sources = new String[n];
        String[] routes = new String[n];
        String[] sourceRefs = new String[n];
        String[] requestIds = new String[n];
        String[] models = new String[n];
        String[] versions = new String[n];
        String[] features = new String[n];
        Double[] predictions = new Double[n];
        Boolean[] cacheHits = new Boolean[n];
        Long[] latencies = new Long[n];
        Timestamp[] createdAt = new Timestamp[n];
        for (int i = 0; i < n; i++) {
            AuditRecord record = records.get(i);
            ids[i] = record.predictionId();
            sources[i] = record.source().wire();
            routes[i] = record.route();
            sourceRefs[i] = record.sourceRef();
            requestIds[i] = record.requestId();
            models[i] = record.model();
            versions[i] = record.modelVersion();
            features[i] = SqlArrays.literal(record.features());
            predictions[i] = record.prediction();
            cacheHits[i] = record.cacheHit();
            latencies[i] = record.latencyMicros();
            createdAt[i] = Timestamp.from(record.createdAt());
        }
        try (PreparedStatement statement = connection.prepareStatement(INSERT)) {
            Array[] arrays = {connection.createArrayOf("uuid", ids), connection.createArrayOf("text", sources),
                    connection.createArrayOf("text", routes),
                    connection.createArrayOf("text", sourceRefs), connection.createArrayOf("text", requestIds),
                    connection.createArrayOf("text", models), connection.createArrayOf("text", versions), connection.createArrayOf("text", features),
                    connection.createArrayOf("float8", predictions), connection.createArrayOf("bool", cacheHits),
                    connection.createArrayOf("int8", latencies), connection.createArrayOf("timestamptz", createdAt)};
            for (int i = 0; i < arrays.length; i++) {
                statement.setArray(i + 1, arrays[i]);
            }
            return statement.executeUpdate();
        }
    }

    /**
     * Stores the records with one binary {@code COPY}, the fastest way into PostgreSQL, for callers
     * that do not expect duplicates (a batch chunk, a first delivery). When some record is already
     * stored, COPY fails as a whole; then the records are written with {@link #write(List)}, which
     * skips the stored ones. Inside a transaction, a savepoint keeps that failure from aborting it.
     *
     * @return how many rows were inserted
     */
    public int copy(List<AuditRecord> records) {
        if (records.isEmpty()) {
            return 0;
        }
        AuditCopyEncoder payload = AuditCopyEncoder.encode(records);
        Integer inserted;
        try {
            inserted = copyOrInsert(records, payload);
        }
        finally {
            payload.release();
        }
        return inserted == null ? 0 : inserted;
    }

    private @Nullable Integer copyOrInsert(List<AuditRecord> records, AuditCopyEncoder payload) {
        return jdbc.execute((ConnectionCallback<Integer>) connection -> {
            Savepoint savepoint = connection.getAutoCommit() ? null : connection.setSavepoint();
            try {
                long rows = copyIn(connection, payload);
                if (savepoint != null) {
                    connection.releaseSavepoint(savepoint);
                }
                return (int) rows;
            }
            catch (SQLException ex) {
                if (!UNIQUE_VIOLATION.equals(ex.getSQLState())) {
                    throw ex;
                }
                if (savepoint != null) {
                    connection.rollback(savepoint);
                }
                return insert(connection, records);
            }
        });
    }

    /** One COPY of the whole payload: every row, or none when it fails. */
    private static long copyIn(Connection connection, AuditCopyEncoder payload) throws SQLException {
        CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(AuditCopyEncoder.SQL);
        try {
            payload.writeTo(copy);
            return copy.endCopy();
        }
        catch (Throwable ex) {
            // a COPY left open keeps the connection in copy mode, unusable for the pool's next borrower
            if (copy.isActive()) {
                try {
                    copy.cancelCopy();
                }
                catch (SQLException cancelFailed) {
                    ex.addSuppressed(cancelFailed);
                }
            }
            throw ex;
        }
    }
}
