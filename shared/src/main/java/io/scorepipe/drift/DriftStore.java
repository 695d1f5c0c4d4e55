package io.scorepipe.drift;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionOperations;

import tools.jackson.databind.json.JsonMapper;

/**
 * Where drift lives in PostgreSQL: each version's profile (in {@code model_versions.profile}), the
 * latest report per model ({@code model_drift}), and the window of audited predictions a report is
 * computed from. Thread-safe.
 */
public class DriftStore {

    /**
     * A slice of a window: audited predictions of one model version made in a time range, at most
     * a given number. The planner is kept off a sequential scan (in the reading transaction only),
     * so the block-range (BRIN) indexes on the creation time bound what is read to the slice's pages
     * however large the table; within them, rows come in the order they were stored.
     */
    static final String WINDOW = """
            SELECT features, prediction FROM prediction_audit
            WHERE created_at >= ? AND created_at < ? AND model = ? AND model_version = ?
            LIMIT ?""";

    private final JdbcClient jdbc;
    private final TransactionOperations transactions;
    private final JsonMapper json = JsonMapper.builder().build();

    public DriftStore(JdbcClient jdbc, TransactionOperations transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    /** Slices a window is read in, newest first. */
    static final int SLICES = 12;

    /**
     * Audited predictions of a window, features as stored (the model's order).
     *
     * @param from the start of the part of the window the rows were read from (later than asked
     *     for when the newest slices held enough rows)
     * @param to its end
     */
    public record Window(Instant from, Instant to, List<double[]> rows, double[] predictions) {
    }

    /**
     * At most {@code limit} audited predictions of {@code version} of {@code model} made in [from,
     * to), the newest first: the window is read in {@value #SLICES} slices from its end back, until
     * the limit is reached, so that a busy model's sample is its latest traffic rather than the
     * oldest rows of the hour.
     */
    public Window window(String model, String version, Instant from, Instant to, int limit) {
        List<double[]> rows = new ArrayList<>();
        List<Double> predictions = new ArrayList<>();
        Duration slice = Duration.between(from, to).dividedBy(SLICES);
        Instant covered = transactions.execute(status -> {
            jdbc.sql("SET LOCAL enable_seqscan = off").update();
            Instant start = to;
            while (rows.size() < limit && start.isAfter(from)) {
                Instant sliceFrom = slice.isZero() || start.minus(slice).isBefore(from) ? from : start.minus(slice);
                jdbc.sql(WINDOW).params(Timestamp.from(sliceFrom), Timestamp.from(start), model, version,
                        limit - rows.size()).query(rs -> {
                            Double[] boxed = (Double[]) rs.getArray("features").getArray();
                            double[] features = new double[boxed.length];
                            for (int i = 0; i < boxed.length; i++) {
                                features[i] = boxed[i];
                            }
                            rows.add(features);
                            predictions.add(rs.getDouble("prediction"));
                        });
                start = sliceFrom;
            }
            return start;
        });
        return new Window(covered == null ? to : covered, to, rows,
                predictions.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** The profile stored with a version, if it has one. */
    public Optional<FeatureProfile> profile(String model, String version) {
        return jdbc.sql("SELECT profile::text FROM model_versions WHERE model = ? AND label = ? AND profile IS NOT NULL")
                .params(model, version).query(String.class).optional()
                .map(text -> json.readValue(text, FeatureProfile.class));
    }

    /**
     * Stores a profile for a version that has none (an import without examples, from its first
     * scored window). A version's profile is never replaced: its reference stays put.
     *
     * @return the version's profile: this one, or the one another worker stored first
     */
    public FeatureProfile profileIfAbsent(String model, String version, FeatureProfile profile) {
        jdbc.sql("UPDATE model_versions SET profile = ?::jsonb WHERE model = ? AND label = ? AND profile IS NULL")
                .params(json.writeValueAsString(profile), model, version).update();
        return profile(model, version).orElseThrow();
    }

    /** Replaces the model's latest report. */
    public void save(DriftReport report) {
        jdbc.sql("""
                INSERT INTO model_drift (model, version, computed_at, report) VALUES (?, ?, ?, ?::jsonb)
                ON CONFLICT (model) DO UPDATE SET version = excluded.version, computed_at = excluded.computed_at,
                                                  report = excluded.report""")
                .params(report.model(), report.version(), Timestamp.from(report.computedAt()),
                        json.writeValueAsString(report))
                .update();
    }

    /** The model's latest report, if one was computed. */
    public Optional<DriftReport> latest(String model) {
        return jdbc.sql("SELECT report::text FROM model_drift WHERE model = ?").param(model).query(String.class)
                .optional().map(text -> json.readValue(text, DriftReport.class));
    }
}
