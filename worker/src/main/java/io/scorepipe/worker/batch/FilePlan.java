package io.scorepipe.worker.batch;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A file's header and how many data lines follow it.
 *
 * @param header the first line
 * @param dataLines lines after the header (a last line without a line break counts)
 */
record FilePlan(String header, long dataLines) {

    /** @throws IllegalArgumentException for an empty file */
    static FilePlan of(Path file) throws IOException {
        String header;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            header = reader.readLine();
        }
        if (header == null || header.isBlank()) {
            throw new IllegalArgumentException("the file is empty; expected a header line naming the model's features");
        }
        long lines = 0;
        boolean endsWithBreak = true;
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        lines++;
                    }
                }
                endsWithBreak = buffer[n - 1] == '\n';
            }
        }
        long physical = lines + (endsWithBreak ? 0 : 1);
        return new FilePlan(header, Math.max(0, physical - 1));
    }
}
