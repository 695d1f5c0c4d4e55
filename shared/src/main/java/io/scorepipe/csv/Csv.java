package io.scorepipe.csv;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 fields on one line: commas separate, double quotes enclose, two double quotes inside
 * quotes are one. A record spanning lines is not supported (it is rejected as an unterminated
 * quote), because a scoring row is numbers and an id.
 */
public final class Csv {

    private Csv() {
    }

    /** What to do with one line of a file. */
    @FunctionalInterface
    public interface LineHandler {

        /**
         * @param number the line's number in the file, the header being 1
         * @param text the line
         */
        void handle(int number, String text) throws IOException;
    }

    /** Hands every non-blank line after the header to {@code handler}, with its number. */
    public static void eachLine(BufferedReader reader, LineHandler handler) throws IOException {
        String text;
        int number = 1;
        while ((text = reader.readLine()) != null) {
            number++;
            if (!text.isBlank()) {
                handler.handle(number, text);
            }
        }
    }

    /** A header line's column names, without a byte-order mark and the spaces around each. */
    public static List<String> header(String line) {
        return split(line.startsWith("\uFEFF") ? line.substring(1) : line).stream().map(String::strip).toList();
    }

    /** @throws IllegalArgumentException for an unterminated or misplaced quote */
    public static List<String> split(String line) {
        if (line.indexOf('"') < 0) {
            // no quotes (most data lines): the fields are the text between commas
            List<String> fields = new ArrayList<>(16);
            int start = 0;
            for (int comma = line.indexOf(','); comma >= 0; comma = line.indexOf(',', start)) {
                fields.add(line.substring(start, comma));
                start = comma + 1;
            }
            fields.add(line.substring(start));
            return fields;
        }
        List<String> fields = new ArrayList<>(16);
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    }
                    else {
                        quoted = false;
                    }
                }
                else {
                    field.append(c);
                }
            }
            else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
                wasQuoted = false;
            }
            else if (c == '"') {
                if (field.length() > 0 || wasQuoted) {
                    throw new IllegalArgumentException("a quote in the middle of field " + (fields.size() + 1));
                }
                quoted = true;
                wasQuoted = true;
            }
            else {
                field.append(c);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("field " + (fields.size() + 1) + " has an unterminated quote");
        }
        fields.add(field.toString());
        return fields;
    }

    /** One field, quoted when it needs to be. */
    public static String quote(String value) {
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }
}
