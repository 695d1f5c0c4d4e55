package io.scorepipe.system;

/** PostgreSQL array literals, for values sent as text and cast ({@code ?::float8[]}). */
public final class SqlArrays {

    private SqlArrays() {
    }

    /** {@code {1.5,2.0}}; Double.toString round-trips every finite double exactly. */
    public static String literal(double[] values) {
        StringBuilder literal = new StringBuilder(values.length * 22).append('{');
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                literal.append(',');
            }
            literal.append(values[i]);
        }
        return literal.append('}').toString();
    }
}
