package io.scorepipe.worker.batch;

/** Too many lines of a file were rejected: the file is mostly not what the model takes. */
class SkipLimitExceededException extends RuntimeException {

    SkipLimitExceededException(long rejected, long lines, double percent) {
        super(rejected + " of the file's " + lines + " lines were rejected, over the skip limit of " + percent
                + "%; the rejects file so far says why");
    }
}
