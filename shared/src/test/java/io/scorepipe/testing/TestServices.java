package io.scorepipe.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

import io.scorepipe.config.DatabaseUrl;

/**
 * The real PostgreSQL, Redis and Kafka that integration tests talk to. Each comes from its
 * environment variable when set ({@code DATABASE_URL}, {@code REDIS_URL},
 * {@code KAFKA_BOOTSTRAP_SERVERS}, as {@code scripts/services env} prints them); otherwise, where
 * a Docker engine runs, from a Testcontainers container started once per JVM; otherwise the test
 * fails with a message that names the missing service and how to start it. Nothing is skipped.
 *
 * <p>Tests isolate themselves: a fresh schema per test context ({@link #isolatedSchema}), and
 * unique topic names and Redis key prefixes ({@link #uniqueName}).
 */
public final class TestServices {

    static final String HOW_TO_START = "start the local services and export their addresses with "
            + "'scripts/services up && eval \"$(scripts/services env)\"', or run where a Docker engine is available";

    private static final Map<String, Object> started = new HashMap<>();
    private static final List<String> schemas = new ArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(TestServices::dropSchemas, "drop-test-schemas"));
    }

    private TestServices() {
    }

    /** PostgreSQL's address and credentials (the database itself, not an isolated schema). */
    public static synchronized DatabaseUrl postgres() {
        String url = System.getenv("DATABASE_URL");
        if (url != null && !url.isBlank()) {
            return DatabaseUrl.parse(url);
        }
        PostgreSQLContainer container = container("PostgreSQL", "DATABASE_URL", () -> {
            var postgres = new PostgreSQLContainer("postgres:16-alpine");
            postgres.start();
            return postgres;
        });
        return new DatabaseUrl(container.getJdbcUrl(), container.getUsername(), container.getPassword());
    }

    /** Redis's URL, for example {@code redis://127.0.0.1:6379}. */
    public static synchronized String redisUrl() {
        String url = System.getenv("REDIS_URL");
        if (url != null && !url.isBlank()) {
            return url;
        }
        GenericContainer<?> redis = container("Redis", "REDIS_URL", () -> {
            var container = new GenericContainer<>("redis:7-alpine").withExposedPorts(6379);
            container.start();
            return container;
        });
        return "redis://" + redis.getHost() + ":" + redis.getMappedPort(6379);
    }

    /** Kafka's bootstrap servers, for example {@code 127.0.0.1:9092}. */
    public static synchronized String kafkaBootstrapServers() {
        String servers = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
        if (servers != null && !servers.isBlank()) {
            return servers;
        }
        KafkaContainer kafka = container("Kafka", "KAFKA_BOOTSTRAP_SERVERS", () -> {
            var container = new KafkaContainer("apache/kafka:4.1.2");
            container.start();
            return container;
        });
        return kafka.getBootstrapServers();
    }

    /** Redis's host and port, from {@link #redisUrl()}. */
    public static URI redisUri() {
        return URI.create(redisUrl());
    }

    /**
     * A file holding {@code token}, deleted when the JVM exits: what {@code scorepipe.admin.token-file}
     * (ADMIN_TOKEN_FILE) names.
     *
     * @return the file's path, as the property takes it
     */
    public static String adminTokenFile(String token) {
        try {
            Path file = Files.createTempFile("admin-token", ".txt");
            Files.writeString(file, token);
            file.toFile().deleteOnExit();
            return file.toString();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** A name no other test run uses: for topics, consumer groups, key prefixes. */
    public static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * Creates an empty schema for one test context; it is dropped when the JVM exits.
     *
     * @param owner a short word for the schema's name, such as the module
     */
    public static synchronized IsolatedSchema isolatedSchema(String owner) {
        DatabaseUrl database = postgres();
        String name = ("t_" + owner + "_" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9_]", "_");
        try (Connection connection = connect(database); Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + name);
        }
        catch (SQLException ex) {
            throw new IllegalStateException("PostgreSQL at " + database.jdbcUrl() + " (DATABASE_URL) does not answer: "
                    + ex.getMessage() + "; " + HOW_TO_START, ex);
        }
        schemas.add(name);
        String separator = database.jdbcUrl().contains("?") ? "&" : "?";
        return new IsolatedSchema(name, database.jdbcUrl() + separator + "currentSchema=" + name,
                database.username(), database.password());
    }

    /**
     * The Spring properties that point an application at the test services, in a fresh schema,
     * with its own Redis key prefix and its own topics.
     */
    public static Map<String, Object> springProperties(String owner) {
        IsolatedSchema schema = isolatedSchema(owner);
        Map<String, Object> properties = new HashMap<>();
        properties.put("spring.datasource.url", schema.jdbcUrl());
        properties.put("spring.datasource.username", schema.username() == null ? "" : schema.username());
        properties.put("spring.datasource.password", schema.password() == null ? "" : schema.password());
        // Spring's test context cache keeps every test class's application alive; at Hikari's default of
        // ten connections held idle each, a dozen cached applications fill PostgreSQL's default 100
        properties.put("spring.datasource.hikari.minimum-idle", "1");
        properties.put("spring.datasource.hikari.idle-timeout", "10000");
        properties.put("spring.kafka.bootstrap-servers", kafkaBootstrapServers());
        properties.put("scorepipe.redis.url", redisUrl());
        properties.put("scorepipe.redis.key-prefix", uniqueName("test-" + owner));
        String suffix = "." + uniqueName(owner);
        for (String topic : List.of("audit", "requests", "results", "dead-letter", "batches", "training-examples",
                "model-updates", "retrain-requests")) {
            properties.put("scorepipe.topics." + topic, "test." + topic + suffix);
        }
        try {
            Path data = Files.createTempDirectory("scorepipe-data-" + owner);
            data.toFile().deleteOnExit();
            properties.put("scorepipe.data-dir", data.toString());
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        // contexts cached side by side must not share consumer groups, or they rebalance each other
        properties.put("scorepipe.audit-sink.group-id", "test-audit" + suffix);
        properties.put("scorepipe.stream.group-id", "test-stream" + suffix);
        return properties;
    }

    static Connection connect(DatabaseUrl database) throws SQLException {
        Properties properties = new Properties();
        if (database.username() != null) {
            properties.setProperty("user", database.username());
        }
        if (database.password() != null) {
            properties.setProperty("password", database.password());
        }
        properties.setProperty("connectTimeout", "5");
        return DriverManager.getConnection(database.jdbcUrl(), properties);
    }

    @SuppressWarnings("unchecked")
    private static <T> T container(String service, String variable, Supplier<T> start) {
        Object container = started.get(service);
        if (container == null) {
            if (!dockerAvailable()) {
                throw new IllegalStateException("Integration tests need " + service + ", but " + variable
                        + " is not set and no Docker engine is available for Testcontainers: " + HOW_TO_START);
            }
            container = start.get();
            started.put(service, container);
        }
        return (T) container;
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        }
        catch (RuntimeException ex) {
            return false;
        }
    }

    private static synchronized void dropSchemas() {
        if (schemas.isEmpty()) {
            return;
        }
        try (Connection connection = connect(postgres()); Statement statement = connection.createStatement()) {
            for (String schema : schemas) {
                statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
        catch (SQLException | RuntimeException ex) {
            // the JVM is exiting; a left-over schema is harmless and named t_*
        }
    }

    /**
     * An empty schema in the test database.
     *
     * @param name the schema's name
     * @param jdbcUrl a JDBC URL whose connections use the schema
     * @param username the role
     * @param password the role's password, if any
     */
    public record IsolatedSchema(String name, String jdbcUrl, @Nullable String username, @Nullable String password) {
    }

    /** A TCP port nothing listens on at the moment of asking. */
    public static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
