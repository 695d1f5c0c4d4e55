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

    /** The lower-case name used in the table and in JSON. */
    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static AuditSource fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
