package io.scorepipe.testing;

import org.flywaydb.core.Flyway;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/** Connection pools on isolated schemas, for tests of the JDBC code without Spring Boot. */
public final class TestDatabases {

    private TestDatabases() {
    }

    /** A pool on a fresh, empty schema. Close it when done. */
    public static HikariDataSource empty(String owner) {
        return pool(TestServices.isolatedSchema(owner));
    }

    /** A pool on a fresh schema that the project's migrations have been applied to. */
    public static HikariDataSource migrated(String owner) {
        HikariDataSource dataSource = empty(owner);
        flyway(dataSource).migrate();
        return dataSource;
    }

    /** Another pool on the same schema: what a second process would have. */
    public static HikariDataSource sameSchema(TestServices.IsolatedSchema schema) {
        return pool(schema);
    }

    public static Flyway flyway(javax.sql.DataSource dataSource) {
        // app_role empty: tests migrate and use their schema as one role, so nothing is granted
        return Flyway.configure().dataSource(dataSource).locations("classpath:db/migration")
                .placeholders(java.util.Map.of("app_role", "")).load();
    }

    public static HikariDataSource pool(TestServices.IsolatedSchema schema) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(schema.jdbcUrl());
        config.setUsername(schema.username());
        config.setPassword(schema.password());
        config.setMaximumPoolSize(8);
        // connections as needed, not eight held idle per pool: a test that opens a pool per simulated
        // process (sixteen in ModelRegistryIT) would otherwise ask PostgreSQL for more than its 100
        config.setMinimumIdle(1);
        config.setPoolName(schema.name());
        return new HikariDataSource(config);
    }
}
