package io.scorepipe.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import com.zaxxer.hikari.HikariDataSource;

import io.scorepipe.testing.TestDatabases;

class AuditWriterIT {

    private HikariDataSource dataSource;
    private AuditWriter writer;
    private JdbcClient jdbc;

    @BeforeEach
    void migrate() {
        dataSource = TestDatabases.migrated("audit");
        writer = new AuditWriter(new JdbcTemplate(dataSource));
        jdbc = JdbcClient.create(dataSource);
    }

    @AfterEach
    void close() {
        dataSource.close();
    }

    @Test
    void rowsKeepEveryValueExactly() {
        AuditRecord record = new AuditRecord(UUID.randomUUID(), AuditSource.STREAM, "r\toute", "topic:1:42",
                "tab\there\\ and\nnewline",
                "houses", "v3", new double[] {0.1, -2.5e-300, Double.MAX_VALUE, 0.0}, 151.20000000000002, true, 17,
                Instant.now().truncatedTo(ChronoUnit.MICROS));

        assertThat(writer.copy(List.of(record))).isOne();

        var row = jdbc.sql("""
                SELECT source, route, source_ref, request_id, model, model_version, features, prediction, cache_hit,
                       latency_micros, created_at
                FROM prediction_audit WHERE prediction_id = ?""").param(record.predictionId()).query().singleRow();
        assertThat(row.get("source")).isEqualTo("stream");
        assertThat(row.get("route")).isEqualTo("r\toute");
        assertThat(row.get("source_ref")).isEqualTo("topic:1:42");
        assertThat(row.get("request_id")).isEqualTo("tab\there\\ and\nnewline");
        assertThat(row.get("model")).isEqualTo("houses");
        assertThat(row.get("model_version")).isEqualTo("v3");
        assertThat(storedFeatures(record)).containsExactly(0.1, -2.5e-300, Double.MAX_VALUE, 0.0);
        assertThat(row.get("prediction")).isEqualTo(151.20000000000002);
        assertThat(row.get("cache_hit")).isEqualTo(true);
        assertThat(row.get("latency_micros")).isEqualTo(17L);
        assertThat(((Timestamp) row.get("created_at")).toInstant()).isEqualTo(record.createdAt());
    }

    @Test
    void copyAndInsertBothSkipWhatIsStoredAlready() {
        List<AuditRecord> first = records(100, "batch-a");
        List<AuditRecord> overlapping = new ArrayList<>(first.subList(50, 100));
        overlapping.addAll(records(30, "batch-b"));

        assertThat(writer.copy(first)).isEqualTo(100);
        assertThat(writer.copy(overlapping)).isEqualTo(30);
        assertThat(writer.write(overlapping)).isZero();
        assertThat(count()).isEqualTo(130);
    }

    @Test
    void aDuplicateInsideATransactionDoesNotAbortIt() {
        List<AuditRecord> stored = records(10, "tx");
        writer.copy(stored);
        var transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));

        transactions.executeWithoutResult(status -> {
            writer.copy(stored.subList(0, 5));
            writer.copy(records(7, "tx-more"));
        });

        assertThat(count()).isEqualTo(17);
    }

    @Test
    void binaryCopyKeepsMultiByteTextAndNegativeZeroAndRoundsNanosecondsAsTheTextFormatDid() {
        // given times with nanoseconds (halves among them), each paired with what PostgreSQL made of its text
        Map<String, String> storedAs = Map.of(
                "2026-12-05T02:10:17.123456789Z", "2026-12-05T02:10:17.123457Z",
                "2026-12-05T02:10:17.000002500Z", "2026-12-05T02:10:17.000002Z",
                "2026-12-05T02:10:17.000001500Z", "2026-12-05T02:10:17.000002Z",
                "2026-12-05T02:10:59.999999500Z", "2026-12-05T02:11:00Z",
                "1999-12-31T23:59:59.999999500Z", "2000-01-01T00:00:00Z",
                "1969-12-31T23:59:59.000000500Z", "1969-12-31T23:59:59Z");
        List<AuditRecord> records = storedAs.keySet().stream().map(time -> new AuditRecord(UUID.randomUUID(),
                AuditSource.API, "é", "日本:1", "emoji 😀, é and 日本", "houses", "v日本",
                new double[] {-0.0, Double.MIN_VALUE, -Double.MAX_VALUE, 1.0 / 3}, -0.0, false, Long.MAX_VALUE,
                Instant.parse(time))).toList();

        // when
        assertThat(writer.copy(records)).isEqualTo(records.size());

        // then
        for (AuditRecord record : records) {
            var row = jdbc.sql("""
                    SELECT route, source_ref, request_id, model, model_version, prediction, latency_micros, created_at,
                           created_at = CAST(? AS timestamptz) AS as_from_text
                    FROM prediction_audit WHERE prediction_id = ?""")
                    .params(record.createdAt().toString(), record.predictionId()).query().singleRow();
            assertThat(row.get("route")).isEqualTo("é");
            assertThat(row.get("source_ref")).isEqualTo("日本:1");
            assertThat(row.get("request_id")).isEqualTo("emoji 😀, é and 日本");
            assertThat(row.get("model")).isEqualTo("houses");
            assertThat(row.get("model_version")).isEqualTo("v日本");
            // Double.equals tells -0.0 from 0.0
            assertThat(storedFeatures(record)).containsExactly(-0.0, Double.MIN_VALUE, -Double.MAX_VALUE, 1.0 / 3);
            assertThat(row.get("prediction")).isEqualTo(-0.0);
            assertThat(row.get("latency_micros")).isEqualTo(Long.MAX_VALUE);
            assertThat(((Timestamp) row.get("created_at")).toInstant()).as(record.createdAt().toString())
                    .isEqualTo(Instant.parse(storedAs.get(record.createdAt().toString())));
            assertThat(row.get("as_from_text")).as(record.createdAt().toString()).isEqualTo(true);
        }
    }

    @Test
    void whatPostgreSqlCannotHoldIsRefusedAsContentAndNothingOfTheCopyIsStored() {
        // given records a foreign producer could send: the audit sink stores the others one by one
        // when copy throws DataIntegrityViolationException, so that is what copy must throw
        List<AuditRecord> good = records(3, "around");
        List<AuditRecord> refused = List.of(
                new AuditRecord(UUID.randomUUID(), AuditSource.API, null, null, "nul-\u0000", "diabetes", "v1",
                        new double[] {1, 2}, 3, false, 100, Instant.now()),
                new AuditRecord(UUID.randomUUID(), AuditSource.API, null, null, "far-future", "diabetes", "v1",
                        new double[] {1, 2}, 3, false, 100, Instant.parse("+300000-01-01T00:00:00Z")),
                new AuditRecord(UUID.randomUUID(), AuditSource.API, null, null, "end-of-time", "diabetes", "v1",
                        new double[] {1, 2}, 3, false, 100, Instant.MAX),
                new AuditRecord(UUID.randomUUID(), AuditSource.API, null, null, "start-of-time", "diabetes", "v1",
                        new double[] {1, 2}, 3, false, 100, Instant.MIN));

        for (AuditRecord bad : refused) {
            // when
            List<AuditRecord> chunk = new ArrayList<>(good);
            chunk.add(1, bad);

            // then
            assertThatThrownBy(() -> writer.copy(chunk)).as(bad.requestId())
                    .isInstanceOf(DataIntegrityViolationException.class);
            assertThat(count()).isZero();
        }
        // and the pool's connections are fit for the next COPY
        assertThat(writer.copy(good)).isEqualTo(3);
    }

    @Test
    void aCopyLargerThanOnePieceStoresEveryRow() {
        // given more than 64 KB of payload, sent in several CopyData messages
        List<AuditRecord> records = records(2_000, "pieces-" + "p".repeat(40));

        // when
        int inserted = writer.copy(records);

        // then
        assertThat(inserted).isEqualTo(2_000);
        assertThat(count()).isEqualTo(2_000);
    }

    private Double[] storedFeatures(AuditRecord record) {
        return jdbc.sql("SELECT features FROM prediction_audit WHERE prediction_id = ?").param(record.predictionId())
                .query((rs, n) -> (Double[]) rs.getArray(1).getArray()).single();
    }

    private int count() {
        return jdbc.sql("SELECT count(*) FROM prediction_audit").query(Integer.class).single();
    }

    private static List<AuditRecord> records(int count, String batch) {
        List<AuditRecord> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            records.add(new AuditRecord(UUID.randomUUID(), AuditSource.BATCH, null, batch + ":" + i, null, "diabetes", "v1",
                    new double[] {i, i + 0.5}, i, false, 0, Instant.now()));
        }
        return records;
    }
}
