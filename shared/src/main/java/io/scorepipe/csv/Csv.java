package io.scorepipe.csv;

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

    /** @throws IllegalArgumentException for an unterminated or misplaced quote */
    public static List<String> split(String line) {
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
