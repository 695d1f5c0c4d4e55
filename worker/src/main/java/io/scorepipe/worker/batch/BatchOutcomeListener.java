package io.scorepipe.worker.batch;

import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobExecutionException;
import org.springframework.batch.core.listener.JobExecutionListener;

import io.scorepipe.batch.Batch;
import io.scorepipe.system.Causes;

/**
 * Ends a batch with its job: a completed one's part files go; a failed one is failed for good with
 * a reason a person can act on (see {@link BatchLifecycle#failed}). A job that failed because the
 * database was away, or because another worker took the batch over, leaves the batch as it is:
 * the first is resumed, the second belongs to that worker.
 *
 * @param lifecycle the batch's state changes
 * @param files the batch's files
 * @param skipLimitPercent share of lines that may be rejected
 */
record BatchOutcomeListener(BatchLifecycle lifecycle, BatchFiles files, double skipLimitPercent)
        implements JobExecutionListener {

    private static final Logger log = LoggerFactory.getLogger(BatchOutcomeListener.class);
    /** How many rejected lines a skip-limit failure quotes. */
    static final int QUOTED_LINES = 5;

    @Override
    public void afterJob(JobExecution execution) {
        ScoreFileJob.Run run = ScoreFileJob.Run.of(execution);
        UUID batchId = run.batchId();
        if (execution.getStatus() == BatchStatus.COMPLETED) {
            lifecycle.cleanUp(batchId);
            return;
        }
        if (execution.getStatus() != BatchStatus.FAILED || failures(execution).anyMatch(BatchOutcomeListener::notTheFiles)) {
            return;
        }
        String reason = reason(execution, batchId);
        if (lifecycle.failed(batchId, run.fileName(), reason, run.outputs(), run.input())) {
            log.warn("Batch {} failed: {}", batchId, reason);
        }
    }

    private String reason(JobExecution execution, UUID batchId) {
        if (failures(execution).anyMatch(failure -> Causes.causedBy(failure, TooManyRejectsException.class))) {
            // the counters of the committed chunks of every partition: the figures /batches/{id} shows
            Batch failed = lifecycle.current(batchId);
            long lines = failed.rowsTotal() == null ? 0 : failed.rowsTotal();
            List<String> quoted = files.firstRejects(batchId, QUOTED_LINES);
            return failed.rowsRejected() + " of the file's " + lines + " lines were rejected (" + failed.rowsScored()
                    + " scored before the job stopped), over the skip limit of " + skipLimitPercent + "% ("
                    + TooManyRejectsException.limit(lines, skipLimitPercent) + " lines)"
                    + (quoted.isEmpty() ? "" : "; the first rejected lines: " + String.join("; ", quoted));
        }
        // the partitions' own failures say what went wrong; the manager step only says that one did
        return failures(execution).filter(failure -> !(failure instanceof JobExecutionException))
                .map(Causes::rootMessage).findFirst()
                .orElse(String.valueOf(execution.getExitStatus().getExitDescription()));
    }

    /** A database outage (the job is resumed) or a lost claim (the batch is another worker's now). */
    private static boolean notTheFiles(Throwable failure) {
        return DatabaseOutage.causedBy(failure) || Causes.causedBy(failure, BatchLifecycle.ClaimLostException.class);
    }

    private static Stream<Throwable> failures(JobExecution execution) {
        return Stream.concat(execution.getStepExecutions().stream().flatMap(step -> step.getFailureExceptions().stream()),
                execution.getAllFailureExceptions().stream());
    }
}
