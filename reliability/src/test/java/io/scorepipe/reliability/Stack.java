package io.scorepipe.reliability;

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
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

import io.scorepipe.testing.AppProcess;
import io.scorepipe.testing.TestServices;

/**
 * The production jars, api and worker, each in its own process, configured as in production
 * (environment variables, secrets in files) against {@link OwnServices}.
 */
final class Stack implements AutoCloseable {

    final OwnServices services;
    final Path data;
    final String dbPassword = "db-" + UUID.randomUUID();
    final String migrationPassword = "owner-" + UUID.randomUUID();
    final String adminToken = "token-" + UUID.randomUUID();
    final int apiPort = TestServices.freePort();
    final int apiManagementPort = TestServices.freePort();
    final int workerPort = TestServices.freePort();
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final HikariDataSource database;
    private final Map<String, String> environment = new HashMap<>();
    AppProcess api;
    AppProcess worker;
    private int workerStarts;

    Stack(OwnServices services) throws IOException {
        this.services = services;
        this.data = Files.createTempDirectory("scorepipe-reliability-data");
        Path secrets = Files.createTempDirectory("scorepipe-reliability-secrets");
        Files.writeString(secrets.resolve("db_password"), dbPassword);
        Files.writeString(secrets.resolve("admin_token"), adminToken);
        Files.writeString(secrets.resolve("db_owner_password"), migrationPassword);
        environment.put("DATABASE_URL", services.databaseUrl());
        environment.put("DB_PASSWORD_FILE", secrets.resolve("db_password").toString());
        environment.put("ADMIN_TOKEN_FILE", secrets.resolve("admin_token").toString());
        // migrations run as the schema's owner; the apps themselves connect as a role that cannot change it
        environment.put("DB_MIGRATION_USER", "scorepipe");
        environment.put("DB_MIGRATION_PASSWORD_FILE", secrets.resolve("db_owner_password").toString());
        environment.put("REDIS_URL", services.redisUrl());
        environment.put("KAFKA_BOOTSTRAP_SERVERS", services.kafkaBootstrapServers());
        environment.put("SCOREPIPE_DATA_DIR", data.toString());
        environment.put("RETRAIN_CRON", "-");
        database = new HikariDataSource();
        database.setJdbcUrl(services.jdbcUrl());
        database.setUsername("scorepipe");
        database.setMaximumPoolSize(4);
        database.setInitializationFailTimeout(-1);
    }

    void start() {
        startWorker();
        awaitReady(workerPort, worker);
        api = AppProcess.startWithEnvironment("api", "reliability-api", environment, Map.of("server.port", apiPort,
                "management.server.port", apiManagementPort,
                // the poll is the fallback; promotions reach the api at once through model.updates
                "scorepipe.model.refresh-interval", "2s"));
        awaitReady(apiPort, api);
    }

    void startWorker() {
        workerStarts++;
        worker = AppProcess.startWithEnvironment("worker", "reliability-worker-" + workerStarts, environment, Map.of(
                "server.port", workerPort, "scorepipe.batch.poll-interval", "200ms", "scorepipe.batch.settle", "300ms",
                // a worker killed mid-file is taken over after this much silence
                "scorepipe.batch.stale-after", "10s"));
    }

    /** SIGKILL, then a new worker process on the same configuration. */
    void killAndRestartWorker() throws Exception {
        worker.kill();
        startWorker();
        awaitReady(workerPort, worker);
    }

    void awaitReady(int port, AppProcess process) {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(300)).until(() -> {
            if (!process.alive()) {
                throw new AssertionError("the process exited; its log:\n" + process.logText());
            }
            return status("http://127.0.0.1:" + port + "/actuator/health/readiness") == 200;
        });
    }

    int status(String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        }
        catch (IOException ex) {
            return -1;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    URI api(String path) {
        return URI.create("http://127.0.0.1:" + apiPort + path);
    }

    /** The api's actuator: health details and metrics, on the management port. */
    URI apiManagement(String path) {
        return URI.create("http://127.0.0.1:" + apiManagementPort + path);
    }

    HttpResponse<String> promote(String version) throws Exception {
        return http.send(HttpRequest.newBuilder(api("/models/" + version + "/promote")).header("Authorization",
                "Bearer " + adminToken).POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Drops a CSV file into the inbox the way a producer should: written aside, then renamed. */
    Path dropCsv(String name, List<String> lines) throws IOException {
        Path inbox = Files.createDirectories(data.resolve("inbox"));
        Path part = inbox.resolve(name + ".part");
        Files.write(part, lines);
        return Files.move(part, inbox.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    Path scored(String name) {
        return data.resolve("outbox").resolve(name.replaceFirst("\\.csv$", "") + ".scored.csv");
    }

    DataSource database() {
        return database;
    }

    String logs() {
        return (api == null ? "" : api.logText()) + "\n" + (worker == null ? "" : worker.logText());
    }

    @Override
    public void close() throws Exception {
        if (api != null) {
            api.close();
        }
        if (worker != null) {
            worker.close();
        }
        database.close();
    }
}
