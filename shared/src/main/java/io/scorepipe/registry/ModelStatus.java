package io.scorepipe.registry;

import java.util.Locale;

/** Where a model version stands: only the champion serves. */
public enum ModelStatus {
    /** Registered, never promoted. */
    CANDIDATE,
    /** Serving; exactly one version at a time. */
    CHAMPION,
    /** Served once, replaced since; can be promoted again (rollback). */
    RETIRED;

    String dbValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    static ModelStatus fromDb(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
