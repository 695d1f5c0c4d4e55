package io.scorepipe.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
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
        assertThat(jdbc.sql("SELECT features FROM prediction_audit WHERE prediction_id = ?").param(record.predictionId())
                .query((rs, n) -> (Double[]) rs.getArray(1).getArray()).single())
                .containsExactly(0.1, -2.5e-300, Double.MAX_VALUE, 0.0);
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
