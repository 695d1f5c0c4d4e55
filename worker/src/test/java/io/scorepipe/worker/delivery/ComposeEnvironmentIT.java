package io.scorepipe.worker.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.zaxxer.hikari.HikariDataSource;

import io.scorepipe.config.DatabaseUrl;
import io.scorepipe.testing.AppProcess;
import io.scorepipe.testing.SampleCsv;
import io.scorepipe.testing.TestDatabases;
import io.scorepipe.testing.TestServices;
import io.scorepipe.worker.KafkaProbe;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The production jars, configured the way the Compose file configures the containers: each jar
 * runs as its own process with exactly the environment compose.yaml gives its service, the
 * service names swapped for the local PostgreSQL, Redis and Kafka and the secrets read from
 * files. Then one prediction over HTTP, one CSV file through the inbox and one Kafka record
 * through the stream, and an audit row for each.
 *
 * <p>Only test isolation is added, as command-line properties: a schema, topics, consumer groups
 * and a Redis key prefix of this run, and free ports.
 */
class ComposeEnvironmentIT {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final Pattern INTERPOLATION = Pattern.compile("\\$\\{([A-Z0-9_]+)(?::-([^}]*))?}");
    static final int CSV_ROWS = 40;

    @Test
    void bothJarsServeAllThreePathsWithTheComposeEnvironment() throws Exception {
        // given the Compose file's environment, pointed at the local services
        TestServices.IsolatedSchema schema = TestServices.isolatedSchema("e2e");
        Path secrets = Files.createTempDirectory("scorepipe-secrets");
        Path data = Files.createTempDirectory("scorepipe-data");
        DatabaseUrl local = TestServices.postgres();
        String password = local.password() == null ? "unused-with-trust-auth" : local.password();
        Files.writeString(secrets.resolve("db_password"), password);
        Files.writeString(secrets.resolve("db_app_password"), password);
        String token = UUID.randomUUID().toString();
        Files.writeString(secrets.resolve("admin_token"), token);
        Map<String, String> api = localEnvironment("api", schema, secrets, data);
        Map<String, String> worker = localEnvironment("worker", schema, secrets, data);
        assertThat(api).containsKeys("DATABASE_URL", "DB_PASSWORD_FILE", "ADMIN_TOKEN_FILE", "REDIS_URL",
                "KAFKA_BOOTSTRAP_SERVERS", "SCOREPIPE_DATA_DIR");
        assertThat(worker).containsKeys("DATABASE_URL", "DB_PASSWORD_FILE", "REDIS_URL", "KAFKA_BOOTSTRAP_SERVERS",
                "SCOREPIPE_DATA_DIR");

        Map<String, Object> isolation = isolation();
        int apiPort = TestServices.freePort();
        int workerPort = TestServices.freePort();
        Map<String, Object> workerProperties = new HashMap<>(isolation);
        workerProperties.put("server.port", workerPort);
        workerProperties.put("scorepipe.batch.poll-interval", "200ms");
        workerProperties.put("scorepipe.batch.settle", "300ms");
        Map<String, Object> apiProperties = new HashMap<>(isolation);
        apiProperties.put("server.port", apiPort);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

        try (AppProcess workerProcess = AppProcess.startWithEnvironment("worker", "e2e", worker, workerProperties);
                AppProcess apiProcess = AppProcess.startWithEnvironment("api", "e2e", api, apiProperties);
                HikariDataSource pool = TestDatabases.pool(schema);
                KafkaProbe kafka = new KafkaProbe()) {
            // when both are ready (the worker trains v1; the api waits for it)
            awaitReady(http, workerPort, workerProcess);
            awaitReady(http, apiPort, apiProcess);

            // then a prediction over HTTP is answered
            String row = SampleCsv.lines(1).get(1);
            HttpResponse<String> predicted = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + "/predict"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                            "{\"features\": [" + row + "]}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(predicted.statusCode()).as(predicted.body()).isEqualTo(200);
            JsonNode prediction = JSON.readTree(predicted.body());
            assertThat(prediction.get("model_version").asString()).isEqualTo("v1");
            String predictionId = prediction.get("prediction_id").asString();

            // and the admin token from its file is the one the api asks for
            assertThat(promote(http, apiPort, "not-" + token).statusCode()).isEqualTo(401);
            HttpResponse<String> promoted = promote(http, apiPort, token);
            assertThat(promoted.statusCode()).as(promoted.body()).isEqualTo(200);

            // and a CSV file dropped into the inbox is scored into the outbox
            Path inbox = data.resolve("inbox");
            Files.createDirectories(inbox);
            Path part = inbox.resolve("e2e.csv.part");
            Files.write(part, SampleCsv.lines(CSV_ROWS));
            Files.move(part, inbox.resolve("e2e.csv"), StandardCopyOption.ATOMIC_MOVE);
            Path scored = data.resolve("outbox").resolve("e2e.scored.csv");
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> Files.isRegularFile(scored));
            assertThat(Files.readAllLines(scored)).hasSize(CSV_ROWS + 1);

            // and a Kafka record is scored onto the results topic
            kafka.send((String) isolation.get("scorepipe.topics.requests"), "e2e-1",
                    "{\"request_id\": \"e2e-1\", \"features\": [" + row + "]}").get();
            List<ConsumerRecord<String, byte[]>> results = KafkaProbe.readCommitted(
                    (String) isolation.get("scorepipe.topics.results"), records -> !records.isEmpty(), Duration.ofSeconds(60));
            assertThat(results).hasSize(1);
            assertThat(results.getFirst().key()).isEqualTo("e2e-1");

            // and each of them has exactly one audit row
            JdbcClient jdbc = JdbcClient.create(pool);
            await().atMost(Duration.ofSeconds(30)).until(() -> auditRows(jdbc).equals(Map.of("api", 1L, "batch",
                    (long) CSV_ROWS, "stream", 1L)));
            assertThat(jdbc.sql("select count(*) from prediction_audit where prediction_id = ?::uuid").param(predictionId)
                    .query(Long.class).single()).isEqualTo(1);
            assertThat(jdbc.sql("select count(*) from prediction_audit where source = 'stream' and request_id = 'e2e-1'")
                    .query(Long.class).single()).isEqualTo(1);
            // and no late duplicate follows
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> auditRows(jdbc)
                    .equals(Map.of("api", 1L, "batch", (long) CSV_ROWS, "stream", 1L)));
        }
    }

    /**
     * compose.yaml's environment for {@code service}, interpolated with the defaults it names,
     * with the service names swapped for the local services and the secrets and data folder for
     * local files. Fails on any value that would still point into the Compose network.
     */
    static Map<String, String> localEnvironment(String service, TestServices.IsolatedSchema schema, Path secrets, Path data) {
        DatabaseUrl local = TestServices.postgres();
        URI jdbc = URI.create(schema.jdbcUrl().substring("jdbc:".length()));
        Map<String, String> environment = new LinkedHashMap<>();
        DeliveryFilesTests.composeEnvironment(service).forEach((name, value) -> {
            String interpolated = interpolate(value);
            String replaced = switch (name) {
                case "DATABASE_URL" -> {
                    URI compose = URI.create(interpolated);
                    assertThat(compose.getHost()).isEqualTo("db");
                    String user = local.username() == null ? compose.getUserInfo() : local.username();
                    yield "postgresql://" + user + "@" + jdbc.getHost() + ":" + jdbc.getPort() + jdbc.getPath() + "?"
                            + jdbc.getQuery();
                }
                case "REDIS_URL" -> {
                    assertThat(interpolated).startsWith("redis://redis:");
                    yield TestServices.redisUrl();
                }
                case "KAFKA_BOOTSTRAP_SERVERS" -> {
                    assertThat(interpolated).startsWith("kafka:");
                    yield TestServices.kafkaBootstrapServers();
                }
                // the local database has one role for both: the schema's owner and the apps' role
                case "DB_MIGRATION_USER" -> local.username() == null ? interpolated : local.username();
                case "SCOREPIPE_DATA_DIR" -> {
                    assertThat(interpolated).isEqualTo("/data");
                    yield data.toString();
                }
                default -> interpolated.startsWith("/run/secrets/")
                        ? secrets.resolve(interpolated.substring("/run/secrets/".length())).toString()
                        : interpolated;
            };
            assertThat(replaced).as(name).doesNotContain("/run/secrets", "db:5432", "redis:6379", "kafka:9092");
            environment.put(name, replaced);
        });
        return environment;
    }

    static String interpolate(String value) {
        Matcher matcher = INTERPOLATION.matcher(value);
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            String fromEnvironment = System.getenv(matcher.group(1));
            String replacement = fromEnvironment != null && !fromEnvironment.isEmpty() ? fromEnvironment
                    : matcher.group(2) == null ? "" : matcher.group(2);
            matcher.appendReplacement(result, Matcher.quoteReplacement(replacement));
        }
        return matcher.appendTail(result).toString();
    }

    /** Topics, consumer groups and a Redis key prefix of this run only. */
    static Map<String, Object> isolation() {
        Map<String, Object> properties = new HashMap<>();
        String suffix = "." + TestServices.uniqueName("e2e");
        for (String topic : List.of("audit", "requests", "results", "dead-letter", "batches", "training-examples",
                "model-updates", "retrain-requests")) {
            properties.put("scorepipe.topics." + topic, "test." + topic + suffix);
        }
        properties.put("scorepipe.audit-sink.group-id", "test-audit" + suffix);
        properties.put("scorepipe.stream.group-id", "test-stream" + suffix);
        properties.put("scorepipe.batch.group-id", "test-batch" + suffix);
        properties.put("scorepipe.redis.key-prefix", "test-e2e" + suffix);
        return properties;
    }

    static HttpResponse<String> promote(HttpClient http, int port, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/models/v1/promote"))
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static Map<String, Long> auditRows(JdbcClient jdbc) {
        Map<String, Long> rows = new HashMap<>();
        jdbc.sql("select source, count(*) as n from prediction_audit group by source")
                .query((rs, i) -> rows.put(rs.getString("source"), rs.getLong("n"))).list();
        return rows;
    }

    static void awaitReady(HttpClient http, int port, AppProcess process) {
        await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(500)).until(() -> {
            assertThat(process.alive()).as("the process runs; its log:\n" + process.logText()).isTrue();
            try {
                return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"))
                        .build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            }
            catch (IOException ex) {
                return false;
            }
        });
    }

}
