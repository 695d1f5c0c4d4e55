package io.scorepipe.bench;

import java.io.PrintStream;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** What had arrived at the end of the drain, the wait after the load for the last results, files and audit rows. */
record Drain(long kafkaAcked, long kafkaScored, BatchStats batches, Map<String, Long> audit, long expectedApi,
        boolean complete) {

    private static final PrintStream log = System.err;

    /**
     * Waits until every acknowledged Kafka request has its result, every dropped file is completed or
     * failed, and prediction_audit holds a row per answered prediction, Kafka result and scored CSV
     * row; or until {@code deadline}, when what is missing stays missing.
     */
    static Drain await(SoakDatabase db, PredictLoad predict, StreamLoad stream, CsvDrops csv, long deadline)
            throws SQLException, InterruptedException {
        long lastLog = System.nanoTime();
        while (true) {
            long acked = stream.acked.get();
            long scored = stream.scored.get();
            BatchStats batches = db.batchStats();
            int dropped = csv.names.size();
            boolean kafkaDone = scored >= acked;
            boolean filesDone = batches.completed() + batches.failed() >= dropped;
            Map<String, Long> audit = kafkaDone && filesDone ? db.auditRows() : null;
            long expectedApi = predict.ok.sum();
            boolean auditDone = audit != null && audit.get("api") >= expectedApi && audit.get("stream") >= scored
                    && audit.get("batch") >= batches.rowsScored();
            long now = System.nanoTime();
            if ((kafkaDone && filesDone && auditDone) || now >= deadline) {
                if (audit == null) {
                    audit = db.auditRows();
                }
                return new Drain(acked, scored, batches, audit, expectedApi, kafkaDone && filesDone && auditDone);
            }
            if (now - lastLog > TimeUnit.SECONDS.toNanos(10)) {
                lastLog = now;
                log.printf("  draining: Kafka results %,d of %,d, files done %d of %d%s%n", scored, acked,
                        batches.completed() + batches.failed(), dropped,
                        audit == null ? ""
                                : String.format(", audit rows api %,d of %,d", audit.get("api"), expectedApi));
            }
            Thread.sleep(audit == null ? 500 : 2000);
        }
    }
}
