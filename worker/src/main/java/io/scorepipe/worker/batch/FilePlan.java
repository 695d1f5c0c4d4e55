package io.scorepipe.worker.batch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.scorepipe.worker.system.BoundedLines;

/**
 * A file's header and how many data lines follow it.
 *
 * @param header the first line
 * @param dataLines lines after the header, split as the job's {@link LineReader} splits them
 */
record FilePlan(String header, long dataLines) {

    /**
     * Reads the header and counts the lines in one pass, holding at most {@code maxLineBytes} of
     * any line.
     *
     * @throws IllegalArgumentException for an empty file, or a header that is too long or not UTF-8 text
     */
    static FilePlan of(Path file, int maxLineBytes) throws IOException {
        try (BoundedLines lines = new BoundedLines(Files.newInputStream(file), maxLineBytes)) {
            if (!lines.next() || lines.text().isBlank()) {
                throw new IllegalArgumentException("the file is empty; expected a header line naming the model's features");
            }
            if (lines.tooLong()) {
                throw new IllegalArgumentException("the header line is longer than " + maxLineBytes + " bytes ("
                        + lines.length() + " bytes; the limit is scorepipe.batch.max-line-length); expected a header "
                        + "line naming the model's features");
            }
            String header = lines.text();
            if (header.indexOf('\uFFFD') >= 0 || header.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("the header line is not UTF-8 text (is this a CSV file?); expected "
                        + "a header line naming the model's features");
            }
            long dataLines = 0;
            while (lines.next()) {
                dataLines++;
            }
            return new FilePlan(header, dataLines);
        }
    }
}
