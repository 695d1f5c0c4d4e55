package io.scorepipe.registry;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Arrays;
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

    private static final TypeReference<Map<String, Object>> JSON_OBJECT = new TypeReference<>() {
    };

    private static final String COLUMNS = """
            version, label, status, feature_names, metrics::text AS metrics, provenance::text AS provenance,
            training_rows, created_at, promoted_at""";

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
     * @throws UnknownModelVersionException when no such version is registered
     */
    public ModelVersion promote(String label, String reason) {
        return inLockedTransaction(() -> promoteLocked(label, reason));
    }

    /**
     * Undoes the latest promotion: the version that was champion before it serves again.
     *
     * @throws IllegalStateException when there is no earlier champion to return to
     */
    public ModelVersion rollback(String reason) {
        return inLockedTransaction(() -> {
            Integer previous = jdbc.sql("""
                    SELECT previous_version FROM model_promotions ORDER BY promoted_at DESC, id DESC LIMIT 1""")
                    .query((rs, row) -> (Integer) rs.getObject(1)).optional().orElse(null);
            if (previous == null) {
                throw new IllegalStateException("nothing to roll back to: no version was champion before the current one");
            }
            return promoteLocked("v" + previous, reason);
        });
    }

    /**
     * Registers and promotes the first model when the registry is empty. The model is only built
     * (by {@code firstModel}) when it is needed, while holding the registry lock, so that any
     * number of processes starting at once make exactly one version 1.
     *
     * @return the new champion, or empty when the registry already had a version
     */
    public Optional<ModelVersion> bootstrapIfEmpty(Supplier<NewModelVersion> firstModel, String reason) {
        if (count() > 0) {
            return Optional.empty();
        }
        return Optional.ofNullable(inLockedTransaction(() -> {
            if (count() > 0) {
                return null;
            }
            insert(firstModel.get(), ModelStatus.CANDIDATE);
            ModelVersion champion = promoteLocked("v1", reason);
            log.info("Registry was empty: registered and promoted {} ({})", champion.label(), reason);
            return champion;
        }));
    }

    private int count() {
        return jdbc.sql("SELECT count(*) FROM model_versions").query(Integer.class).single();
    }

    private ModelVersion promoteLocked(String label, String reason) {
        ModelVersion target = find(label).orElseThrow(() -> new UnknownModelVersionException(label));
        if (target.status() == ModelStatus.CHAMPION) {
            return target;
        }
        Integer previous = jdbc.sql("SELECT version FROM model_versions WHERE status = 'champion'")
                .query(Integer.class).optional().orElse(null);
        // Retire first: the one-champion index is checked per statement.
        jdbc.sql("UPDATE model_versions SET status = 'retired' WHERE status = 'champion'").update();
        jdbc.sql("UPDATE model_versions SET status = 'champion', promoted_at = now() WHERE version = ?")
                .param(target.version()).update();
        jdbc.sql("INSERT INTO model_promotions (version, previous_version, reason) VALUES (?, ?, ?)")
                .params(target.version(), previous, reason).update();
        log.info("Promoted {} (was {}): {}", label, previous == null ? "none" : "v" + previous, reason);
        return find(label).orElseThrow();
    }

    private ModelVersion insert(NewModelVersion model, ModelStatus status) {
        int version = jdbc.sql("""
                INSERT INTO model_versions (version, status, feature_names, metrics, provenance, training_rows, model_bytes)
                SELECT coalesce(max(version), 0) + 1, ?, ARRAY(SELECT jsonb_array_elements_text(?::jsonb)),
                       ?::jsonb, ?::jsonb, ?, ?
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

    private ModelVersion mapVersion(ResultSet rs, int row) throws SQLException {
        Array names = rs.getArray("feature_names");
        Timestamp promoted = rs.getTimestamp("promoted_at");
        return new ModelVersion(rs.getInt("version"), rs.getString("label"), ModelStatus.fromDb(rs.getString("status")),
                Arrays.asList((String[]) names.getArray()), json.readValue(rs.getString("metrics"), JSON_OBJECT),
                json.readValue(rs.getString("provenance"), JSON_OBJECT), rs.getInt("training_rows"),
                rs.getTimestamp("created_at").toInstant(), promoted == null ? null : promoted.toInstant());
    }
}
