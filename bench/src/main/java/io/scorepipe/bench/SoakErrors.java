package io.scorepipe.bench;

import java.util.List;
import java.util.Map;

/**
 * The run's errors flow by flow, as the acceptance counts them: /predict answers other than 200,
 * I/O failures and requests dropped for backlog; Kafka send failures, requests without a result
 * after the drain and dead letters; CSV drops that failed, files failed or unfinished, rows
 * rejected, results files with a wrong row count and rows missing; audit rows missing.
 */
record SoakErrors(long predictNon200, long predictIo, long predictDropped, long predictInWarmup, long predictAfterLoad,
        long kafkaSendErrors, long kafkaUnscored, long deadLetters,
        int filesDropped, long dropFailures, long filesFailed, long filesUnfinished, long rowsRejected,
        long resultFilesChecked, long resultFilesMismatched, long csvRowsMissing, List<String> failedBatches,
        long auditMissing, long auditExtra) {

    /**
     * Counts them once the drain is over: {@code warmup} is the warm-up's end (null when there was
     * none), {@code last} the last minute's, {@code after} the drain's.
     */
    static SoakErrors count(Snapshot warmup, Snapshot last, Snapshot after, Drain drain, CsvDrops csv,
            SoakDatabase db) {
        long predict = after.non200() + after.ioErrors() + after.dropped();
        long inWarmup = warmup == null ? 0 : warmup.non200() + warmup.ioErrors() + warmup.dropped();
        long afterLoad = predict - (last.non200() + last.ioErrors() + last.dropped());
        long kafkaUnscored = Math.max(0, drain.kafkaAcked() - drain.kafkaScored());
        int dropped = csv.names.size();
        BatchStats batches = drain.batches();
        long filesUnfinished = Math.max(0, dropped - batches.completed() - batches.failed());
        long csvRowsExpected = (long) dropped * csv.rows();
        long csvRowsMissing = Math.max(0, csvRowsExpected - batches.rowsScored());
        long[] resultFiles = db.resultFilesMismatch(csv.names, csv.rows());
        List<String> failedBatches = batches.failed() > 0 ? db.failedBatches() : List.of();
        Map<String, Long> audit = drain.audit();
        long auditMissing = Math.max(0, drain.expectedApi() - audit.get("api"))
                + Math.max(0, drain.kafkaScored() - audit.get("stream"))
                + Math.max(0, batches.rowsScored() - audit.get("batch"));
        long auditExtra = Math.max(0, audit.get("api") - drain.expectedApi())
                + Math.max(0, audit.get("stream") - drain.kafkaScored())
                + Math.max(0, audit.get("batch") - batches.rowsScored());
        return new SoakErrors(after.non200(), after.ioErrors(), after.dropped(), inWarmup, afterLoad,
                after.kafkaSendErrors(), kafkaUnscored, after.deadLetters(),
                dropped, csv.failures.sum(), batches.failed(), filesUnfinished, batches.rowsRejected(),
                resultFiles[0], resultFiles[1], csvRowsMissing, failedBatches,
                auditMissing, auditExtra);
    }

    long predict() {
        return predictNon200 + predictIo + predictDropped;
    }

    long kafka() {
        return kafkaSendErrors + kafkaUnscored + deadLetters;
    }

    /** The rows missing count only when every file completed: a failed or unfinished file is counted already. */
    long csv() {
        return dropFailures + filesFailed + filesUnfinished + rowsRejected + resultFilesMismatched
                + (filesFailed + filesUnfinished == 0 ? csvRowsMissing : 0);
    }

    long total() {
        return predict() + kafka() + csv() + auditMissing;
    }
}
