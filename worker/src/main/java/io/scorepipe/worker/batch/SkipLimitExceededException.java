package io.scorepipe.worker.batch;

import org.jspecify.annotations.Nullable;

/**
 * Too many lines of a file were rejected: the file is mostly not what the model takes. The message
 * carries one rejected line's reason, because the rejects file of a failed batch is not served.
 */
class SkipLimitExceededException extends RuntimeException {

    SkipLimitExceededException(long rejected, long lines, double percent, Lines.@Nullable Outcome example) {
        super(rejected + " of the file's " + lines + " lines were rejected, over the skip limit of " + percent
                + "%" + (example == null ? "" : "; for example line " + example.number() + ": " + example.rejection()));
    }
}
