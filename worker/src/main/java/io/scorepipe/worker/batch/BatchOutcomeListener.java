package io.scorepipe.worker.batch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;

import io.scorepipe.batch.BatchRepository;
import io.scorepipe.batch.DataFolders;

/**
 * Records a failed job's reason on its batch, in words a person can act on, and clears its
 * traces from {@code processing/}: the input goes to {@code archive/} as a completed one does, and
 * the partitions' part files are removed. A job that failed because the database was away keeps
 * both, because it is resumed.
 */
class BatchOutcomeListener implements JobExecutionListener {

    private static final Logger log = LoggerFactory.getLogger(BatchOutcomeListener.class);

    private final BatchRepository batches;
    private final DataFolders folders;

    BatchOutcomeListener(BatchRepository batches, DataFolders folders) {
        this.batches = batches;
        this.folders = folders;
    }

    @Override
    public void afterJob(JobExecution execution) {
        String batch = execution.getJobParameters().getString(ScoreFileJobConfiguration.BATCH_ID);
        if (execution.getStatus() == BatchStatus.COMPLETED) {
            try {
                AssembleTasklet.deleteTree(ScoreFileJobConfiguration.partsFolder(folders, batch));
            }
            catch (IOException ex) {
                log.warn("Batch {} completed; its part files could not be removed: {}", batch, ex.getMessage());
            }
            return;
        }
        if (execution.getStatus() != BatchStatus.FAILED) {
            return;
        }
        if (execution.getAllFailureExceptions().stream().anyMatch(DatabaseOutage::causedBy)) {
            // not the file's fault: BatchRunner resumes the job once the database answers
            return;
        }
        // the partitions' own failures say what went wrong; the manager step only says that one did
        String reason = execution.getStepExecutions().stream().flatMap(step -> step.getFailureExceptions().stream())
                .filter(ex -> !ex.getClass().getSimpleName().equals("JobExecutionException"))
                .map(BatchOutcomeListener::rootMessage).findFirst()
                .orElseGet(() -> execution.getAllFailureExceptions().stream().map(BatchOutcomeListener::rootMessage)
                        .findFirst().orElse(execution.getExitStatus().getExitDescription()));
        UUID batchId = UUID.fromString(execution.getJobParameters().getString(ScoreFileJobConfiguration.BATCH_ID));
        batches.failed(batchId, reason);
        log.warn("Batch {} failed: {}", batchId, reason);
        String input = execution.getJobParameters().getString(ScoreFileJobConfiguration.INPUT_FILE);
        if (input != null && Files.exists(Path.of(input))) {
            try {
                batches.inputMoved(batchId, AssembleTasklet.archive(folders, Path.of(input)).toString());
            }
            catch (IOException ex) {
                log.warn("Batch {} failed; its input could not be moved to archive/: {}", batchId, ex.getMessage());
            }
        }
        try {
            AssembleTasklet.deleteTree(ScoreFileJobConfiguration.partsFolder(folders, batch));
        }
        catch (IOException ex) {
            log.warn("Batch {} failed; its part files could not be removed: {}", batchId, ex.getMessage());
        }
        // a failed batch writes no results: its name is free again for the next file of that name
        String results = execution.getExecutionContext().getString(ScoreFileJobConfiguration.RESULTS_FILE, null);
        if (results != null) {
            try {
                Files.deleteIfExists(ScoreFileJobConfiguration.claimMarker(Path.of(results)));
            }
            catch (IOException ex) {
                log.warn("Batch {} failed; the claim on {} could not be released: {}", batchId, results, ex.getMessage());
            }
        }
    }

    private static String rootMessage(Throwable ex) {
        Throwable root = ex;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
