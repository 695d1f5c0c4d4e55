package io.scorepipe.worker.batch;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

import io.scorepipe.batch.BatchRepository;
import io.scorepipe.batch.DataFolders;

/**
 * Joins the partitions' part files, in order, under the header into the results and rejects
 * files (written next to their final place, then moved there atomically), marks the batch
 * completed and archives the input. Safe to run again after a crash: the part files are only
 * removed once the whole job has completed, so a re-run rebuilds the same files.
 */
class AssembleTasklet implements Tasklet {

    private final DataFolders folders;
    private final BatchRepository batches;
    private final int partitions;
    private final double skipLimitPercent;

    AssembleTasklet(DataFolders folders, BatchRepository batches, int partitions, double skipLimitPercent) {
        this.folders = folders;
        this.batches = batches;
        this.partitions = partitions;
        this.skipLimitPercent = skipLimitPercent;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunk) throws Exception {
        var parameters = chunk.getStepContext().getStepExecution().getJobParameters();
        ExecutionContext job = chunk.getStepContext().getStepExecution().getJobExecution().getExecutionContext();
        String batchId = parameters.getString(ScoreFileJobConfiguration.BATCH_ID);
        // a part whose last chunk crossed the skip limit ended without noticing: the whole file's count decides
        long lines = job.getLong(ScoreFileJobConfiguration.DATA_LINES);
        long rejected = batches.find(UUID.fromString(batchId)).orElseThrow().rowsRejected();
        if (rejected > SkipLimitExceededException.limit(lines, skipLimitPercent)) {
            throw new SkipLimitExceededException(rejected, lines, skipLimitPercent);
        }
        Path parts = ScoreFileJobConfiguration.partsFolder(folders, batchId);
        String header = job.getString(ScoreFileJobConfiguration.HEADER);
        String cleanHeader = header.startsWith("\uFEFF") ? header.substring(1) : header;
        Path results = Path.of(job.getString(ScoreFileJobConfiguration.RESULTS_FILE));
        Path rejects = Path.of(job.getString(ScoreFileJobConfiguration.REJECTS_FILE));
        join(parts, "results-", cleanHeader + ",prediction,model_version", results, partitions);
        join(parts, "rejects-", "line,reason,raw", rejects, partitions);
        Files.deleteIfExists(ScoreFileJobConfiguration.claimMarker(results));

        Path archived = archive(folders, Path.of(parameters.getString(ScoreFileJobConfiguration.INPUT_FILE)));
        batches.completed(UUID.fromString(batchId), results.toString(), rejects.toString(), archived.toString());
        // the part files stay until the job is COMPLETED (BatchOutcomeListener): a crash before this
        // step commits re-runs it, and it must find them again
        return RepeatStatus.FINISHED;
    }

    /**
     * Moves a batch's input from {@code processing/} to {@code archive/}, once: a second call (a
     * re-run step) finds it gone and only names where it went.
     *
     * @return where the input is now
     */
    static Path archive(DataFolders folders, Path input) throws IOException {
        Path archived = folders.archive().resolve(input.getFileName());
        if (Files.exists(input)) {
            Files.move(input, archived, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        return archived;
    }

    /**
     * Joins the {@code prefix} part files of {@code partitions} partitions, in order, under
     * {@code header} into {@code target}: written next to it, then moved into place atomically.
     * Parts that do not exist (a partition that never wrote) are passed over.
     */
    static void join(Path parts, String prefix, String header, Path target, int partitions) throws IOException {
        Path temporary = target.resolveSibling("." + target.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(temporary)) {
            out.write((header + "\n").getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < partitions; i++) {
                Path part = parts.resolve(prefix + i + ".part");
                if (Files.exists(part)) {
                    Files.copy(part, out);
                }
            }
        }
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static void deleteTree(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
