package io.scorepipe.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Turns the deployment's variables into Spring properties, with local defaults that match
 * {@code scripts/services}:
 *
 * <table>
 * <caption>variables and the properties they set</caption>
 * <tr><th>variable</th><th>default</th><th>sets</th></tr>
 * <tr><td>DATABASE_URL</td><td>postgresql://scorepipe@localhost:5432/scorepipe</td><td>spring.datasource.url, .username, .password</td></tr>
 * <tr><td>DB_PASSWORD_FILE</td><td>unset</td><td>spring.datasource.password (wins over a password in the URL)</td></tr>
 * <tr><td>REDIS_URL</td><td>redis://localhost:6379</td><td>scorepipe.redis.url</td></tr>
 * <tr><td>KAFKA_BOOTSTRAP_SERVERS</td><td>localhost:9092</td><td>spring.kafka.bootstrap-servers</td></tr>
 * <tr><td>SCOREPIPE_DATA_DIR</td><td>./data</td><td>scorepipe.data-dir</td></tr>
 * <tr><td>ADMIN_TOKEN_FILE</td><td>unset</td><td>scorepipe.admin.token-file</td></tr>
 * <tr><td>SCOREPIPE_DEFAULT_MODEL</td><td>diabetes</td><td>scorepipe.model.default-name: the model of every call that names none</td></tr>
 * <tr><td>DB_MIGRATION_USER</td><td>unset: migrations run as DATABASE_URL's user</td><td>spring.flyway.user</td></tr>
 * <tr><td>DB_MIGRATION_PASSWORD_FILE</td><td>unset</td><td>spring.flyway.password</td></tr>
 * </table>
 *
 * <p>With a migration role of its own, the schema belongs to that role and the apps' role
 * (DATABASE_URL's user) is granted row access only: it cannot drop or alter a table. The
 * migrations' {@code afterMigrate} callback grants it, named by the placeholder {@code app_role}.
 *
 * <p>The derived properties have the lowest precedence: an explicit {@code spring.datasource.url}
 * (in a property file, a system property or a test) still wins.
 */
public class ScorepipeEnvironmentPostProcessor implements EnvironmentPostProcessor {

    /** The name of the property source this adds. */
    public static final String SOURCE = "scorepipeEnvironment";

    /** Every variable this reads; the Compose file's environment is checked against them. */
    public static final List<String> VARIABLES = List.of("DATABASE_URL", "DB_PASSWORD_FILE", "REDIS_URL",
            "KAFKA_BOOTSTRAP_SERVERS", "SCOREPIPE_DATA_DIR", "ADMIN_TOKEN_FILE", "DB_MIGRATION_USER",
            "DB_MIGRATION_PASSWORD_FILE", "SCOREPIPE_DEFAULT_MODEL");

    /** The Flyway placeholder that names the apps' own database role. */
    public static final String APP_ROLE_PLACEHOLDER = "spring.flyway.placeholders.app_role";

    public static final String DEFAULT_DATABASE_URL = "postgresql://scorepipe@localhost:5432/scorepipe";
    public static final String DEFAULT_REDIS_URL = "redis://localhost:6379";
    public static final String DEFAULT_KAFKA = "localhost:9092";
    public static final String DEFAULT_DATA_DIR = "./data";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Map<String, Object> properties = new LinkedHashMap<>();
        DatabaseUrl database = DatabaseUrl.parse(environment.getProperty("DATABASE_URL", DEFAULT_DATABASE_URL));
        properties.put("spring.datasource.url", database.jdbcUrl());
        if (database.username() != null) {
            properties.put("spring.datasource.username", database.username());
        }
        String passwordFile = environment.getProperty("DB_PASSWORD_FILE");
        if (passwordFile != null && !passwordFile.isBlank()) {
            properties.put("spring.datasource.password", SecretFile.read("DB_PASSWORD_FILE", Path.of(passwordFile)));
        }
        else if (database.password() != null) {
            properties.put("spring.datasource.password", database.password());
        }
        properties.put(APP_ROLE_PLACEHOLDER, database.username() == null ? "" : database.username());
        String migrationUser = environment.getProperty("DB_MIGRATION_USER");
        if (migrationUser != null && !migrationUser.isBlank()) {
            properties.put("spring.flyway.user", migrationUser);
            String migrationPasswordFile = environment.getProperty("DB_MIGRATION_PASSWORD_FILE");
            if (migrationPasswordFile != null && !migrationPasswordFile.isBlank()) {
                properties.put("spring.flyway.password",
                        SecretFile.read("DB_MIGRATION_PASSWORD_FILE", Path.of(migrationPasswordFile)));
            }
        }
        properties.put("scorepipe.redis.url", environment.getProperty("REDIS_URL", DEFAULT_REDIS_URL));
        properties.put("spring.kafka.bootstrap-servers",
                environment.getProperty("KAFKA_BOOTSTRAP_SERVERS", DEFAULT_KAFKA));
        properties.put("scorepipe.data-dir", environment.getProperty("SCOREPIPE_DATA_DIR", DEFAULT_DATA_DIR));
        String tokenFile = environment.getProperty("ADMIN_TOKEN_FILE");
        if (tokenFile != null && !tokenFile.isBlank()) {
            properties.put("scorepipe.admin.token-file", tokenFile);
        }
        String defaultModel = environment.getProperty("SCOREPIPE_DEFAULT_MODEL");
        if (defaultModel != null && !defaultModel.isBlank()) {
            properties.put("scorepipe.model.default-name", defaultModel.strip());
        }
        environment.getPropertySources().addLast(new MapPropertySource(SOURCE, properties));
    }
}
