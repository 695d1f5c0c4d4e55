package io.scorepipe.worker.batch;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import org.springframework.batch.core.configuration.annotation.JobScope;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.transaction.PlatformTransactionManager;

import io.scorepipe.audit.AuditWriter;
import io.scorepipe.registry.ServingModels;
import io.scorepipe.worker.system.FileHeader;
import io.scorepipe.worker.system.FileLayout;

/**
 * The job {@code scoreFile}: {@code prepare} ({@link PrepareTasklet}) checks the header against the
 * pinned model and counts the lines; {@code score} scores line ranges in parallel partitions, each
 * into its own part files; {@code assemble} ({@link AssembleTasklet}) joins the parts in input
 * order into the results and rejects files. Every step is restartable from its last committed
 * chunk. Wiring only: what each piece does is in its own class.
 */
@Configuration(proxyBeanMethods = false)
class ScoreFileJobConfiguration {

    @Bean
    Job scoreFileJob(JobRepository jobs, Step prepareStep, Step scoreStep, Step assembleStep, BatchLifecycle lifecycle,
            BatchFiles files, BatchProperties properties) {
        return new JobBuilder(ScoreFileJob.NAME, jobs).start(prepareStep).next(scoreStep).next(assembleStep)
                .listener(new BatchOutcomeListener(lifecycle, files, properties.skipLimitPercent())).build();
    }

    @Bean
    Step prepareStep(JobRepository jobs, PlatformTransactionManager transactions, ServingModels models, BatchFiles files,
            BatchLifecycle lifecycle, BatchProperties properties) {
        return new StepBuilder("prepare", jobs)
                .tasklet(new PrepareTasklet(models, files, lifecycle, properties.maxLineBytes()), transactions).build();
    }

    @Bean
    Step scoreStep(JobRepository jobs, LinePartitioner linePartitioner, Step scorePartStep, BatchProperties properties) {
        return new StepBuilder("score", jobs).partitioner("scorePart", linePartitioner).step(scorePartStep)
                .gridSize(properties.partitions())
                .taskExecutor(new SimpleAsyncTaskExecutor("score-part-")).build();
    }

    @Bean
    @JobScope
    LinePartitioner linePartitioner(@Value("#{jobExecutionContext['" + ScoreFileJob.DATA_LINES + "']}") Long dataLines) {
        return new LinePartitioner(dataLines);
    }

    @Bean
    Step scorePartStep(JobRepository jobs, PlatformTransactionManager transactions, BatchProperties properties,
            LineReader partReader, LineScorer partScorer, ScoredLineWriter partWriter) {
        PartItems items = new PartItems(partReader, partScorer);
        // one item is a block of a chunk's lines (see LineReader): one item per transaction
        return new StepBuilder("scorePart", jobs).<List<Lines.Raw>, List<Lines.Outcome>>chunk(1)
                .transactionManager(transactions).reader(items).processor(items).writer(partWriter)
                .stream(partWriter).build();
    }

    @Bean
    @StepScope
    LineReader partReader(BatchProperties properties, RowThrottle rowThrottle,
            @Value("#{jobParameters['" + ScoreFileJob.INPUT_FILE + "']}") String input,
            @Value("#{stepExecutionContext['" + LinePartitioner.FIRST_LINE + "']}") Long firstLine,
            @Value("#{stepExecutionContext['" + LinePartitioner.LINES + "']}") Long lines) {
        // every physical line is one record, and none is a comment: line numbers stay true
        return new LineReader(Path.of(input), firstLine, lines, properties.maxLineBytes(),
                properties.effectiveChunkSize(), rowThrottle);
    }

    @Bean
    @StepScope
    LineScorer partScorer(ServingModels models, @Value("#{jobParameters['" + ScoreFileJob.MODEL + "']}") String model,
            @Value("#{jobParameters['" + ScoreFileJob.MODEL_VERSION + "']}") String version,
            @Value("#{jobExecutionContext['" + ScoreFileJob.HEADER + "']}") FileHeader header) {
        // the lease is held for the part and let go when the step scope closes the scorer
        ServingModels.Lease lease = models.version(model, version);
        return LineScorer.pinned(lease, FileLayout.of(header, lease.scorer().schema()));
    }

    @Bean
    @StepScope
    ScoredLineWriter partWriter(BatchFiles files, AuditWriter audit, BatchLifecycle lifecycle, BatchProperties properties,
            @Value("#{jobParameters['" + ScoreFileJob.BATCH_ID + "']}") String batchId,
            @Value("#{jobParameters['" + ScoreFileJob.MODEL + "']}") String model,
            @Value("#{jobParameters['" + ScoreFileJob.MODEL_VERSION + "']}") String version,
            @Value("#{jobExecutionContext['" + ScoreFileJob.DATA_LINES + "']}") Long fileLines,
            @Value("#{stepExecutionContext['" + LinePartitioner.INDEX + "']}") Integer index) throws Exception {
        UUID id = UUID.fromString(batchId);
        files.createParts(id);
        return new ScoredLineWriter(files.resultsPart(id, index), files.rejectsPart(id, index), audit, lifecycle, id,
                model, version, fileLines, properties.skipLimitPercent());
    }

    @Bean
    Step assembleStep(JobRepository jobs, PlatformTransactionManager transactions, BatchFiles files,
            BatchLifecycle lifecycle, BatchProperties properties) {
        return new StepBuilder("assemble", jobs)
                .tasklet(new AssembleTasklet(files, lifecycle, properties.skipLimitPercent()), transactions).build();
    }
}
