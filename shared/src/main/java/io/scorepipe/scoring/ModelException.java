package io.scorepipe.scoring;

import org.jspecify.annotations.Nullable;

/**
 * The model cannot serve: none is registered yet, or its bytes are corrupt or of the wrong kind.
 * Not the caller's fault; retrying after the model is fixed can succeed.
 */
public final class ModelException extends ScoringException {

    public ModelException(String message) {
        super(message, null);
    }

    public ModelException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
