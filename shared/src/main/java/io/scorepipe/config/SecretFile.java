package io.scorepipe.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a secret (a password, a token) from a file, as Docker and Kubernetes secrets provide them. */
public final class SecretFile {

    private SecretFile() {
    }

    /**
     * The file's content without its trailing line break.
     *
     * @param variable the environment variable that named the file, for the error message
     * @throws IllegalStateException when the file cannot be read or is empty; the message names
     *     the variable and the path, never the content
     */
    public static String read(String variable, Path path) {
        String content;
        try {
            content = Files.readString(path, StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            throw new IllegalStateException(variable + " names " + path + ", which cannot be read: " + ex.getClass().getSimpleName(), ex);
        }
        String secret = content.strip();
        if (secret.isEmpty()) {
            throw new IllegalStateException(variable + " names " + path + ", which is empty");
        }
        return secret;
    }
}
