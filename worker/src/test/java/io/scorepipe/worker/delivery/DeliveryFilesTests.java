package io.scorepipe.worker.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

import io.scorepipe.config.ScorepipeEnvironmentPostProcessor;

/**
 * The deployment files follow the project's rules: Compose keeps db, redis and kafka off the
 * public network, every service has a healthcheck, limits and a restart policy, the apps run
 * read-only without capabilities, secrets come only from files, and every variable the Compose
 * file gives the apps is one they read; the Dockerfiles build in stages, copy Boot's layers in
 * order and run as a fixed non-root user.
 */
class DeliveryFilesTests {

    static final Path ROOT = repositoryRoot();
    static final Set<String> APPS = Set.of("api", "worker");
    static final Set<String> SERVICES = Set.of("api", "worker", "db", "redis", "kafka");
    /** Variables the JVM itself reads; the Compose file may set them for the apps too. */
    static final Set<String> JVM_VARIABLES = Set.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS");

    /** compose.yaml, read once for every test and for {@link #composeEnvironment}. */
    static final Map<String, Object> COMPOSE = yaml("compose.yaml");

    final Map<String, Object> compose = COMPOSE;
    final Map<String, Object> services = map(compose.get("services"));

    // ---------------------------------------------------------------------------- compose.yaml

    @Test
    void theStackHasItsNameAndItsFiveServices() {
        assertThat(compose.get("name")).isEqualTo("scorepipe");
        assertThat(services.keySet()).containsExactlyInAnyOrderElementsOf(SERVICES);
        assertThat(service("db").get("image")).isEqualTo("postgres:16-alpine");
        assertThat(service("redis").get("image")).isEqualTo("redis:7-alpine");
        assertThat((String) service("kafka").get("image")).matches("apache/kafka:4\\.\\d+\\.\\d+");
        assertThat(service("api").get("build")).isNotNull();
        assertThat(service("worker").get("build")).isNotNull();
    }

    @Test
    void onlyTheApiIsOnTheFrontendAndOnlyItPublishesAPort() {
        assertThat(networks("api")).containsExactlyInAnyOrder("frontend", "backend");
        for (String name : List.of("worker", "db", "redis", "kafka")) {
            assertThat(networks(name)).as(name + "'s networks").containsExactly("backend");
            assertThat(service(name)).as(name + " publishes no port").doesNotContainKey("ports");
        }
        assertThat(map(map(compose.get("networks")).get("backend")).get("internal")).as("backend is internal")
                .isEqualTo(true);
        List<String> ports = strings(service("api").get("ports"));
        assertThat(ports).hasSize(1);
        assertThat(ports.getFirst()).endsWith(":8000");
    }

    @Test
    void everyServiceHasAHealthcheckLimitsAndARestartPolicy() {
        for (String name : SERVICES) {
            Map<String, Object> service = service(name);
            Map<String, Object> healthcheck = map(service.get("healthcheck"));
            assertThat(strings(healthcheck.get("test"))).as(name + " healthcheck").isNotEmpty().doesNotContain("NONE");
            assertThat(healthcheck).as(name + " healthcheck").containsKeys("interval", "timeout", "retries");
            assertThat(service.get("restart")).as(name + " restart").isEqualTo("unless-stopped");
            Map<String, Object> limits = map(map(map(service.get("deploy")).get("resources")).get("limits"));
            assertThat(limits).as(name + " limits").containsKeys("cpus", "memory");
        }
    }

    @Test
    void theAppsRunReadOnlyWithoutCapabilitiesAndWaitForWhatTheyNeed() {
        for (String name : APPS) {
            Map<String, Object> service = service(name);
            assertThat(service.get("read_only")).as(name + " read_only").isEqualTo(true);
            assertThat(strings(service.get("tmpfs"))).as(name + " tmpfs").contains("/tmp");
            assertThat(strings(service.get("cap_drop"))).as(name + " cap_drop").containsExactly("ALL");
            assertThat(strings(service.get("security_opt"))).as(name + " security_opt").contains("no-new-privileges:true");
            assertThat(service).as(name + " keeps the image's user").doesNotContainKey("user");
            Map<String, Object> dependsOn = map(service.get("depends_on"));
            for (String dependency : List.of("db", "kafka")) {
                assertThat(map(dependsOn.get(dependency)).get("condition")).as(name + " waits for " + dependency)
                        .isEqualTo("service_healthy");
            }
            assertThat(strings(service.get("volumes"))).as(name + " volumes").contains("data:/data");
            // the healthcheck probes the actuator's port, which the image exposes (the api's next to its own)
            String port = name.equals("api") ? "8001" : "8081";
            assertThat(String.join(" ", strings(map(service.get("healthcheck")).get("test")))).contains("/" + port + " ");
            assertThat(dockerfile(name)).containsPattern("EXPOSE [0-9 ]*" + port);
        }
    }

    @Test
    void theDataTheDatabaseAndKafkaLiveInNamedVolumes() {
        Map<String, Object> volumes = map(compose.get("volumes"));
        assertThat(volumes).containsKeys("data", "db-data", "kafka-data");
        assertThat(strings(service("db").get("volumes"))).contains("db-data:/var/lib/postgresql/data");
        assertThat(strings(service("kafka").get("volumes"))).anyMatch(volume -> volume.startsWith("kafka-data:"));
        String kafkaMount = strings(service("kafka").get("volumes")).getFirst().split(":")[1];
        assertThat(environment("kafka").get("KAFKA_LOG_DIRS")).isEqualTo(kafkaMount);
    }

    @Test
    void secretsComeOnlyFromFiles() {
        Map<String, Object> secrets = map(compose.get("secrets"));
        assertThat(secrets.keySet()).containsExactlyInAnyOrder("db_password", "db_app_password", "admin_token");
        secrets.forEach((name, secret) -> assertThat(map(secret)).as(name)
                .containsExactly(Map.entry("file", "./secrets/" + name + ".txt")));
        for (String name : SERVICES) {
            environment(name).forEach((variable, value) -> {
                if (variable.matches(".*(PASSWORD|TOKEN|SECRET).*")) {
                    assertThat(variable).as(name + " " + variable).endsWith("_FILE");
                    assertThat(value).as(name + " " + variable).startsWith("/run/secrets/");
                    String secret = value.substring("/run/secrets/".length());
                    assertThat(secrets).as(name + " " + variable).containsKey(secret);
                    assertThat(strings(service(name).get("secrets"))).as(name + " mounts " + secret).contains(secret);
                }
                assertThat(value).as(name + " " + variable + " has no password in a URL")
                        .doesNotContainPattern("://[^/@:]+:[^/@]+@");
            });
        }
        assertThat(environment("db")).containsEntry("POSTGRES_PASSWORD_FILE", "/run/secrets/db_password");
        assertThat(environment("api")).containsEntry("ADMIN_TOKEN_FILE", "/run/secrets/admin_token");
    }

    @Test
    void theAppsConnectAsARoleThatCannotChangeTheSchema() throws IOException {
        String owner = environment("db").get("POSTGRES_USER");
        for (String name : APPS) {
            assertThat(environment(name).get("DATABASE_URL")).as(name).startsWith("postgresql://scorepipe_app@db:");
            assertThat(environment(name).get("DB_PASSWORD_FILE")).as(name).isEqualTo("/run/secrets/db_app_password");
        }
        // only the worker migrates, as the schema's owner; the api waits for it
        assertThat(environment("worker")).containsEntry("DB_MIGRATION_USER", owner)
                .containsEntry("DB_MIGRATION_PASSWORD_FILE", "/run/secrets/db_password");
        assertThat(environment("api")).doesNotContainKeys("DB_MIGRATION_USER", "DB_MIGRATION_PASSWORD_FILE");
        assertThat(strings(service("api").get("secrets"))).doesNotContain("db_password");
        assertThat(map(map(service("api").get("depends_on")).get("worker")).get("condition")).isEqualTo("service_healthy");
        // the database creates that role when its volume is first initialised
        assertThat(strings(service("db").get("volumes"))).contains("./deploy/postgres:/docker-entrypoint-initdb.d:ro");
        assertThat(Files.readString(ROOT.resolve("deploy/postgres/10-app-role.sh")))
                .contains("CREATE ROLE scorepipe_app LOGIN PASSWORD").contains("/run/secrets/db_app_password");
    }

    @Test
    void redisIsABoundedLeastRecentlyUsedCache() {
        String command = String.join(" ", strings(service("redis").get("command")));
        assertThat(command).contains("--maxmemory ").contains("--maxmemory-policy allkeys-lru");
    }

    @Test
    void everyVariableTheComposeFileGivesTheAppsIsOneTheyRead() throws IOException {
        Set<String> read = variablesTheAppsRead();
        for (String name : APPS) {
            assertThat(read).as("variables " + name + " reads").containsAll(environment(name).keySet());
        }
    }

    /**
     * What the apps read: the variables of {@link ScorepipeEnvironmentPostProcessor}, the
     * placeholders in their application.yml, and the JVM's own.
     */
    static Set<String> variablesTheAppsRead() throws IOException {
        Set<String> read = new LinkedHashSet<>(ScorepipeEnvironmentPostProcessor.VARIABLES);
        read.addAll(JVM_VARIABLES);
        Pattern placeholder = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)[:}]");
        for (String app : APPS) {
            Matcher matcher = placeholder.matcher(Files.readString(ROOT.resolve(app + "/src/main/resources/application.yml")));
            while (matcher.find()) {
                read.add(matcher.group(1));
            }
        }
        return read;
    }

    @Test
    void theDevelopmentVariantPublishesTheDependenciesOnLoopbackOnlyAndKafkaAdvertisesTheHost() {
        Map<String, Object> dev = map(yaml("compose.dev.yaml").get("services"));
        Map<String, String> published = Map.of("db", "5432", "redis", "6379", "kafka", "29092");
        published.forEach((name, containerPort) -> {
            List<String> ports = strings(map(dev.get(name)).get("ports"));
            assertThat(ports).as(name + " ports").hasSize(1);
            assertThat(ports.getFirst()).as(name).startsWith("127.0.0.1:").endsWith(":" + containerPort);
            // an internal network cannot publish a port: the dependency joins an ordinary one too
            assertThat(strings(map(dev.get(name)).get("networks"))).as(name).contains("backend", "dev");
        });
        assertThat(map(yaml("compose.dev.yaml").get("networks")).get("dev")).as("dev is an ordinary network")
                .satisfiesAnyOf(network -> assertThat(network).isNull(),
                        network -> assertThat(map(network)).doesNotContainKey("internal"));
        Map<String, Object> kafka = map(map(dev.get("kafka")).get("environment"));
        String hostPort = strings(map(dev.get("kafka")).get("ports")).getFirst().split(":", 2)[1].replaceFirst(":29092$", "");
        assertThat(String.valueOf(kafka.get("KAFKA_LISTENERS"))).contains("HOST://:29092", "PLAINTEXT://:9092");
        assertThat(String.valueOf(kafka.get("KAFKA_ADVERTISED_LISTENERS"))).contains("PLAINTEXT://kafka:9092",
                "HOST://127.0.0.1:" + hostPort);
        assertThat(String.valueOf(kafka.get("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"))).contains("HOST:PLAINTEXT");
    }

    @Test
    void theDevelopmentVariantMountsTheDataFolderFromTheHost() {
        Map<String, Object> dev = map(yaml("compose.dev.yaml").get("services"));
        for (String name : APPS) {
            assertThat(strings(map(dev.get(name)).get("volumes"))).as(name).containsExactly("./data:/data");
        }
    }

    // ---------------------------------------------------------------------------- Dockerfiles

    @ParameterizedTest
    @ValueSource(strings = { "api", "worker" })
    void theImageIsBuiltInStagesFromPinnedBases(String app) {
        List<String[]> instructions = instructions(app);
        List<String> from = arguments(instructions, "FROM");
        assertThat(from).as("stages").hasSizeGreaterThanOrEqualTo(2);
        assertThat(from.getFirst()).startsWith("${BUILD_IMAGE}").endsWith(" AS build");
        assertThat(from.getLast()).isEqualTo("${RUNTIME_IMAGE}");
        Map<String, String> args = new java.util.HashMap<>();
        for (String arg : arguments(instructions, "ARG")) {
            String[] parts = arg.split("=", 2);
            args.put(parts[0], parts.length > 1 ? parts[1] : null);
        }
        assertThat(args.get("BUILD_IMAGE")).matches("maven:\\d+\\.\\d+\\.\\d+-eclipse-temurin-21");
        assertThat(args.get("RUNTIME_IMAGE")).matches("eclipse-temurin:21\\.\\d+\\.\\d+_\\d+-jre(-[a-z]+)?");
    }

    @ParameterizedTest
    @ValueSource(strings = { "api", "worker" })
    void dependenciesResolveBeforeTheSourcesAreCopied(String app) {
        List<String> lines = flat(instructions(app));
        int goOffline = indexOf(lines, line -> line.startsWith("RUN --mount=type=cache,target=/root/.m2")
                && line.contains("dependency:go-offline"));
        int firstSource = indexOf(lines, line -> line.startsWith("COPY ") && line.contains("/src "));
        int lastPom = lastIndexOf(lines, line -> line.startsWith("COPY ") && line.contains("pom.xml"));
        assertThat(goOffline).as("go-offline with a cache mount").isNotNegative();
        // Maven reads every module the root POM lists, built or not
        for (String module : modules()) {
            assertThat(lines).as(module + "'s POM is copied").anyMatch(line -> line.equals("COPY " + module + "/pom.xml "
                    + module + "/"));
        }
        assertThat(lastPom).isLessThan(goOffline);
        assertThat(goOffline).isLessThan(firstSource);
        assertThat(lines).anyMatch(line -> line.startsWith("RUN --mount=type=cache") && line.contains("package")
                && line.contains("-Djarmode=tools") && line.contains("extract --layers"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "api", "worker" })
    void bootsLayersAreCopiedLeastChangedFirst(String app) {
        List<String> copies = arguments(instructions(app), "COPY").stream().filter(copy -> copy.contains("--from=build"))
                .toList();
        assertThat(copies).hasSize(4);
        List<String> layers = List.of("dependencies", "spring-boot-loader", "snapshot-dependencies", "application");
        for (int i = 0; i < layers.size(); i++) {
            assertThat(copies.get(i)).contains("/extract/" + layers.get(i) + "/").contains("--chown=10001:10001");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "api", "worker" })
    void theImageRunsAsAFixedNonRootUserWithContainerFlags(String app) {
        List<String[]> instructions = instructions(app);
        List<String> keywords = instructions.stream().map(instruction -> instruction[0]).toList();
        List<String> users = arguments(instructions, "USER");
        assertThat(users).containsExactly("10001:10001");
        assertThat(keywords.lastIndexOf("USER")).isLessThan(keywords.lastIndexOf("ENTRYPOINT"));
        assertThat(keywords.lastIndexOf("RUN")).isLessThan(keywords.lastIndexOf("USER"));
        String entrypoint = arguments(instructions, "ENTRYPOINT").getLast();
        assertThat(entrypoint).startsWith("[").contains("\"-XX:MaxRAMPercentage=").contains("\"-XX:+ExitOnOutOfMemoryError\"");
        String healthcheck = arguments(instructions, "HEALTHCHECK").getLast();
        assertThat(healthcheck).contains("--interval=").contains("CMD [").doesNotContain("curl", "wget");
        String labels = String.join(" ", arguments(instructions, "LABEL"));
        assertThat(labels).contains("org.opencontainers.image.source=", "org.opencontainers.image.revision=",
                "org.opencontainers.image.version=");
        assertThat(keywords).contains("EXPOSE");
        assertThat(String.join("\n", flat(instructions))).doesNotContainIgnoringCase("secret").doesNotContain("COPY . ");
    }

    /** The modules the root POM lists outside its profiles. */
    static List<String> modules() {
        try {
            String pom = Files.readString(ROOT.resolve("pom.xml"));
            String modules = pom.substring(pom.indexOf("<modules>"), pom.indexOf("</modules>"));
            return Pattern.compile("<module>([^<]+)</module>").matcher(modules).results().map(match -> match.group(1))
                    .toList();
        }
        catch (IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    @Test
    void theBuildContextLeavesOutWhatNoImageNeeds() throws IOException {
        List<String> ignored = Files.readAllLines(ROOT.resolve(".dockerignore"));
        assertThat(ignored).contains("**/target/", ".git/", "secrets/", "data/", "**/data/", ".services/", "*.log");
    }

    // ---------------------------------------------------------------------------- helpers

    Map<String, Object> service(String name) {
        return map(services.get(name));
    }

    List<String> networks(String name) {
        return strings(service(name).get("networks"));
    }

    Map<String, String> environment(String name) {
        return composeEnvironment(name);
    }

    /** The environment compose.yaml gives {@code service}, as written (before interpolation). */
    static Map<String, String> composeEnvironment(String service) {
        Map<String, String> environment = new java.util.LinkedHashMap<>();
        Object variables = map(map(COMPOSE.get("services")).get(service)).get("environment");
        if (variables != null) {
            map(variables).forEach((key, value) -> environment.put(key, String.valueOf(value)));
        }
        return environment;
    }

    static String dockerfile(String app) {
        try {
            return Files.readString(ROOT.resolve("Dockerfile." + app));
        }
        catch (IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    /** The instructions of a Dockerfile: keyword and arguments, continuations joined, comments dropped. */
    static List<String[]> instructions(String app) {
        List<String[]> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : dockerfile(app).split("\n")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || trimmed.isEmpty()) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            current.append(trimmed);
            String text = current.toString().replaceAll("\\s+", " ");
            int space = text.indexOf(' ');
            instructions.add(new String[] { text.substring(0, space).toUpperCase(), text.substring(space + 1) });
            current.setLength(0);
        }
        return instructions;
    }

    static List<String> arguments(List<String[]> instructions, String keyword) {
        return instructions.stream().filter(instruction -> instruction[0].equals(keyword)).map(instruction -> instruction[1])
                .toList();
    }

    static List<String> flat(List<String[]> instructions) {
        return instructions.stream().map(instruction -> instruction[0] + " " + instruction[1]).toList();
    }

    static int indexOf(List<String> lines, java.util.function.Predicate<String> test) {
        for (int i = 0; i < lines.size(); i++) {
            if (test.test(lines.get(i))) {
                return i;
            }
        }
        return -1;
    }

    static int lastIndexOf(List<String> lines, java.util.function.Predicate<String> test) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (test.test(lines.get(i))) {
                return i;
            }
        }
        return -1;
    }

    static Map<String, Object> yaml(String file) {
        try {
            return new Yaml().load(Files.readString(ROOT.resolve(file)));
        }
        catch (IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    static List<String> strings(Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof String text) {
            return List.of(text);
        }
        assertThat(value).isInstanceOf(List.class);
        return ((List<?>) value).stream().map(String::valueOf).toList();
    }

    static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("compose.yaml"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("a folder above the module holding compose.yaml").isNotNull();
        return dir;
    }
}
