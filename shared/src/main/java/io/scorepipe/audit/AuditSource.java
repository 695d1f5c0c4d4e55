package io.scorepipe.audit;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Which way a prediction was asked for. */
public enum AuditSource {
    /** {@code POST /predict} and {@code /predict/batch}. */
    API,
    /** A CSV file scored by the batch job. */
    BATCH,
    /** A record on {@code scoring.requests}. */
    STREAM;

    private final String wire = name().toLowerCase(Locale.ROOT);

    /** The lower-case name used in the table and in JSON (asked once per audited row: made once). */
    @JsonValue
    public String wire() {
        return wire;
    }

    @JsonCreator
    public static AuditSource fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
