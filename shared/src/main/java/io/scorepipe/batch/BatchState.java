package io.scorepipe.batch;

import java.util.Locale;

/** Where a batch stands. */
public enum BatchState {
    /** Stored in the inbox by the api; not claimed yet. */
    UPLOADED,
    /** Claimed and announced; waiting for a worker. */
    QUEUED,
    /** A worker runs its job. */
    RUNNING,
    /** Scored; results and rejects are in place. */
    COMPLETED,
    /** The job failed; see the error. */
    FAILED,
    /** Same content as a batch scored before; points at its results. */
    DUPLICATE;

    public String dbValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static BatchState fromDb(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
