package io.scorepipe.api.system;

import java.nio.file.Path;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Model administration ({@code scorepipe.admin.*}).
 *
 * @param tokenFile the file holding the admin bearer token (from {@code ADMIN_TOKEN_FILE}); when
 *     unset, every admin call is refused
 */
@ConfigurationProperties("scorepipe.admin")
public record AdminProperties(@Nullable Path tokenFile) {
}
