package io.scorepipe.bench;

/** The worker's batches table summed up: files, those completed and failed, rows scored and rejected. */
record BatchStats(long files, long completed, long failed, long rowsScored, long rowsRejected) {

    static final BatchStats NONE = new BatchStats(0, 0, 0, 0, 0);
}
