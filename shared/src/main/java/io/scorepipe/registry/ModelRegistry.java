package io.scorepipe.registry;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionOperations;
import org.springframework.transaction.support.TransactionTemplate;

import io.scorepipe.scoring.FeatureSchema;
import io.scorepipe.scoring.LabelledRow;
import io.scorepipe.scoring.ModelFormat;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The registry of named models and their versions in PostgreSQL ({@code models},
 * {@code model_versions}, {@code model_promotions}). Each model has its own feature schema, its
 * own version numbers and at most one champion.
 *
 * <p>Every change runs in one transaction that first takes a transaction-scoped advisory lock, so
 * concurrent creations, registrations, promotions and bootstraps from any number of processes are
 * applied one after the other. The partial unique index on the champion backs the one-champion
 * rule in the database itself. Thread-safe.
 */
public class ModelRegistry {

    private static final Logger log = LoggerFactory.getLogger(ModelRegistry.class);

    /** The advisory lock key that serialises registry changes (an arbitrary constant: "scorepip"). */
    static final long LOCK_KEY = 0x73636f7265706970L;

    /** The provenance entry that names the newest labelled example (its id) a version was trained on. */
    public static final String EXAMPLES_THROUGH = "examples_through_id";

    private static final TypeReference<Map<String, Object>> JSON_OBJECT = new TypeReference<>() {
    };

    /** A version's columns, of {@code model_versions v}. */
    private static final String COLUMNS = """
            v.model, v.version, v.label, v.status, v.feature_names, v.metrics::text AS metrics,
            v.provenance::text AS provenance, v.training_rows, v.model_format, v.created_at, v.promoted_at""";

    private static final String PROMOTIONS = """
            SELECT p.id, p.model, 'v' || p.version AS label,
                   CASE WHEN p.previous_version IS NULL THEN NULL ELSE 'v' || p.previous_version END AS previous_label,
                   p.reason, p.promoted_by, p.promoted_at
            FROM model_promotions p""";

    private static final String MODELS = """
            SELECT m.name, m.feature_names, m.target, m.origin, m.created_at,
                   (SELECT v.label FROM model_versions v WHERE v.model = m.name AND v.status = 'champion') AS champion,
                   (SELECT count(*) FROM model_versions v WHERE v.model = m.name) AS versions
            FROM models m""";

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

    // ---- models

    /** Every model, by name. */
    public List<ModelInfo> models() {
        return jdbc.sql(MODELS + " ORDER BY m.name").query(ModelRegistry::mapModel).list();
    }

    public Optional<ModelInfo> model(String name) {
        return jdbc.sql(MODELS + " WHERE m.name = ?").param(name).query(ModelRegistry::mapModel).optional();
    }

    /**
     * The model, which must exist.
     *
     * @throws UnknownModelException when there is no model of that name
     */
    public ModelInfo requireModel(String name) {
        return model(name).orElseThrow(() -> new UnknownModelException(name));
    }

    /**
     * Creates a model without versions, and runs {@code alsoInTransaction} (storing its examples,
     * say) in the same transaction, so that a failure leaves no trace of either.
     *
     * @throws ModelNameTakenException when the name is taken
     */
    public ModelInfo createModel(NewModel model, Runnable alsoInTransaction) {
        return inLockedTransaction(() -> {
            if (model(model.name()).isPresent()) {
                throw new ModelNameTakenException(model.name());
            }
            insertModel(model);
            alsoInTransaction.run();
            log.info("Created model {} ({}, {} features)", model.name(), model.origin(), model.featureNames().size());
            return requireModel(model.name());
        });
    }

    // ---- versions

    /**
     * Registers a new candidate version of {@code model}, numbered one above its highest so far.
     *
     * @throws UnknownModelException when there is no such model
     */
    public ModelVersion register(String model, NewModelVersion version) {
        return inLockedTransaction(() -> {
            requireModel(model);
            return insert(model, version);
        });
    }

    /**
     * Creates {@code model} when it does not exist yet, and registers {@code version} of it, in one
     * transaction: how a model imported from a file begins.
     */
    public ModelVersion registerCreating(NewModel model, NewModelVersion version) {
        return inLockedTransaction(() -> {
            if (model(model.name()).isEmpty()) {
                insertModel(model);
                log.info("Created model {} ({}, {} features)", model.name(), model.origin(), model.featureNames().size());
            }
            return insert(model.name(), version);
        });
    }

    /** The version of {@code model} that serves, if any. */
    public Optional<ModelVersion> champion(String model) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM model_versions v WHERE model = ? AND status = 'champion'")
                .param(model).query(versionMapper).optional();
    }

    /**
     * Every model, with its champion's label (empty while it has none): the one cheap query that
     * pollers run.
     */
    public Map<String, Optional<String>> championLabels() {
        Map<String, Optional<String>> labels = new HashMap<>();
        jdbc.sql("""
                SELECT m.name, v.label FROM models m
                LEFT JOIN model_versions v ON v.model = m.name AND v.status = 'champion'""")
                .query((rs, row) -> labels.put(rs.getString("name"), Optional.ofNullable(rs.getString("label")))).list();
        return labels;
    }

    public Optional<ModelVersion> find(String model, String label) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM model_versions v WHERE model = ? AND label = ?")
                .params(model, label).query(versionMapper).optional();
    }

    /** The version of {@code model} trained on the newest labelled examples, if any was trained from examples. */
    public Optional<ModelVersion> latestTrainedFromExamples(String model) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM model_versions v WHERE model = ? AND provenance ->> '"
                        + EXAMPLES_THROUGH + "' IS NOT NULL ORDER BY (provenance ->> '" + EXAMPLES_THROUGH
                        + "')::bigint DESC, version DESC LIMIT 1")
                .param(model).query(versionMapper).optional();
    }

    /** Every version of {@code model}, newest first. */
    public List<ModelVersion> list(String model) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM model_versions v WHERE model = ? ORDER BY version DESC")
                .param(model).query(versionMapper).list();
    }

    /** A version with its model bytes and its model's feature order. */
    public Optional<StoredModel> load(String model, String label) {
        return jdbc.sql("SELECT " + COLUMNS + ", v.model_bytes, m.feature_names AS model_features "
                        + "FROM model_versions v JOIN models m ON m.name = v.model WHERE v.model = ? AND v.label = ?")
                .params(model, label)
                .query((rs, row) -> new StoredModel(mapVersion(rs, row),
                        Arrays.asList((String[]) rs.getArray("model_features").getArray()), rs.getBytes("model_bytes")))
                .optional();
    }

    /**
     * Makes {@code label} the champion of {@code model} and retires the one before it. Promoting
     * the champion again changes nothing. Rolling back is promoting an older version.
     *
     * @param promotedBy who or what promoted it ({@code api}, {@code retrain}), for the history
     * @throws UnknownModelVersionException when no such version is registered
     */
    public ModelVersion promote(String model, String label, String reason, String promotedBy) {
        return inLockedTransaction(() -> promoteLocked(model, label, reason, promotedBy));
    }

    /** {@code model}'s promotion history, newest first: {@code limit} entries after skipping {@code offset}. */
    public List<Promotion> promotions(String model, int offset, int limit) {
        return jdbc.sql(PROMOTIONS + " WHERE p.model = ? ORDER BY p.promoted_at DESC, p.id DESC OFFSET ? LIMIT ?")
                .params(model, offset, limit).query(this::mapPromotion).list();
    }

    /** How many promotions {@code model}'s history holds. */
    public long promotionCount(String model) {
        return jdbc.sql("SELECT count(*) FROM model_promotions WHERE model = ?").param(model).query(Long.class).single();
    }

    /** The latest promotion of {@code label}, if it was ever promoted. */
    public Optional<Promotion> lastPromotionOf(String model, String label) {
        return jdbc.sql(PROMOTIONS + " WHERE p.model = ? AND 'v' || p.version = ? ORDER BY p.promoted_at DESC, p.id DESC "
                        + "LIMIT 1")
                .params(model, label).query(this::mapPromotion).optional();
    }

    /** The latest promotion of every version of {@code model} that was ever promoted, by label. */
    public Map<String, Promotion> lastPromotions(String model) {
        Map<String, Promotion> last = new HashMap<>();
        jdbc.sql(PROMOTIONS.replaceFirst("SELECT", "SELECT DISTINCT ON (p.version)")
                        + " WHERE p.model = ? ORDER BY p.version, p.promoted_at DESC, p.id DESC")
                .param(model).query(this::mapPromotion).list().forEach(promotion -> last.put(promotion.version(), promotion));
        return last;
    }

    /**
     * Undoes {@code model}'s latest promotion: the version that was champion before it serves again.
     *
     * @throws IllegalStateException when there is no earlier champion to return to
     */
    public ModelVersion rollback(String model, String reason, String promotedBy) {
        return inLockedTransaction(() -> {
            requireModel(model);
            Integer previous = jdbc.sql("""
                    SELECT previous_version FROM model_promotions WHERE model = ? ORDER BY promoted_at DESC, id DESC LIMIT 1""")
                    .param(model).query((rs, row) -> (Integer) rs.getObject(1)).optional().orElse(null);
            if (previous == null) {
                throw new IllegalStateException("nothing to roll back to: no version of " + model
                        + " was champion before the current one");
            }
            return promoteLocked(model, "v" + previous, reason, promotedBy);
        });
    }

    /**
     * Creates the sample model, registers and promotes its first version when the registry has no
     * model at all, and stores the labelled rows it learnt from as training examples, so that
     * retraining goes on from the same data. The model is only built (by {@code firstModel}) when
     * it is needed, while holding the registry lock, so that any number of processes starting at
     * once make exactly one version 1, in one transaction with its examples.
     *
     * @return the new champion, or empty when the registry already had a model
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
            insertModel(first.model());
            String name = first.model().name();
            insert(name, first.version());
            List<String> refs = new ArrayList<>(first.examples().size());
            for (int i = 0; i < first.examples().size(); i++) {
                refs.add(first.source() + ":" + (i + 1));
            }
            first.store().add(name, FeatureSchema.of(first.version().featureNames()), first.examples(), first.source(),
                    refs);
            ModelVersion champion = promoteLocked(name, "v1", reason, "bootstrap");
            log.info("Registry was empty: created model {}, registered and promoted {} ({})", name, champion.label(), reason);
            return champion;
        }));
    }

    private int count() {
        return jdbc.sql("SELECT count(*) FROM models").query(Integer.class).single();
    }

    /**
     * The first model and the labelled rows it was trained and judged on.
     *
     * @param model the model to create
     * @param version its version 1
     * @param examples its labelled rows, in the version's feature order
     * @param source what the examples are recorded as coming from
     * @param store where they are stored
     */
    public record FirstModel(NewModel model, NewModelVersion version, List<LabelledRow> examples, String source,
            TrainingExamples store) {

        public FirstModel {
            examples = List.copyOf(examples);
        }
    }

    private void insertModel(NewModel model) {
        jdbc.sql("""
                INSERT INTO models (name, feature_names, target, origin, created_at)
                VALUES (?, ?::text[], ?, ?, clock_timestamp())""")
                .params(model.name(), model.featureNames().toArray(String[]::new), model.target(), model.origin())
                .update();
    }

    private ModelVersion promoteLocked(String model, String label, String reason, String promotedBy) {
        ModelVersion target = find(model, label).orElseThrow(() -> new UnknownModelVersionException(model, label));
        if (target.status() == ModelStatus.CHAMPION) {
            return target;
        }
        Integer previous = jdbc.sql("SELECT version FROM model_versions WHERE model = ? AND status = 'champion'")
                .param(model).query(Integer.class).optional().orElse(null);
        // Retire first: the one-champion index is checked per statement.
        jdbc.sql("UPDATE model_versions SET status = 'retired' WHERE model = ? AND status = 'champion'").param(model)
                .update();
        // clock_timestamp(), not now(): the transaction may have started long before (a bootstrap trains in it)
        jdbc.sql("""
                UPDATE model_versions SET status = 'champion', promoted_at = clock_timestamp()
                WHERE model = ? AND version = ?""").params(model, target.version()).update();
        jdbc.sql("""
                INSERT INTO model_promotions (model, version, previous_version, reason, promoted_by, promoted_at)
                VALUES (?, ?, ?, ?, ?, clock_timestamp())""")
                .params(model, target.version(), previous, reason, promotedBy).update();
        log.info("Promoted {} {} (was {}) by {}: {}", model, label, previous == null ? "none" : "v" + previous, promotedBy,
                reason);
        return find(model, label).orElseThrow();
    }

    private ModelVersion insert(String model, NewModelVersion version) {
        int number = jdbc.sql("""
                INSERT INTO model_versions (model, version, status, feature_names, metrics, provenance, training_rows,
                                            model_format, model_bytes, profile, created_at)
                SELECT ?, coalesce(max(version), 0) + 1, 'candidate', ARRAY(SELECT jsonb_array_elements_text(?::jsonb)),
                       ?::jsonb, ?::jsonb, ?, ?, ?, ?::jsonb, clock_timestamp()
                FROM model_versions WHERE model = ?
                RETURNING version""")
                .params(model, json.writeValueAsString(version.featureNames()), json.writeValueAsString(version.metrics()),
                        json.writeValueAsString(version.provenance()), version.trainingRows(), version.format().dbValue(),
                        version.modelBytes(), version.profile() == null ? null : json.writeValueAsString(version.profile()),
                        model)
                .query(Integer.class).single();
        return find(model, "v" + number).orElseThrow();
    }

    private <T> T inLockedTransaction(Supplier<@Nullable T> work) {
        return transactions.execute(status -> {
            jdbc.sql("SELECT pg_advisory_xact_lock(?)").param(LOCK_KEY).query().listOfRows();
            return work.get();
        });
    }

    private static ModelInfo mapModel(ResultSet rs, int row) throws SQLException {
        return new ModelInfo(rs.getString("name"), Arrays.asList((String[]) rs.getArray("feature_names").getArray()),
                rs.getString("target"), rs.getString("origin"), rs.getTimestamp("created_at").toInstant(),
                rs.getString("champion"), rs.getInt("versions"));
    }

    private Promotion mapPromotion(ResultSet rs, int row) throws SQLException {
        return new Promotion(rs.getLong("id"), rs.getString("model"), rs.getString("label"), rs.getString("previous_label"),
                rs.getString("reason"), rs.getString("promoted_by"), rs.getTimestamp("promoted_at").toInstant());
    }

    private ModelVersion mapVersion(ResultSet rs, int row) throws SQLException {
        Array names = rs.getArray("feature_names");
        Timestamp promoted = rs.getTimestamp("promoted_at");
        return new ModelVersion(rs.getString("model"), rs.getInt("version"), rs.getString("label"),
                ModelStatus.fromDb(rs.getString("status")), Arrays.asList((String[]) names.getArray()),
                json.readValue(rs.getString("metrics"), JSON_OBJECT), json.readValue(rs.getString("provenance"), JSON_OBJECT),
                rs.getInt("training_rows"), ModelFormat.fromDb(rs.getString("model_format")),
                rs.getTimestamp("created_at").toInstant(), promoted == null ? null : promoted.toInstant());
    }
}
