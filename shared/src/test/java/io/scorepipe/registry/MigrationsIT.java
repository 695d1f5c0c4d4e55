package io.scorepipe.registry;

import static org.assertj.core.api.Assertions.assertThat;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.zaxxer.hikari.HikariDataSource;

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
    void auditRowsAreUniqueByPredictionAndBySourceReference() {
        try (HikariDataSource dataSource = TestDatabases.migrated("audit")) {
            JdbcClient jdbc = JdbcClient.create(dataSource);
            String insert = """
                    INSERT INTO prediction_audit (prediction_id, source, source_ref, model_version, features, prediction)
                    VALUES (?::uuid, ?, ?, 'v1', '{1,2}', 3.0) ON CONFLICT DO NOTHING""";

            int first = jdbc.sql(insert).params("00000000-0000-0000-0000-000000000001", "batch", "b1:2").update();
            int samePrediction = jdbc.sql(insert).params("00000000-0000-0000-0000-000000000001", "batch", "b1:3").update();
            int sameSourceRef = jdbc.sql(insert).params("00000000-0000-0000-0000-000000000002", "batch", "b1:2").update();
            int apiWithoutRef = jdbc.sql(insert).params("00000000-0000-0000-0000-000000000003", "api", null).update();

            assertThat(first).isOne();
            assertThat(samePrediction).isZero();
            assertThat(sameSourceRef).isZero();
            assertThat(apiWithoutRef).isOne();
        }
    }
}
