package io.scorepipe.worker.batch;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.UUID;

import org.springframework.batch.core.configuration.annotation.JobScope;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.transaction.PlatformTransactionManager;

import io.micrometer.observation.ObservationRegistry;
import io.scorepipe.audit.AuditWriter;
import io.scorepipe.batch.BatchRepository;
import io.scorepipe.batch.DataFolders;

/**
 * The job {@code scoreFile}: {@code prepare} checks the header against the pinned model and counts
 * the lines; {@code score} scores line ranges in parallel partitions, each into its own part
 * files; {@code assemble} joins the parts in input order into the results and rejects files.
 * Every step is restartable from its last committed chunk.
 */
@Configuration(proxyBeanMethods = false)
class ScoreFileJobConfiguration {

    static final String JOB = "scoreFile";
    static final String BATCH_ID = "batch.id";
    static final String INPUT_FILE = "input.file";
    static final String FILE_NAME = "file.name";
    static final String MODEL_VERSION = "model.version";
    static final String DATA_LINES = "data.lines";
    static final String HEADER = "header";
    static final String RESULTS_FILE = "results.file";
    static final String REJECTS_FILE = "rejects.file";

    @Bean
    Job scoreFileJob(JobRepository jobs, Step prepareStep, Step scoreStep, Step assembleStep, BatchRepository batches,
            DataFolders folders, BatchProperties properties) {
        return new JobBuilder(JOB, jobs).start(prepareStep).next(scoreStep).next(assembleStep)
                .listener(new BatchOutcomeListener(batches, folders, properties.partitions(),
                        properties.skipLimitPercent())).build();
    }

    @Bean
    Step prepareStep(JobRepository jobs, PlatformTransactionManager transactions, ModelPins models,
            BatchRepository batches, DataFolders folders, BatchProperties properties) {
        return new StepBuilder("prepare", jobs).tasklet((contribution, chunk) -> {
            var parameters = chunk.getStepContext().getStepExecution().getJobParameters();
            String version = parameters.getString(MODEL_VERSION);
            FilePlan plan = FilePlan.of(Path.of(parameters.getString(INPUT_FILE)), properties.maxLineBytes());
            FileLayout.of(plan.header(), models.scorer(version).schema()); // fails the job at once on a bad header
            var context = chunk.getStepContext().getStepExecution().getJobExecution().getExecutionContext();
            context.putString(HEADER, plan.header());
            context.putLong(DATA_LINES, plan.dataLines());
            // named once, here, so that a restarted job writes to the same files
            String stem = stem(parameters.getString(FILE_NAME));
            // reserve the plain name atomically; a batch that finds it taken uses its id in its names
            String suffix = reserve(folders.outbox().resolve(stem + ".scored.csv")) ? ""
                    : "." + parameters.getString(BATCH_ID);
            context.putString(RESULTS_FILE, folders.outbox().resolve(stem + suffix + ".scored.csv").toString());
            context.putString(REJECTS_FILE, folders.rejects().resolve(stem + suffix + ".rejects.csv").toString());
            batches.started(UUID.fromString(parameters.getString(BATCH_ID)), version, plan.dataLines());
            return RepeatStatus.FINISHED;
        }, transactions).build();
    }

    @Bean
    Step scoreStep(JobRepository jobs, LinePartitioner linePartitioner, Step scorePartStep, BatchProperties properties) {
        return new StepBuilder("score", jobs).partitioner("scorePart", linePartitioner).step(scorePartStep)
                .gridSize(properties.partitions())
                .taskExecutor(new SimpleAsyncTaskExecutor("score-part-")).build();
    }

    @Bean
    @JobScope
    LinePartitioner linePartitioner(@Value("#{jobExecutionContext['" + DATA_LINES + "']}") Long dataLines) {
        return new LinePartitioner(dataLines);
    }

    @Bean
    Step scorePartStep(JobRepository jobs, PlatformTransactionManager transactions, BatchProperties properties,
            LineReader partReader, LineScorer partScorer, ScoredLineWriter partWriter) {
        return new StepBuilder("scorePart", jobs).<Lines.Raw, Lines.Outcome>chunk(properties.effectiveChunkSize())
                .transactionManager(transactions).reader(partReader).processor(partScorer).writer(partWriter)
                .stream(partWriter)
                // no Micrometer observation per line: profiled, it cost a fifth of the step's time;
                // progress is in the batches table and the step's own counters
                .observationRegistry(ObservationRegistry.NOOP).build();
    }

    @Bean
    @StepScope
    LineReader partReader(BatchProperties properties, RowThrottle rowThrottle, @Value("#{jobParameters['" + INPUT_FILE + "']}") String input,
            @Value("#{stepExecutionContext['" + LinePartitioner.FIRST_LINE + "']}") Long firstLine,
            @Value("#{stepExecutionContext['" + LinePartitioner.LINES + "']}") Long lines) {
        // every physical line is one record, and none is a comment: line numbers stay true
        return new LineReader(Path.of(input), firstLine, lines, properties.maxLineBytes(), rowThrottle);
    }

    @Bean
    @StepScope
    LineScorer partScorer(ModelPins models, @Value("#{jobParameters['" + MODEL_VERSION + "']}") String version,
            @Value("#{jobExecutionContext['" + HEADER + "']}") String header) {
        var scorer = models.scorer(version);
        return new LineScorer(scorer, FileLayout.of(header, scorer.schema()));
    }

    @Bean
    @StepScope
    ScoredLineWriter partWriter(DataFolders folders, AuditWriter audit, BatchRepository batches, BatchProperties properties,
            @Value("#{jobParameters['" + BATCH_ID + "']}") String batchId,
            @Value("#{jobParameters['" + MODEL_VERSION + "']}") String version,
            @Value("#{jobExecutionContext['" + DATA_LINES + "']}") Long fileLines,
            @Value("#{stepExecutionContext['" + LinePartitioner.INDEX + "']}") Integer index) throws Exception {
        Path parts = Files.createDirectories(partsFolder(folders, batchId));
        return new ScoredLineWriter(parts.resolve("results-" + index + ".part"), parts.resolve("rejects-" + index + ".part"),
                audit, batches, UUID.fromString(batchId), version, fileLines, properties.skipLimitPercent());
    }

    @Bean
    Step assembleStep(JobRepository jobs, PlatformTransactionManager transactions, DataFolders folders,
            BatchRepository batches, BatchProperties properties) {
        return new StepBuilder("assemble", jobs).tasklet(new AssembleTasklet(folders, batches, properties.partitions(),
                properties.skipLimitPercent()),
                transactions).build();
    }

    /**
     * Claims {@code file}'s name for one batch: atomically creates its hidden claim marker, and
     * gives the name up again if a finished file already has it. The outbox itself shows a results
     * file only once it is complete (AssembleTasklet moves it there and drops the marker).
     */
    private static boolean reserve(Path file) throws IOException {
        Path claim = claimMarker(file);
        try {
            Files.createFile(claim);
        }
        catch (FileAlreadyExistsException ex) {
            return false;
        }
        if (Files.exists(file)) {
            Files.deleteIfExists(claim);
            return false;
        }
        return true;
    }

    /** The hidden file that holds a results name while its batch runs. */
    static Path claimMarker(Path file) {
        return file.resolveSibling("." + file.getFileName() + ".claimed");
    }

    static String stem(String fileName) {
        return fileName.toLowerCase(Locale.ROOT).endsWith(".csv") ? fileName.substring(0, fileName.length() - 4)
                : fileName;
    }

    static Path partsFolder(DataFolders folders, String batchId) {
        return folders.processing().resolve(".parts").resolve(batchId);
    }
}
