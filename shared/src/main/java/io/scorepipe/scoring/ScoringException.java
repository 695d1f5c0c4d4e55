package io.scorepipe.scoring;

/**
 * A failure to score, of one of two kinds that callers handle differently: a problem with the
 * record ({@link InvalidInputException}: reject it, go on with the next) or a problem with the
 * model ({@link ModelException}: nothing can be scored until it is fixed; retry later).
 */
public abstract sealed class ScoringException extends RuntimeException
        permits InvalidInputException, ModelException {

    ScoringException(String message, Throwable cause) {
        super(message, cause);
    }
}
