package io.scorepipe.audit;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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

    private static final String COPY = """
            COPY prediction_audit (prediction_id, source, route, source_ref, request_id, model, model_version, features,
                                   prediction, cache_hit, latency_micros, created_at) FROM STDIN""";
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
     * Stores the records with {@code COPY}, the fastest way into PostgreSQL, for callers that do
     * not expect duplicates (a batch chunk, a first delivery). When some record is already stored,
     * COPY fails as a whole; then the records are written with {@link #write(List)}, which skips
     * the stored ones. Inside a transaction, a savepoint keeps that failure from aborting it.
     *
     * @return how many rows were inserted
     */
    public int copy(List<AuditRecord> records) {
        if (records.isEmpty()) {
            return 0;
        }
        byte[] payload = copyPayload(records);
        Integer inserted = jdbc.execute((ConnectionCallback<Integer>) connection -> {
            Savepoint savepoint = connection.getAutoCommit() ? null : connection.setSavepoint();
            try {
                long rows = connection.unwrap(PGConnection.class).getCopyAPI()
                        .copyIn(COPY, new ByteArrayInputStream(payload));
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
            catch (IOException ex) {
                throw new SQLException("COPY into prediction_audit failed: " + ex.getMessage(), ex);
            }
        });
        return inserted == null ? 0 : inserted;
    }

    private static byte[] copyPayload(List<AuditRecord> records) {
        StringBuilder text = new StringBuilder(records.size() * 320);
        for (AuditRecord record : records) {
            text.append(record.predictionId()).append('\t')
                    .append(record.source().wire()).append('\t');
            copyText(text, record.route());
            text.append('\t');
            copyText(text, record.sourceRef());
            text.append('\t');
            copyText(text, record.requestId());
            text.append('\t');
            copyText(text, record.model());
            text.append('\t');
            copyText(text, record.modelVersion());
            text.append('\t').append(SqlArrays.literal(record.features()))
                    .append('\t').append(record.prediction())
                    .append('\t').append(record.cacheHit() ? 't' : 'f')
                    .append('\t').append(record.latencyMicros())
                    .append('\t').append(record.createdAt())
                    .append('\n');
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** COPY's text format: \N for null; backslash, tab and line breaks escaped. */
    private static void copyText(StringBuilder text, @Nullable String value) {
        if (value == null) {
            text.append("\\N");
            return;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> text.append("\\\\");
                case '\t' -> text.append("\\t");
                case '\n' -> text.append("\\n");
                case '\r' -> text.append("\\r");
                default -> text.append(c);
            }
        }
    }
}
