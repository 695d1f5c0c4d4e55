package io.scorepipe.worker.batch;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;

import io.scorepipe.batch.Batch;
import io.scorepipe.batch.BatchRepository;
import io.scorepipe.batch.DataFolders;
import io.scorepipe.worker.system.Csv;

/**
 * Records a failed job's reason on its batch, in words a person can act on, keeps the lines it
 * rejected so far as the batch's rejects file, and clears its traces from {@code processing/}:
 * the input goes to {@code archive/} as a completed one does, and the partitions' part files are
 * removed. A job that failed because the database was away keeps everything, because it is resumed.
 */
class BatchOutcomeListener implements JobExecutionListener {

    private static final Logger log = LoggerFactory.getLogger(BatchOutcomeListener.class);
    /** How many rejected lines a skip-limit failure quotes. */
    static final int QUOTED_LINES = 5;

    private final BatchRepository batches;
    private final DataFolders folders;
    private final int partitions;
    private final double skipLimitPercent;

    BatchOutcomeListener(BatchRepository batches, DataFolders folders, int partitions, double skipLimitPercent) {
        this.batches = batches;
        this.folders = folders;
        this.partitions = partitions;
        this.skipLimitPercent = skipLimitPercent;
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
        UUID batchId = UUID.fromString(batch);
        Path parts = ScoreFileJobConfiguration.partsFolder(folders, batch);
        Path rejects = rejectsFile(execution, batchId);
        try {
            AssembleTasklet.join(parts, "rejects-", "line,reason,raw", rejects, partitions);
        }
        catch (IOException ex) {
            log.warn("Batch {} failed; its rejected lines could not be kept in {}: {}", batchId, rejects, ex.getMessage());
        }
        String reason = reason(execution, batchId, rejects);
        batches.failed(batchId, reason, Files.exists(rejects) ? rejects.toString() : null);
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
            AssembleTasklet.deleteTree(parts);
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

    /** The name the prepare step reserved; a job that failed before it gets one with its id. */
    private Path rejectsFile(JobExecution execution, UUID batchId) {
        String reserved = execution.getExecutionContext().getString(ScoreFileJobConfiguration.REJECTS_FILE, null);
        if (reserved != null) {
            return Path.of(reserved);
        }
        String name = execution.getJobParameters().getString(ScoreFileJobConfiguration.FILE_NAME);
        return folders.rejects().resolve(ScoreFileJobConfiguration.stem(String.valueOf(name)) + "." + batchId
                + ".rejects.csv");
    }

    private String reason(JobExecution execution, UUID batchId, Path rejects) {
        boolean skipLimit = execution.getAllFailureExceptions().stream().anyMatch(
                ex -> causedBy(ex, SkipLimitExceededException.class))
                || execution.getStepExecutions().stream().flatMap(step -> step.getFailureExceptions().stream())
                        .anyMatch(ex -> causedBy(ex, SkipLimitExceededException.class));
        if (skipLimit) {
            // the counters are the committed chunks of every partition: the same figures /batches/{id} shows
            Batch failed = batches.find(batchId).orElseThrow();
            long lines = failed.rowsTotal() == null ? 0 : failed.rowsTotal();
            return failed.rowsRejected() + " of the file's " + lines + " lines were rejected (" + failed.rowsScored()
                    + " scored before the job stopped), over the skip limit of " + skipLimitPercent + "% ("
                    + SkipLimitExceededException.limit(lines, skipLimitPercent) + " lines)" + quoted(rejects);
        }
        // the partitions' own failures say what went wrong; the manager step only says that one did
        return execution.getStepExecutions().stream().flatMap(step -> step.getFailureExceptions().stream())
                .filter(ex -> !ex.getClass().getSimpleName().equals("JobExecutionException"))
                .map(BatchOutcomeListener::rootMessage).findFirst()
                .orElseGet(() -> execution.getAllFailureExceptions().stream().map(BatchOutcomeListener::rootMessage)
                        .findFirst().orElse(execution.getExitStatus().getExitDescription()));
    }

    /** "; the first rejected lines: line 6: why; line 9: why" from the rejects file, at most five. */
    private static String quoted(Path rejects) {
        List<String> quoted = new ArrayList<>(QUOTED_LINES);
        try (BufferedReader in = Files.newBufferedReader(rejects, StandardCharsets.UTF_8)) {
            in.readLine(); // the header
            String line;
            while (quoted.size() < QUOTED_LINES && (line = in.readLine()) != null) {
                List<String> cells = Csv.split(line);
                quoted.add("line " + cells.get(0) + ": " + (cells.size() > 1 ? cells.get(1) : ""));
            }
        }
        catch (IOException | IllegalArgumentException ex) {
            return "";
        }
        return quoted.isEmpty() ? "" : "; the first rejected lines: " + String.join("; ", quoted);
    }

    private static boolean causedBy(@Nullable Throwable ex, Class<? extends Throwable> type) {
        for (Throwable cause = ex; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable ex) {
        Throwable root = ex;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
