package io.scorepipe.api.batch;

/** A batch's files were asked for before it completed. */
public class BatchNotReadyException extends RuntimeException {

    BatchNotReadyException(String message) {
        super(message);
    }
}
