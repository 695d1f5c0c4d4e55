package io.scorepipe.audit;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Writes audit records with one set-based statement per call (an {@code INSERT ... SELECT FROM
 * unnest(...)} of column arrays), skipping records whose prediction id or source reference is
 * already stored. Writing the same records twice therefore leaves exactly one row each.
 *
 * <p>Thread-safe; runs in the caller's transaction when there is one.
 */
public class AuditWriter {

    private static final String INSERT = """
            INSERT INTO prediction_audit (prediction_id, source, source_ref, request_id, model_version, features,
                                          prediction, cache_hit, latency_micros, created_at)
            SELECT id, source, source_ref, request_id, model_version, features::float8[], prediction, cache_hit,
                   latency_micros, created_at
            FROM unnest(?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::float8[], ?::boolean[],
                        ?::bigint[], ?::timestamptz[])
                 AS t(id, source, source_ref, request_id, model_version, features, prediction, cache_hit,
                      latency_micros, created_at)
            ON CONFLICT DO NOTHING""";

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
        String[] sourceRefs = new String[n];
        String[] requestIds = new String[n];
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
            sourceRefs[i] = record.sourceRef();
            requestIds[i] = record.requestId();
            versions[i] = record.modelVersion();
            features[i] = arrayLiteral(record.features());
            predictions[i] = record.prediction();
            cacheHits[i] = record.cacheHit();
            latencies[i] = record.latencyMicros();
            createdAt[i] = Timestamp.from(record.createdAt());
        }
        try (PreparedStatement statement = connection.prepareStatement(INSERT)) {
            Array[] arrays = {connection.createArrayOf("uuid", ids), connection.createArrayOf("text", sources),
                    connection.createArrayOf("text", sourceRefs), connection.createArrayOf("text", requestIds),
                    connection.createArrayOf("text", versions), connection.createArrayOf("text", features),
                    connection.createArrayOf("float8", predictions), connection.createArrayOf("bool", cacheHits),
                    connection.createArrayOf("int8", latencies), connection.createArrayOf("timestamptz", createdAt)};
            for (int i = 0; i < arrays.length; i++) {
                statement.setArray(i + 1, arrays[i]);
            }
            return statement.executeUpdate();
        }
    }

    /** A PostgreSQL array literal; Double.toString round-trips every finite double exactly. */
    static String arrayLiteral(double[] values) {
        StringBuilder literal = new StringBuilder(values.length * 22).append('{');
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                literal.append(',');
            }
            literal.append(values[i]);
        }
        return literal.append('}').toString();
    }
}
