/**
 * Twelve-factor configuration: the deployment's environment variables ({@code DATABASE_URL},
 * {@code DB_PASSWORD_FILE}, {@code REDIS_URL}, {@code KAFKA_BOOTSTRAP_SERVERS},
 * {@code SCOREPIPE_DATA_DIR}, {@code ADMIN_TOKEN_FILE}) turned into the Spring properties both
 * applications use.
 */
@NullMarked
package io.scorepipe.config;

import org.jspecify.annotations.NullMarked;
