package io.scorepipe.worker.retrain;

import org.jspecify.annotations.Nullable;

/**
 * What a retrain run did.
 *
 * @param version the version it registered, if it trained one
 * @param promoted whether that version became champion
 * @param reason why it was or was not promoted, or why nothing was trained
 */
record RetrainOutcome(@Nullable String version, boolean promoted, String reason) {

    /** Nothing was trained, for {@code reason}. */
    static RetrainOutcome skipped(String reason) {
        return new RetrainOutcome(null, false, reason);
    }

    /** Whether a version was registered. */
    boolean trained() {
        return version != null;
    }
}
