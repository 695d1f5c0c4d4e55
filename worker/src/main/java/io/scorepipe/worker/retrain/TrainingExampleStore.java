package io.scorepipe.worker.retrain;

import java.sql.Array;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionOperations;
import org.springframework.transaction.support.TransactionTemplate;

import io.scorepipe.scoring.FeatureSchema;
import io.scorepipe.scoring.LabelledRow;

/** The {@code training_examples} table: labelled rows in, and out in a model's feature order. */
class TrainingExampleStore {

    private final JdbcClient jdbc;
    private final JdbcTemplate streaming;
    private final TransactionOperations readOnly;

    TrainingExampleStore(DataSource dataSource) {
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
    record Example(long id, LabelledRow row) {
    }

    /** Stores examples whose features are in {@code schema}'s order, skipping a source reference seen before. */
    int add(FeatureSchema schema, List<LabelledRow> rows, String source, List<String> sourceRefs) {
        int inserted = 0;
        String[] names = schema.names().toArray(String[]::new);
        for (int i = 0; i < rows.size(); i++) {
            Double[] features = Arrays.stream(rows.get(i).features()).boxed().toArray(Double[]::new);
            inserted += jdbc.sql("""
                    INSERT INTO training_examples (feature_names, features, target, source, source_ref)
                    VALUES (?::text[], ?::float8[], ?, ?, ?) ON CONFLICT DO NOTHING""")
                    .params(names, features, rows.get(i).target(), source, sourceRefs.get(i)).update();
        }
        return inserted;
    }

    /**
     * The examples that have every feature of {@code schema}, reordered to it; the newest
     * {@code window} only when it is positive.
     */
    List<Example> load(FeatureSchema schema, int window) {
        String sql = "SELECT id, feature_names, features, target FROM training_examples WHERE feature_names @> ?::text[]"
                + (window > 0 ? " ORDER BY id DESC LIMIT " + window : "");
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
        }, (Object) schema.names().toArray(String[]::new)));
        return examples;
    }
}
