package io.scorepipe.api.system;

import java.nio.file.Files;
import java.nio.file.Path;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Model administration ({@code scorepipe.admin.*}).
 *
 * @param tokenFile the file holding the admin bearer token (from {@code ADMIN_TOKEN_FILE}); when
 *     unset, every admin call is refused
 */
@Validated
@ConfigurationProperties("scorepipe.admin")
public record AdminProperties(@Nullable Path tokenFile) {

    public AdminProperties {
        if (tokenFile != null && !Files.isReadable(tokenFile)) {
            throw new IllegalArgumentException("scorepipe.admin.token-file (ADMIN_TOKEN_FILE) names " + tokenFile
                    + ", which cannot be read");
        }
    }
}
