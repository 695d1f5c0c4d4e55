package io.scorepipe.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.zaxxer.hikari.HikariDataSource;

import io.scorepipe.audit.AuditRecord;
import io.scorepipe.audit.AuditSource;
import io.scorepipe.testing.TestDatabases;

class MigrationsIT {

    @Test
    void migrationsApplyToAnEmptySchemaAndOnlyOnce() {
        try (HikariDataSource dataSource = TestDatabases.empty("migrations")) {
            // given
            Flyway flyway = TestDatabases.flyway(dataSource);

            // when
            int first = flyway.migrate().migrationsExecuted;
            int second = flyway.migrate().migrationsExecuted;

            // then
            assertThat(first).isEqualTo(flyway.info().applied().length).isGreaterThanOrEqualTo(4);
            assertThat(second).isZero();
            var tables = JdbcClient.create(dataSource).sql("""
                    SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()""")
                    .query(String.class).list();
            assertThat(tables).contains("model_versions", "model_promotions", "prediction_audit", "training_examples",
                    "batch_job_instance", "batch_job_execution", "batch_step_execution", "batch_step_execution_context",
                    "batch_job_execution_context", "batch_job_execution_params", "flyway_schema_history");
        }
    }

    @Test
    void anInputIdentifiedByItsSourceGetsOneAuditRowHoweverOftenItIsWritten() {
        try (HikariDataSource dataSource = TestDatabases.migrated("audit")) {
            JdbcClient jdbc = JdbcClient.create(dataSource);
            String insert = """
                    INSERT INTO prediction_audit (prediction_id, source, source_ref, model_version, features, prediction)
                    VALUES (?, ?, ?, 'v1', '{1,2}', 3.0) ON CONFLICT DO NOTHING""";

            int first = jdbc.sql(insert).params(AuditRecord.idFor(AuditSource.BATCH, "b1:2"), "batch", "b1:2").update();
            int again = jdbc.sql(insert).params(AuditRecord.idFor(AuditSource.BATCH, "b1:2"), "batch", "b1:2").update();
            int otherLine = jdbc.sql(insert).params(AuditRecord.idFor(AuditSource.BATCH, "b1:3"), "batch", "b1:3").update();
            int sameRefOtherSource = jdbc.sql(insert).params(AuditRecord.idFor(AuditSource.STREAM, "b1:2"), "stream", "b1:2")
                    .update();
            int apiWithoutRef = jdbc.sql(insert).params(UUID.randomUUID(), "api", null).update();

            assertThat(first).isOne();
            assertThat(again).isZero();
            assertThat(otherLine).isOne();
            assertThat(sameRefOtherSource).isOne();
            assertThat(apiWithoutRef).isOne();
        }
    }
}
