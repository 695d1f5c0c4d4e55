package io.scorepipe.drift;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import com.zaxxer.hikari.HikariDataSource;

import io.scorepipe.registry.ModelRegistry;
import io.scorepipe.registry.NewModel;
import io.scorepipe.registry.NewModelVersion;
import io.scorepipe.scoring.ModelFormat;
import io.scorepipe.testing.TestDatabases;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The drift job's reading against a real audit table of a million rows, most of them old. */
class DriftStoreIT {

    private static final int OLD_ROWS = 1_000_000;
    private static final int RECENT_ROWS = 3_000;

    private HikariDataSource dataSource;
    private JdbcClient jdbc;
    private DriftStore store;
    private TransactionTemplate transactions;

    @BeforeEach
    void migrate() {
        dataSource = TestDatabases.migrated("drift");
        jdbc = JdbcClient.create(dataSource);
        transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        store = new DriftStore(jdbc, transactions);
        jdbc.sql("INSERT INTO models (name, feature_names, origin) VALUES ('diabetes', '{a,b}', 'sample')").update();
    }

    @AfterEach
    void close() {
        dataSource.close();
    }

    @Test
    void aWindowIsReadFromItsOwnPagesHoweverLargeTheTable() throws Exception {
        // given a million audited predictions from two days ago (a and b uniform on [0, 1)), their block
        // ranges summarised as autovacuum leaves them, and then a few thousand recent ones with b shifted up
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        jdbc.sql("""
                INSERT INTO prediction_audit (prediction_id, source, model, model_version, features, prediction, created_at)
                SELECT lpad(to_hex(g), 32, '0')::uuid, 'api', 'diabetes', 'v1', ARRAY[random(), random()], random(),
                       now() - interval '2 days' + g * interval '1 millisecond'
                FROM generate_series(1, ?) AS g""").param(OLD_ROWS).update();
        jdbc.sql("SELECT brin_summarize_new_values('prediction_audit_created_at')").query().listOfRows();
        jdbc.sql("SELECT brin_summarize_new_values('prediction_audit_model_version')").query().listOfRows();
        jdbc.sql("""
                INSERT INTO prediction_audit (prediction_id, source, model, model_version, features, prediction, created_at)
                SELECT lpad(to_hex(? + g), 32, '0')::uuid, 'api', 'diabetes', 'v1', ARRAY[random(), 0.9 + random() / 10],
                       random(), now() - interval '10 minutes' + g * interval '100 milliseconds'
                FROM generate_series(1, ?) AS g""").params(OLD_ROWS, RECENT_ROWS).update();

        // when the job reads the last hour
        Instant from = now.minus(Duration.ofHours(1));
        Instant to = now.plusSeconds(1);
        long started = System.nanoTime();
        DriftStore.Window window = store.window("diabetes", "v1", from, to, 10_000);
        long readMillis = (System.nanoTime() - started) / 1_000_000;

        // then it holds the recent rows and none of the old
        assertThat(window.rows()).hasSize(RECENT_ROWS);
        assertThat(window.rows()).allSatisfy(row -> assertThat(row[1]).isGreaterThanOrEqualTo(0.9));

        // and PostgreSQL read a small part of the table to find them
        long tableBlocks = jdbc.sql("SELECT pg_relation_size('prediction_audit') / current_setting('block_size')::int")
                .query(Long.class).single();
        long blocksRead = blocksRead(from, to);
        System.out.printf("drift window: %d of %d audited predictions in %d ms, %d of the table's %d blocks%n",
                window.rows().size(), OLD_ROWS + RECENT_ROWS, readMillis, blocksRead, tableBlocks);
        assertThat(blocksRead).isLessThan(tableBlocks / 20);

        // and a sample is a sample: the limit holds, and it is taken from the newest slices of the window
        // (the recent rows lie 10 to 5 minutes back; the window is read in 5-minute slices from its end)
        DriftStore.Window sample = store.window("diabetes", "v1", from, to, 500);
        assertThat(sample.rows()).hasSize(500);
        assertThat(sample.from()).isAfter(now.minus(Duration.ofMinutes(11))).isBefore(now.minus(Duration.ofMinutes(5)));
        assertThat(window.from()).isEqualTo(from);

        // and the report made from it marks b, and comes back from the table as it went in
        List<double[]> training = new ArrayList<>();
        double[] predictions = new double[1000];
        for (int i = 0; i < 1000; i++) {
            training.add(new double[] {i / 1000.0, (i * 7 % 1000) / 1000.0});
            predictions[i] = i / 1000.0;
        }
        FeatureProfile profile = FeatureProfile.of("uniform rows", List.of("a", "b"), training, predictions);
        DriftReport report = DriftReport.compare("diabetes", "v1", profile, List.of("a", "b"), window.rows(),
                window.predictions(), from, to, now);
        store.save(report);
        assertThat(store.latest("diabetes")).contains(report);
        assertThat(report.shiftedFeatures()).containsExactly("b");

        // what one round of the job costs on this table: read the window, compare, store (after a first, warming round)
        long round = 0;
        for (int i = 0; i < 3; i++) {
            long begun = System.nanoTime();
            DriftStore.Window again = store.window("diabetes", "v1", from, to, 10_000);
            store.save(DriftReport.compare("diabetes", "v1", profile, List.of("a", "b"), again.rows(), again.predictions(),
                    from, to, now));
            round = (System.nanoTime() - begun) / 1_000_000;
        }
        System.out.printf("drift job round: %d ms (window read, compared and stored) on %d audited predictions%n", round,
                OLD_ROWS + RECENT_ROWS);
    }

    @Test
    void aVersionKeepsTheProfileItWasRegisteredWithAndOneWithoutTakesTheFirstItIsGiven() {
        ModelRegistry registry = ModelRegistry.create(dataSource);
        FeatureProfile trained = FeatureProfile.of("the 3 rows it was trained on", List.of("a", "b"),
                List.of(new double[] {1, 2}, new double[] {3, 4}, new double[] {5, 6}), new double[] {1, 2, 3});
        registry.registerCreating(new NewModel("trained", List.of("a", "b"), "y", "csv"), new NewModelVersion(
                List.of("a", "b"), Map.of(), Map.of(), 3, ModelFormat.TRIBUO, new byte[] {1}, trained));
        registry.registerCreating(new NewModel("imported", List.of("a", "b"), null, "import"), new NewModelVersion(
                List.of("a", "b"), Map.of(), Map.of(), 0, ModelFormat.ONNX, new byte[] {1}));

        assertThat(store.profile("trained", "v1")).contains(trained);
        assertThat(store.profile("imported", "v1")).isEmpty();

        FeatureProfile firstWindow = FeatureProfile.of("its first scored window", List.of("a", "b"),
                List.of(new double[] {7, 8}), new double[] {9});
        assertThat(store.profileIfAbsent("imported", "v1", firstWindow)).isEqualTo(firstWindow);
        FeatureProfile later = FeatureProfile.of("a later window", List.of("a", "b"), List.of(new double[] {0, 0}),
                new double[] {0});
        assertThat(store.profileIfAbsent("imported", "v1", later)).isEqualTo(firstWindow);
        assertThat(store.profileIfAbsent("trained", "v1", later)).isEqualTo(trained);
    }

    /** Shared blocks (hit and read) of the job's query, as EXPLAIN (ANALYZE, BUFFERS) counts them. */
    private long blocksRead(Instant from, Instant to) throws Exception {
        String plan = transactions.execute(status -> {
            jdbc.sql("SET LOCAL enable_seqscan = off").update();
            return jdbc.sql("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + DriftStore.WINDOW)
                    .params(java.sql.Timestamp.from(from), java.sql.Timestamp.from(to), "diabetes", "v1", 10_000)
                    .query(String.class).single();
        });
        JsonNode top = JsonMapper.builder().build().readTree(plan).get(0).get("Plan");
        return top.get("Shared Hit Blocks").asLong() + top.get("Shared Read Blocks").asLong();
    }
}
