package io.scorepipe.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The soak's questions to the run's schema: the worker's batches table and the prediction_audit rows. */
final class SoakDatabase {

    private static final PrintStream log = System.err;

    private final Connection db;

    SoakDatabase(Connection db) {
        this.db = db;
    }

    BatchStats batchStats() {
        try (PreparedStatement q = db.prepareStatement("SELECT count(*), count(*) FILTER (WHERE status = 'completed'), "
                + "count(*) FILTER (WHERE status = 'failed'), coalesce(sum(rows_scored), 0), "
                + "coalesce(sum(rows_rejected), 0) FROM batches"); ResultSet r = q.executeQuery()) {
            r.next();
            return new BatchStats(r.getLong(1), r.getLong(2), r.getLong(3), r.getLong(4), r.getLong(5));
        }
        catch (SQLException ex) {
            log.println("batches: " + ex.getMessage());
            return BatchStats.NONE;
        }
    }

    /**
     * Mean and p99 (ms) of latency_micros of the api's audit rows created in [from, to): its time
     * before the audit publish.
     */
    double[] auditLatency(Instant from, Instant to) {
        try (PreparedStatement q = db.prepareStatement("SELECT avg(latency_micros), percentile_cont(0.99) WITHIN GROUP "
                + "(ORDER BY latency_micros) FROM prediction_audit WHERE source = 'api' "
                + "AND created_at >= ? AND created_at < ?")) {
            q.setTimestamp(1, Timestamp.from(from));
            q.setTimestamp(2, Timestamp.from(to));
            try (ResultSet r = q.executeQuery()) {
                r.next();
                double mean = r.getDouble(1);
                boolean none = r.wasNull();
                double p99 = r.getDouble(2);
                return none ? new double[] {Double.NaN, Double.NaN} : new double[] {mean / 1000, p99 / 1000};
            }
        }
        catch (SQLException ex) {
            log.println("audit latency: " + ex.getMessage());
            return new double[] {Double.NaN, Double.NaN};
        }
    }

    /** Rows inserted into prediction_audit, from PostgreSQL's statistics (cheap; they lag by about a second). */
    long auditInserted() {
        try (PreparedStatement q = db.prepareStatement("SELECT n_tup_ins FROM pg_stat_user_tables "
                + "WHERE schemaname = current_schema() AND relname = 'prediction_audit'");
                ResultSet r = q.executeQuery()) {
            return r.next() ? r.getLong(1) : -1;
        }
        catch (SQLException ex) {
            return -1;
        }
    }

    /** The rows of prediction_audit by source: api, batch and stream (0 where none). */
    Map<String, Long> auditRows() throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>(Map.of("api", 0L, "batch", 0L, "stream", 0L));
        try (PreparedStatement q = db.prepareStatement("SELECT source, count(*) FROM prediction_audit GROUP BY source");
                ResultSet r = q.executeQuery()) {
            while (r.next()) {
                counts.put(r.getString(1), r.getLong(2));
            }
        }
        return counts;
    }

    /**
     * {checked, mismatched}: the results files of the completed files among {@code names}, and
     * those without one line per row (plus the header).
     */
    long[] resultFilesMismatch(Collection<String> names, int rows) {
        long checked = 0;
        long mismatched = 0;
        try (PreparedStatement q = db.prepareStatement(
                "SELECT file_name, results_path FROM batches WHERE status = 'completed'");
                ResultSet r = q.executeQuery()) {
            while (r.next()) {
                String path = r.getString(2);
                if (!names.contains(r.getString(1)) || path == null) {
                    continue;
                }
                checked++;
                try (Stream<String> lines = Files.lines(Path.of(path))) {
                    if (lines.count() != rows + 1L) {
                        mismatched++;
                    }
                }
                catch (IOException ex) {
                    mismatched++;
                }
            }
        }
        catch (SQLException ex) {
            log.println("batches: " + ex.getMessage());
        }
        return new long[] {checked, mismatched};
    }

    /** The first failed files, each with its error. */
    List<String> failedBatches() {
        List<String> failed = new ArrayList<>();
        try (PreparedStatement q = db.prepareStatement(
                "SELECT file_name, error FROM batches WHERE status = 'failed' LIMIT 5");
                ResultSet r = q.executeQuery()) {
            while (r.next()) {
                failed.add(r.getString(1) + ": " + r.getString(2));
            }
        }
        catch (SQLException ex) {
            failed.add("(could not read: " + ex.getMessage() + ")");
        }
        return failed;
    }
}
