package io.scorepipe.system;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256, which every Java runtime has: a new digest, and the hash of a file. */
public final class Sha256 {

    private Sha256() {
    }

    /** A fresh digest; not thread-safe, like every {@link MessageDigest}. */
    public static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("every Java runtime has SHA-256", ex);
        }
    }

    /** The hash of {@code bytes}. */
    public static byte[] of(byte[] bytes) {
        return digest().digest(bytes);
    }

    /** The hex digest of {@code bytes}. */
    public static String hexOf(byte[] bytes) {
        return HexFormat.of().formatHex(of(bytes));
    }

    /** The file's hash as lower-case hex, read as a stream (never whole in memory). */
    public static String hexOf(Path file) throws IOException {
        MessageDigest digest = digest();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
