package io.scorepipe.api.batch;

import java.util.UUID;

/** No batch has the id asked for. */
public class UnknownBatchException extends RuntimeException {

    UnknownBatchException(UUID id) {
        super("no batch " + id);
    }
}
