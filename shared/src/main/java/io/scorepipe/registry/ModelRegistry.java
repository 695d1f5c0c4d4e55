package io.scorepipe.registry;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

import io.scorepipe.scoring.LabelledRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionOperations;
import org.springframework.transaction.support.TransactionTemplate;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The registry of model versions in PostgreSQL ({@code model_versions}, {@code model_promotions}).
 *
 * <p>Every change runs in one transaction that first takes a transaction-scoped advisory lock, so
 * concurrent registrations, promotions and bootstraps from any number of processes are applied
 * one after the other. The partial unique index on the champion backs the one-champion rule in
 * the database itself. Thread-safe.
 */
public class ModelRegistry {

    private static final Logger log = LoggerFactory.getLogger(ModelRegistry.class);

    /** The advisory lock key that serialises registry changes (an arbitrary constant: "scorepip"). */
    static final long LOCK_KEY = 0x73636f7265706970L;

    /** The provenance entry that names the newest labelled example (its id) a version was trained on. */
    public static final String EXAMPLES_THROUGH = "examples_through_id";

    private static final TypeReference<Map<String, Object>> JSON_OBJECT = new TypeReference<>() {
    };

    private static final String COLUMNS = """
            version, label, status, feature_names, metrics::text AS metrics, provenance::text AS provenance,
            training_rows, created_at, promoted_at""";

    private static final String PROMOTIONS = """
            SELECT p.id, 'v' || p.version AS label,
                   CASE WHEN p.previous_version IS NULL THEN NULL ELSE 'v' || p.previous_version END AS previous_label,
                   p.reason, p.promoted_by, p.promoted_at
            FROM model_promotions p""";

    private final JdbcClient jdbc;
    private final TransactionOperations transactions;
    private final JsonMapper json = JsonMapper.builder().build();
    private final RowMapper<ModelVersion> versionMapper = this::mapVersion;

    public ModelRegistry(JdbcClient jdbc, TransactionOperations transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    /** A registry on {@code dataSource} with its own transaction manager. */
    public static ModelRegistry create(DataSource dataSource) {
        return new ModelRegistry(JdbcClient.create(dataSource),
                new TransactionTemplate(new DataSourceTransactionManager(dataSource)));
    }

    /** Registers a new candidate version, numbered one above the highest so far. */
    public ModelVersion register(NewModelVersion model) {
        return inLockedTransaction(() -> insert(model, ModelStatus.CANDIDATE));
    }

    /** The serving version, if any. */
    public Optional<ModelVersion> champion() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM model_versions WHERE status = 'champion'")
                .query(versionMapper).optional();
    }

    /** Just the champion's label: the cheap query that pollers run. */
    public Optional<String> championLabel() {
        return jdbc.sql("SELECT label FROM model_versions WHERE status = 'champion'").query(String.class).optional();
    }

    public Optional<ModelVersion> find(String label) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM model_versions WHERE label = ?")
                .param(label).query(versionMapper).optional();
    }

    /** The version trained on the newest labelled examples, if any was trained from examples. */
    public Optional<ModelVersion> latestTrainedFromExamples() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM model_versions WHERE provenance ->> '" + EXAMPLES_THROUGH
                        + "' IS NOT NULL ORDER BY (provenance ->> '" + EXAMPLES_THROUGH + "')::bigint DESC, version DESC LIMIT 1")
                .query(versionMapper).optional();
    }

    /** Every version, newest first. */
    public List<ModelVersion> list() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM model_versions ORDER BY version DESC").query(versionMapper).list();
    }

    /** A version with its model bytes. */
    public Optional<StoredModel> load(String label) {
        return jdbc.sql("SELECT " + COLUMNS + ", model_bytes FROM model_versions WHERE label = ?")
                .param(label)
                .query((rs, row) -> new StoredModel(mapVersion(rs, row), rs.getBytes("model_bytes")))
                .optional();
    }

    /**
     * Makes {@code label} the champion and retires the one before it. Promoting the champion
     * again changes nothing. Rolling back is promoting an older version.
     *
     * @param promotedBy who or what promoted it ({@code api}, {@code retrain}), for the history
     * @throws UnknownModelVersionException when no such version is registered
     */
    public ModelVersion promote(String label, String reason, String promotedBy) {
        return inLockedTransaction(() -> promoteLocked(label, reason, promotedBy));
    }

    /** The promotion history, newest first: {@code limit} entries after skipping {@code offset}. */
    public List<Promotion> promotions(int offset, int limit) {
        return jdbc.sql(PROMOTIONS + " ORDER BY p.promoted_at DESC, p.id DESC OFFSET ? LIMIT ?").params(offset, limit)
                .query(this::mapPromotion).list();
    }

    /** How many promotions the history holds. */
    public long promotionCount() {
        return jdbc.sql("SELECT count(*) FROM model_promotions").query(Long.class).single();
    }

    /** The latest promotion of {@code label}, if it was ever promoted. */
    public Optional<Promotion> lastPromotionOf(String label) {
        return jdbc.sql(PROMOTIONS + " WHERE p.version = (SELECT version FROM model_versions WHERE label = ?) ORDER BY p.promoted_at DESC, p.id DESC LIMIT 1")
                .param(label).query(this::mapPromotion).optional();
    }

    /** The latest promotion of every version that was ever promoted, by label. */
    public Map<String, Promotion> lastPromotions() {
        Map<String, Promotion> last = new HashMap<>();
        jdbc.sql(PROMOTIONS.replaceFirst("SELECT", "SELECT DISTINCT ON (p.version)")
                        + " ORDER BY p.version, p.promoted_at DESC, p.id DESC")
                .query(this::mapPromotion).list().forEach(promotion -> last.put(promotion.version(), promotion));
        return last;
    }

    /**
     * Undoes the latest promotion: the version that was champion before it serves again.
     *
     * @throws IllegalStateException when there is no earlier champion to return to
     */
    public ModelVersion rollback(String reason, String promotedBy) {
        return inLockedTransaction(() -> {
            Integer previous = jdbc.sql("""
                    SELECT previous_version FROM model_promotions ORDER BY promoted_at DESC, id DESC LIMIT 1""")
                    .query((rs, row) -> (Integer) rs.getObject(1)).optional().orElse(null);
            if (previous == null) {
                throw new IllegalStateException("nothing to roll back to: no version was champion before the current one");
            }
            return promoteLocked("v" + previous, reason, promotedBy);
        });
    }

    /**
     * Registers and promotes the first model when the registry is empty, and stores the labelled
     * rows it learnt from as training examples, so that retraining goes on from the same data. The
     * model is only built (by {@code firstModel}) when it is needed, while holding the registry
     * lock, so that any number of processes starting at once make exactly one version 1, in one
     * transaction with its examples.
     *
     * @return the new champion, or empty when the registry already had a version
     */
    public Optional<ModelVersion> bootstrapIfEmpty(Supplier<FirstModel> firstModel, String reason) {
        if (count() > 0) {
            return Optional.empty();
        }
        return Optional.ofNullable(inLockedTransaction(() -> {
            if (count() > 0) {
                return null;
            }
            FirstModel first = firstModel.get();
            insert(first.version(), ModelStatus.CANDIDATE);
            String[] names = first.version().featureNames().toArray(String[]::new);
            for (int i = 0; i < first.examples().size(); i++) {
                LabelledRow row = first.examples().get(i);
                jdbc.sql("""
                        INSERT INTO training_examples (feature_names, features, target, source, source_ref)
                        VALUES (?::text[], ?::float8[], ?, ?, ?) ON CONFLICT DO NOTHING""")
                        .params(names, Arrays.stream(row.features()).boxed().toArray(Double[]::new), row.target(),
                                first.source(), first.source() + ":" + (i + 1))
                        .update();
            }
            ModelVersion champion = promoteLocked("v1", reason, "bootstrap");
            log.info("Registry was empty: registered and promoted {} ({})", champion.label(), reason);
            return champion;
        }));
    }

    private int count() {
        return jdbc.sql("SELECT count(*) FROM model_versions").query(Integer.class).single();
    }

    /**
     * The first model and the labelled rows it was trained and judged on.
     *
     * @param version the model to register as version 1
     * @param examples its labelled rows, in the version's feature order
     * @param source what the examples are recorded as coming from
     */
    public record FirstModel(NewModelVersion version, List<LabelledRow> examples, String source) {

        public FirstModel {
            examples = List.copyOf(examples);
        }
    }

    private ModelVersion promoteLocked(String label, String reason, String promotedBy) {
        ModelVersion target = find(label).orElseThrow(() -> new UnknownModelVersionException(label));
        if (target.status() == ModelStatus.CHAMPION) {
            return target;
        }
        Integer previous = jdbc.sql("SELECT version FROM model_versions WHERE status = 'champion'")
                .query(Integer.class).optional().orElse(null);
        // Retire first: the one-champion index is checked per statement.
        jdbc.sql("UPDATE model_versions SET status = 'retired' WHERE status = 'champion'").update();
        // clock_timestamp(), not now(): the transaction may have started long before (a bootstrap trains in it)
        jdbc.sql("UPDATE model_versions SET status = 'champion', promoted_at = clock_timestamp() WHERE version = ?")
                .param(target.version()).update();
        jdbc.sql("""
                INSERT INTO model_promotions (version, previous_version, reason, promoted_by, promoted_at)
                VALUES (?, ?, ?, ?, clock_timestamp())""")
                .params(target.version(), previous, reason, promotedBy).update();
        log.info("Promoted {} (was {}) by {}: {}", label, previous == null ? "none" : "v" + previous, promotedBy, reason);
        return find(label).orElseThrow();
    }

    private ModelVersion insert(NewModelVersion model, ModelStatus status) {
        int version = jdbc.sql("""
                INSERT INTO model_versions (version, status, feature_names, metrics, provenance, training_rows, model_bytes,
                                            created_at)
                SELECT coalesce(max(version), 0) + 1, ?, ARRAY(SELECT jsonb_array_elements_text(?::jsonb)),
                       ?::jsonb, ?::jsonb, ?, ?, clock_timestamp()
                FROM model_versions
                RETURNING version""")
                .params(status.dbValue(), json.writeValueAsString(model.featureNames()),
                        json.writeValueAsString(model.metrics()), json.writeValueAsString(model.provenance()),
                        model.trainingRows(), model.modelBytes())
                .query(Integer.class).single();
        return find("v" + version).orElseThrow();
    }

    private <T> T inLockedTransaction(Supplier<@Nullable T> work) {
        return transactions.execute(status -> {
            jdbc.sql("SELECT pg_advisory_xact_lock(?)").param(LOCK_KEY).query().listOfRows();
            return work.get();
        });
    }

    private Promotion mapPromotion(ResultSet rs, int row) throws SQLException {
        return new Promotion(rs.getLong("id"), rs.getString("label"), rs.getString("previous_label"), rs.getString("reason"),
                rs.getString("promoted_by"), rs.getTimestamp("promoted_at").toInstant());
    }

    private ModelVersion mapVersion(ResultSet rs, int row) throws SQLException {
        Array names = rs.getArray("feature_names");
        Timestamp promoted = rs.getTimestamp("promoted_at");
        return new ModelVersion(rs.getInt("version"), rs.getString("label"), ModelStatus.fromDb(rs.getString("status")),
                Arrays.asList((String[]) names.getArray()), json.readValue(rs.getString("metrics"), JSON_OBJECT),
                json.readValue(rs.getString("provenance"), JSON_OBJECT), rs.getInt("training_rows"),
                rs.getTimestamp("created_at").toInstant(), promoted == null ? null : promoted.toInstant());
    }
}
