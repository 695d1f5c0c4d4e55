package io.scorepipe.worker.batch;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A file's header and how many data lines follow it.
 *
 * @param header the first line
 * @param dataLines lines after the header, as a line reader counts them
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
        // counted the way the job's reader splits lines (\n, \r\n and a lone \r alike), so that the
        // partitions cover every line
        long physical = 0;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            while (reader.readLine() != null) {
                physical++;
            }
        }
        return new FilePlan(header, Math.max(0, physical - 1));
    }
}
