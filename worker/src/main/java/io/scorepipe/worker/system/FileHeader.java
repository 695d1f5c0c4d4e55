package io.scorepipe.worker.system;

import java.io.Serializable;
import java.util.List;

import io.scorepipe.csv.Csv;

/**
 * A CSV file's first line, read once: its text without a byte-order mark, and its column names.
 * A scored file's prepare step hands it to every partition in the job's context.
 *
 * @param text the header line as the results file repeats it
 * @param columns its column names, stripped of surrounding blanks
 */
public record FileHeader(String text, List<String> columns) implements Serializable {

    private static final String BYTE_ORDER_MARK = "\uFEFF";

    public FileHeader {
        columns = List.copyOf(columns);
    }

    /**
     * @throws IllegalArgumentException for a misplaced or unterminated quote
     */
    public static FileHeader parse(String line) {
        String text = line.startsWith(BYTE_ORDER_MARK) ? line.substring(BYTE_ORDER_MARK.length()) : line;
        return new FileHeader(text, Csv.split(text).stream().map(String::strip).toList());
    }
}
