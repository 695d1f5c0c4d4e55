package io.scorepipe.api.models;

import java.util.UUID;

/** No retrain run has the id asked for. */
public class UnknownRetrainRunException extends RuntimeException {

    UnknownRetrainRunException(UUID id) {
        super("no retrain run " + id);
    }
}
