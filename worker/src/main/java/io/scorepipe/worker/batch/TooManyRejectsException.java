package io.scorepipe.worker.batch;

/**
 * Too many lines of a file were rejected: the file is mostly not what the model takes. Raised only
 * after the chunk that crossed the limit has committed, so the batch's counters and rejects file
 * hold every line rejected so far; the batch's error is then written from those counters
 * ({@link BatchOutcomeListener}).
 */
class TooManyRejectsException extends RuntimeException {

    TooManyRejectsException(long rejected, long lines, double percent) {
        super(rejected + " of the file's " + lines + " lines were rejected, over the skip limit of " + percent + "%");
    }

    /** The most lines of a {@code lines}-line file that may be rejected. */
    static long limit(long lines, double percent) {
        return (long) Math.ceil(lines * percent / 100.0);
    }
}
