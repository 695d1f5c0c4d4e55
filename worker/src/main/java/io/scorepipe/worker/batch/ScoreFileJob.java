package io.scorepipe.worker.batch;

import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.infrastructure.item.ExecutionContext;

import io.scorepipe.worker.system.FileHeader;

/**
 * The names the {@code scoreFile} job shares between its runner, its steps and its listener: its
 * parameters (identified by the batch id alone) and what the prepare step leaves in the job's
 * context for the steps after it.
 */
final class ScoreFileJob {

    static final String NAME = "scoreFile";

    static final String BATCH_ID = "batch.id";
    static final String INPUT_FILE = "input.file";
    static final String FILE_NAME = "file.name";
    static final String MODEL = "model";
    static final String MODEL_VERSION = "model.version";

    static final String DATA_LINES = "data.lines";
    static final String HEADER = "header";
    static final String RESULTS_FILE = "results.file";
    static final String REJECTS_FILE = "rejects.file";

    private ScoreFileJob() {
    }

    /** The job's parameters for a batch: a restarted job is the same job instance. */
    static JobParameters parameters(UUID batchId, String inputFile, String fileName, String model, String modelVersion) {
        return new JobParametersBuilder().addString(BATCH_ID, batchId.toString())
                .addString(INPUT_FILE, inputFile, false).addString(FILE_NAME, fileName, false)
                .addString(MODEL, model, false).addString(MODEL_VERSION, modelVersion, false).toJobParameters();
    }

    /**
     * One run of the job as its steps and its listener see it: the batch's parameters, and the
     * job's context where the prepare step leaves what every later step reads.
     *
     * @param parameters the job's parameters
     * @param context the job's execution context
     */
    record Run(JobParameters parameters, ExecutionContext context) {

        static Run of(JobExecution job) {
            return new Run(job.getJobParameters(), job.getExecutionContext());
        }

        static Run of(ChunkContext chunk) {
            return of(chunk.getStepContext().getStepExecution().getJobExecution());
        }

        UUID batchId() {
            return UUID.fromString(text(BATCH_ID));
        }

        Path input() {
            return Path.of(text(INPUT_FILE));
        }

        String fileName() {
            return text(FILE_NAME);
        }

        String model() {
            return text(MODEL);
        }

        String modelVersion() {
            return text(MODEL_VERSION);
        }

        /** What the prepare step decided. */
        void prepared(FileHeader header, long dataLines, BatchFiles.Outputs outputs) {
            context.put(HEADER, header);
            context.putLong(DATA_LINES, dataLines);
            context.putString(RESULTS_FILE, outputs.results().toString());
            context.putString(REJECTS_FILE, outputs.rejects().toString());
        }

        /** The outputs the prepare step reserved, if it got that far. */
        Optional<BatchFiles.Outputs> outputs() {
            String results = context.getString(RESULTS_FILE, null);
            String rejects = context.getString(REJECTS_FILE, null);
            return results == null || rejects == null ? Optional.empty()
                    : Optional.of(new BatchFiles.Outputs(Path.of(results), Path.of(rejects)));
        }

        FileHeader header() {
            return (FileHeader) context.get(HEADER);
        }

        long dataLines() {
            return context.getLong(DATA_LINES);
        }

        private String text(String key) {
            return String.valueOf(parameters.getString(key));
        }
    }
}
