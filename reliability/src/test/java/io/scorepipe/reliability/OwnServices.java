package io.scorepipe.reliability;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.kafka.common.Uuid;

import io.scorepipe.testing.TestServices;

/**
 * PostgreSQL, Redis and a Kafka broker of the reliability suite's own, on free ports, so that
 * its tests can really stop and start them without disturbing anything else on the machine:
 * a PostgreSQL cluster made with initdb, a redis-server process and a KRaft broker run from
 * Kafka's own jars (on this module's test class path) in a JVM of its own.
 */
final class OwnServices implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /** The role the apps connect as; the migrations run as the database's owner, scorepipe. */
    static final String APP_ROLE = "scorepipe_app";

    private final Path root;
    final int postgresPort = TestServices.freePort();
    final int redisPort = TestServices.freePort();
    final int kafkaPort = TestServices.freePort();
    private final int controllerPort = TestServices.freePort();
    private final Path pgBin = postgresBinaries();
    private final boolean asRoot = "root".equals(System.getProperty("user.name"));
    private Process redis;
    private Process kafka;

    OwnServices() throws IOException {
        this.root = Files.createTempDirectory("scorepipe-reliability");
    }

    void startAll() throws Exception {
        initPostgres();
        startRedis();
        formatKafka();
        startKafka();
    }

    /** The apps' DATABASE_URL: their own role, which may not change the schema. */
    String databaseUrl() {
        return "postgresql://" + APP_ROLE + "@127.0.0.1:" + postgresPort + "/scorepipe";
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + postgresPort + "/scorepipe";
    }

    String redisUrl() {
        return "redis://127.0.0.1:" + redisPort;
    }

    String kafkaBootstrapServers() {
        return "127.0.0.1:" + kafkaPort;
    }

    // ------------------------------------------------------------------------------ PostgreSQL

    private void initPostgres() throws Exception {
        Path data = root.resolve("pg");
        Files.createDirectories(data);
        if (asRoot) {
            // PostgreSQL refuses to run as root; its own system user runs this cluster
            run(List.of("chown", "-R", "postgres:", root.toString()));
            run(List.of("chmod", "755", root.toString()));
        }
        run(asPostgres(pgBin.resolve("initdb").toString(), "-D", data.toString(), "--auth=trust", "--username=postgres",
                "--encoding=UTF8", "--no-sync"));
        startPostgres();
        run(List.of("psql", "-h", "127.0.0.1", "-p", String.valueOf(postgresPort), "-U", "postgres", "-d", "postgres",
                "-qc", "CREATE ROLE scorepipe LOGIN", "-c", "CREATE DATABASE scorepipe OWNER scorepipe",
                // the apps' own role: rows only; the schema belongs to scorepipe, which runs the migrations
                "-c", "CREATE ROLE " + APP_ROLE + " LOGIN"));
    }

    void startPostgres() throws Exception {
        Path data = root.resolve("pg");
        run(asPostgres(pgBin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", root.resolve("pg.log").toString(),
                "-w", "-t", "60", "-o", "-p " + postgresPort + " -k " + root + " -c listen_addresses=127.0.0.1"
                        + " -c max_connections=200",
                "start"));
        awaitPort(postgresPort);
    }

    /** Stops PostgreSQL the way a crash does: no checkpoint, every connection cut. */
    void stopPostgres() throws Exception {
        run(asPostgres(pgBin.resolve("pg_ctl").toString(), "-D", root.resolve("pg").toString(), "-m", "immediate",
                "-w", "stop"));
    }

    private List<String> asPostgres(String... command) {
        List<String> full = new ArrayList<>();
        if (asRoot) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(List.of(command));
        return full;
    }

    private static Path postgresBinaries() {
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(version -> version.resolve("bin")).filter(bin -> Files.isExecutable(bin.resolve("initdb")))
                    .max(Comparator.comparing(Path::toString)).orElseThrow(() -> new IllegalStateException(
                            "no PostgreSQL server binaries under /usr/lib/postgresql; install the postgresql package"));
        }
        catch (IOException ex) {
            throw new IllegalStateException("no PostgreSQL server binaries under /usr/lib/postgresql; install the "
                    + "postgresql package (scripts/services up does)", ex);
        }
    }

    // ------------------------------------------------------------------------------ Redis

    void startRedis() throws Exception {
        if (!onPath("redis-server")) {
            throw new IllegalStateException("redis-server is not on the PATH; install Redis (scripts/services up does)");
        }
        redis = new ProcessBuilder("redis-server", "--port", String.valueOf(redisPort), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--maxmemory", "256mb", "--maxmemory-policy", "allkeys-lru")
                .redirectErrorStream(true).redirectOutput(root.resolve("redis.log").toFile()).start();
        awaitPort(redisPort);
    }

    void stopRedis() throws InterruptedException {
        stop(redis);
    }

    // ------------------------------------------------------------------------------ Kafka

    private Path kafkaConfig() throws IOException {
        Path config = root.resolve("kafka.properties");
        if (!Files.exists(config)) {
            Files.writeString(config, String.join("\n",
                    "process.roles=broker,controller",
                    "node.id=1",
                    "controller.quorum.bootstrap.servers=127.0.0.1:" + controllerPort,
                    "listeners=PLAINTEXT://127.0.0.1:" + kafkaPort + ",CONTROLLER://127.0.0.1:" + controllerPort,
                    "advertised.listeners=PLAINTEXT://127.0.0.1:" + kafkaPort,
                    "controller.listener.names=CONTROLLER",
                    "inter.broker.listener.name=PLAINTEXT",
                    "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                    "log.dirs=" + root.resolve("kafka-data"),
                    "num.partitions=6",
                    "offsets.topic.replication.factor=1",
                    "transaction.state.log.replication.factor=1",
                    "transaction.state.log.min.isr=1",
                    "share.coordinator.state.topic.replication.factor=1",
                    "share.coordinator.state.topic.min.isr=1",
                    "group.initial.rebalance.delay.ms=0", ""));
        }
        return config;
    }

    private void formatKafka() throws Exception {
        run(javaCommand("kafka.tools.StorageTool", "format", "--standalone", "-t", Uuid.randomUuid().toString(), "-c",
                kafkaConfig().toString()));
    }

    void startKafka() throws Exception {
        kafka = new ProcessBuilder(javaCommand("kafka.Kafka", kafkaConfig().toString())).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(root.resolve("kafka.log").toFile())).start();
        awaitPort(kafkaPort);
    }

    /** Stops the broker with SIGTERM: a controlled shutdown, as an orchestrator's stop does. */
    void stopKafka() throws InterruptedException {
        stop(kafka);
    }

    private static List<String> javaCommand(String mainClass, String... arguments) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC", "--sun-misc-unsafe-memory-access=allow", "-cp",
                System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(arguments));
        return command;
    }

    // ------------------------------------------------------------------------------ helpers

    private static void stop(Process process) throws InterruptedException {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    private void run(List<String> command) throws IOException, InterruptedException {
        Path log = root.resolve("commands.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        if (!process.waitFor(90, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " failed; see " + log + ":\n"
                    + tail(log));
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        }
        catch (IOException ex) {
            return "";
        }
    }

    private static void awaitPort(int port) {
        await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(200))
                .alias("something listens on 127.0.0.1:" + port).until(() -> {
                    try (Socket socket = new Socket()) {
                        socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                        return true;
                    }
                    catch (IOException ex) {
                        return false;
                    }
                });
    }

    private static boolean onPath(String program) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
    }


    @Override
    public void close() throws Exception {
        stopKafka();
        stopRedis();
        try {
            stopPostgres();
        }
        catch (IllegalStateException ex) {
            // already stopped
        }
        deleteTree(root.toFile());
    }

    private static void deleteTree(File file) {
        File[] children = file.listFiles();
        if (children != null) {
            for (File child : children) {
                deleteTree(child);
            }
        }
        file.delete();
    }
}
