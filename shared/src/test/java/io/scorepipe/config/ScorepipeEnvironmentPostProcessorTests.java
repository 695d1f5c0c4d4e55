package io.scorepipe.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

class ScorepipeEnvironmentPostProcessorTests {

    private final ScorepipeEnvironmentPostProcessor processor = new ScorepipeEnvironmentPostProcessor();

    @Test
    void defaultsMatchTheLocalServices() {
        StandardEnvironment environment = environment(Map.of());

        processor.postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty("spring.datasource.url")).isEqualTo("jdbc:postgresql://localhost:5432/scorepipe");
        assertThat(environment.getProperty("spring.datasource.username")).isEqualTo("scorepipe");
        assertThat(environment.getProperty("spring.datasource.password")).isNull();
        assertThat(environment.getProperty("scorepipe.redis.url")).isEqualTo("redis://localhost:6379");
        assertThat(environment.getProperty("spring.kafka.bootstrap-servers")).isEqualTo("localhost:9092");
        assertThat(environment.getProperty("scorepipe.data-dir")).isEqualTo("./data");
    }

    @Test
    void variablesAndSecretFilesAreRead(@TempDir Path dir) throws Exception {
        Path password = Files.writeString(dir.resolve("db_password.txt"), "from-file\n");
        StandardEnvironment environment = environment(Map.of(
                "DATABASE_URL", "postgresql://app:in-url@db:6543/predictions",
                "DB_PASSWORD_FILE", password.toString(),
                "REDIS_URL", "redis://cache:6380",
                "KAFKA_BOOTSTRAP_SERVERS", "kafka:9092",
                "SCOREPIPE_DATA_DIR", "/var/lib/scorepipe",
                "ADMIN_TOKEN_FILE", "/run/secrets/admin_token"));

        processor.postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty("spring.datasource.url")).isEqualTo("jdbc:postgresql://db:6543/predictions");
        assertThat(environment.getProperty("spring.datasource.password")).isEqualTo("from-file");
        assertThat(environment.getProperty("scorepipe.redis.url")).isEqualTo("redis://cache:6380");
        assertThat(environment.getProperty("spring.kafka.bootstrap-servers")).isEqualTo("kafka:9092");
        assertThat(environment.getProperty("scorepipe.data-dir")).isEqualTo("/var/lib/scorepipe");
        assertThat(environment.getProperty("scorepipe.admin.token-file")).isEqualTo("/run/secrets/admin_token");
    }

    @Test
    void everyListedVariableChangesWhatTheAppsSee(@TempDir Path dir) throws Exception {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "s3cret");
        Map<String, String> values = Map.of("DATABASE_URL", "postgresql://u@elsewhere:1/other",
                "DB_PASSWORD_FILE", secret.toString(), "REDIS_URL", "redis://elsewhere:1",
                "KAFKA_BOOTSTRAP_SERVERS", "elsewhere:1", "SCOREPIPE_DATA_DIR", "/elsewhere",
                "ADMIN_TOKEN_FILE", secret.toString(), "DB_MIGRATION_USER", "owner", "DB_MIGRATION_PASSWORD_FILE",
                secret.toString(), "SCOREPIPE_DEFAULT_MODEL", "houses");
        assertThat(values.keySet()).containsExactlyInAnyOrderElementsOf(ScorepipeEnvironmentPostProcessor.VARIABLES);
        StandardEnvironment defaults = environment(Map.of());
        processor.postProcessEnvironment(defaults, new SpringApplication());
        Map<String, Object> before = properties(defaults);

        for (String variable : ScorepipeEnvironmentPostProcessor.VARIABLES) {
            // the migration password is read only for a migration user
            Map<String, Object> set = variable.equals("DB_MIGRATION_PASSWORD_FILE")
                    ? Map.of(variable, values.get(variable), "DB_MIGRATION_USER", "owner") : Map.of(variable, values.get(variable));
            StandardEnvironment environment = environment(set);
            processor.postProcessEnvironment(environment, new SpringApplication());
            assertThat(properties(environment)).as(variable).isNotEqualTo(before);
        }
    }

    @Test
    void aMigrationRoleOfItsOwnRunsFlywayAndTheAppsRoleIsTheGrantee(@TempDir Path dir) throws Exception {
        Path password = Files.writeString(dir.resolve("owner.txt"), "owner-secret");
        StandardEnvironment environment = environment(Map.of("DATABASE_URL", "postgresql://app@db/scorepipe",
                "DB_MIGRATION_USER", "owner", "DB_MIGRATION_PASSWORD_FILE", password.toString()));

        processor.postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty("spring.datasource.username")).isEqualTo("app");
        assertThat(environment.getProperty("spring.flyway.user")).isEqualTo("owner");
        assertThat(environment.getProperty("spring.flyway.password")).isEqualTo("owner-secret");
        assertThat(environment.getProperty(ScorepipeEnvironmentPostProcessor.APP_ROLE_PLACEHOLDER)).isEqualTo("app");
    }

    private static Map<String, Object> properties(StandardEnvironment environment) {
        return ((MapPropertySource) environment.getPropertySources().get(ScorepipeEnvironmentPostProcessor.SOURCE))
                .getSource();
    }

    @Test
    void explicitSpringPropertiesWin() {
        StandardEnvironment environment = environment(Map.of("spring.datasource.url", "jdbc:postgresql://other/db"));

        processor.postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty("spring.datasource.url")).isEqualTo("jdbc:postgresql://other/db");
    }

    @Test
    void aMissingSecretFileIsNamedButNotRead(@TempDir Path dir) {
        StandardEnvironment environment = environment(Map.of("DB_PASSWORD_FILE", dir.resolve("nope.txt").toString()));

        assertThatIllegalStateException()
                .isThrownBy(() -> processor.postProcessEnvironment(environment, new SpringApplication()))
                .withMessageStartingWith("DB_PASSWORD_FILE names ")
                .withMessageContaining("nope.txt");
    }

    private static StandardEnvironment environment(Map<String, Object> variables) {
        StandardEnvironment environment = new StandardEnvironment();
        // stand in for the process environment, which a test cannot set
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        environment.getPropertySources().addFirst(new MapPropertySource("variables", variables));
        return environment;
    }
}
