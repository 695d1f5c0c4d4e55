package io.scorepipe.api.system;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import org.jspecify.annotations.Nullable;

import io.scorepipe.config.SecretFile;
import io.scorepipe.system.Sha256;

/**
 * The admin bearer token, kept only as its SHA-256 digest and compared in constant time, so
 * neither its value nor its length leaks through logs, errors or timing.
 */
public final class AdminToken {

    private static final String BEARER = "Bearer ";

    private final byte @Nullable [] digest;

    private AdminToken(byte @Nullable [] digest) {
        this.digest = digest;
    }

    public static AdminToken from(AdminProperties properties) {
        if (properties.tokenFile() == null) {
            return new AdminToken(null);
        }
        return new AdminToken(sha256(SecretFile.read("ADMIN_TOKEN_FILE", properties.tokenFile())));
    }

    public boolean configured() {
        return digest != null;
    }

    /** Whether {@code presented} is the token; false for null, empty and anything else. */
    public boolean matches(@Nullable String presented) {
        if (digest == null || presented == null || presented.isEmpty()) {
            return false;
        }
        return MessageDigest.isEqual(digest, sha256(presented));
    }

    /** Whether an {@code Authorization} header carries the token as a bearer token. */
    public boolean authorizes(@Nullable String authorization) {
        return matches(bearer(authorization));
    }

    /** The token of an {@code Authorization: Bearer ...} header; null for any other header. */
    public static @Nullable String bearer(@Nullable String authorization) {
        return authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
                ? authorization.substring(BEARER.length()).strip() : null;
    }

    private static byte[] sha256(String value) {
        return Sha256.of(value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return configured() ? "AdminToken[configured]" : "AdminToken[none]";
    }
}
