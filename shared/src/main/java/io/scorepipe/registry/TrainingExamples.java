package io.scorepipe.registry;

import java.sql.Array;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionOperations;
import org.springframework.transaction.support.TransactionTemplate;

import io.scorepipe.scoring.FeatureSchema;
import io.scorepipe.scoring.LabelledRow;
import io.scorepipe.system.SqlArrays;

/**
 * The {@code training_examples} table: each model's labelled rows, in, and out in the model's
 * feature order. Writes join the caller's transaction when there is one (a model created with its
 * examples is one transaction). Thread-safe.
 */
public class TrainingExamples {

    /** Rows per INSERT: one statement of column arrays each. */
    private static final int ROWS_PER_STATEMENT = 2_000;

    private final JdbcClient jdbc;
    private final JdbcTemplate streaming;
    private final TransactionOperations readOnly;

    public TrainingExamples(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
        // PostgreSQL's driver streams a result only with a fetch size inside a transaction;
        // otherwise a million examples would sit in memory twice, as rows and as examples
        this.streaming = new JdbcTemplate(dataSource);
        this.streaming.setFetchSize(10_000);
        TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        transactions.setReadOnly(true);
        this.readOnly = transactions;
    }

    /**
     * One labelled example and its id.
     *
     * @param id the row id, which decides the held-out split
     * @param row features in schema order, and the target
     */
    public record Example(long id, LabelledRow row) {
    }

    /**
     * Stores examples of {@code model} whose features are in {@code schema}'s order, skipping a
     * source reference seen before for the model.
     *
     * @param sourceRefs one per row, each naming where the row came from (a file and line, a record)
     * @return how many were stored
     */
    public int add(String model, FeatureSchema schema, List<LabelledRow> rows, String source, List<String> sourceRefs) {
        if (rows.size() != sourceRefs.size()) {
            throw new IllegalArgumentException(rows.size() + " rows but " + sourceRefs.size() + " source references");
        }
        String[] names = schema.names().toArray(String[]::new);
        int inserted = 0;
        for (int from = 0; from < rows.size(); from += ROWS_PER_STATEMENT) {
            int to = Math.min(rows.size(), from + ROWS_PER_STATEMENT);
            String[] features = new String[to - from];
            Double[] targets = new Double[to - from];
            String[] refs = new String[to - from];
            for (int i = from; i < to; i++) {
                LabelledRow row = rows.get(i);
                if (row.features().length != names.length) {
                    throw new IllegalArgumentException("example " + (i + 1) + " has " + row.features().length
                            + " features; the schema has " + names.length);
                }
                features[i - from] = SqlArrays.literal(row.features());
                targets[i - from] = row.target();
                refs[i - from] = sourceRefs.get(i);
            }
            inserted += jdbc.sql("""
                    INSERT INTO training_examples (model, feature_names, features, target, source, source_ref)
                    SELECT ?, ?::text[], f::float8[], t, ?, r FROM unnest(?::text[], ?::float8[], ?::text[]) AS u(f, t, r)
                    ON CONFLICT DO NOTHING""")
                    .params(model, names, source, features, targets, refs).update();
        }
        return inserted;
    }

    /**
     * The examples of {@code model} that have every feature of {@code schema}, reordered to it;
     * the newest {@code window} only when it is positive. Oldest first.
     */
    public List<Example> load(String model, FeatureSchema schema, int window) {
        String sql = "SELECT id, feature_names, features, target FROM training_examples WHERE model = ? "
                + "AND feature_names @> ?::text[]" + (window > 0 ? " ORDER BY id DESC LIMIT " + window : " ORDER BY id");
        List<Example> examples = new ArrayList<>();
        readOnly.executeWithoutResult(status -> streaming.query(sql, rs -> {
            String[] names = (String[]) rs.getArray("feature_names").getArray();
            Array values = rs.getArray("features");
            Double[] features = (Double[]) values.getArray();
            double[] ordered = new double[schema.size()];
            for (int i = 0; i < names.length; i++) {
                int position = schema.indexOf(names[i]);
                if (position >= 0) {
                    ordered[position] = features[i];
                }
            }
            examples.add(new Example(rs.getLong("id"), new LabelledRow(ordered, rs.getDouble("target"))));
        }, model, (Object) schema.names().toArray(String[]::new)));
        if (window > 0) {
            examples.sort((a, b) -> Long.compare(a.id(), b.id()));
        }
        return examples;
    }

    /** The id of {@code model}'s newest example; 0 when it has none. */
    public long newestId(String model) {
        return jdbc.sql("SELECT coalesce(max(id), 0) FROM training_examples WHERE model = ?").param(model)
                .query(Long.class).single();
    }

    /** How many examples {@code model} has. */
    public long count(String model) {
        return jdbc.sql("SELECT count(*) FROM training_examples WHERE model = ?").param(model).query(Long.class).single();
    }
}
