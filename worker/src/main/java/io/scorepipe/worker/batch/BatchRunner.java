package io.scorepipe.worker.batch;

import java.lang.management.ManagementFactory;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;

import io.scorepipe.batch.Batch;
import io.scorepipe.batch.BatchRepository;
import io.scorepipe.registry.ServingModel;

/**
 * Runs {@code scoreFile} for the batches this worker owns: a queued batch it claimed, or an
 * abandoned one it took over (its worker died mid-file). A taken-over job resumes from its last
 * committed chunk with the model version it started with. Jobs run on a small pool of their own,
 * never on a Kafka listener thread.
 */
class BatchRunner implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BatchRunner.class);

    private final JobOperator jobs;
    private final JobRepository repository;
    private final Job scoreFile;
    private final BatchRepository batches;
    private final ServingModel serving;
    private final BatchProperties properties;
    private final ExecutorService pool;
    /** Who this worker is in the batches table: unique per process. */
    private final String owner = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID();

    BatchRunner(JobOperator jobs, JobRepository repository, Job scoreFile, BatchRepository batches, ServingModel serving,
            BatchProperties properties) {
        this.jobs = jobs;
        this.repository = repository;
        this.scoreFile = scoreFile;
        this.batches = batches;
        this.serving = serving;
        this.properties = properties;
        this.pool = Executors.newFixedThreadPool(properties.concurrentJobs(),
                Thread.ofPlatform().name("score-file-", 0).factory());
    }

    /** Runs a queued batch if this worker wins it. */
    void runQueued(UUID batchId) {
        if (batches.claimQueued(batchId, owner)) {
            pool.execute(() -> run(batchId));
        }
    }

    /** Takes over batches whose workers stopped beating, and queued ones nobody took. */
    void takeOverAbandoned() {
        for (UUID batchId : batches.claimAbandoned(owner, properties.staleAfter())) {
            log.info("Taking over batch {}: its worker stopped, or nobody took it", batchId);
            pool.execute(() -> run(batchId));
        }
    }

    void heartbeat() {
        batches.heartbeat(owner);
    }

    private void run(UUID batchId) {
        try {
            Batch batch = batches.find(batchId).orElseThrow();
            String version = batch.modelVersion() != null ? batch.modelVersion() : serving.require().label();
            JobParameters parameters = new JobParametersBuilder()
                    .addString(ScoreFileJobConfiguration.BATCH_ID, batchId.toString())
                    .addString(ScoreFileJobConfiguration.INPUT_FILE, String.valueOf(batch.inputPath()), false)
                    .addString(ScoreFileJobConfiguration.FILE_NAME, batch.fileName(), false)
                    .addString(ScoreFileJobConfiguration.MODEL_VERSION, version, false)
                    .toJobParameters();
            JobExecution last = repository.getLastJobExecution(ScoreFileJobConfiguration.JOB, parameters);
            if (last != null && last.getStatus().isRunning()) {
                // its worker died: nobody runs it any more (this worker owns the batch now)
                jobs.recover(last);
            }
            JobExecution execution = last == null || last.getStatus() == BatchStatus.COMPLETED
                    ? jobs.start(scoreFile, parameters)
                    : jobs.restart(last);
            log.info("Batch {} ({}) finished: {}", batchId, batch.fileName(), execution.getStatus());
        }
        catch (Exception ex) {
            log.error("Batch {} could not run", batchId, ex);
            batches.failed(batchId, "the job could not run: " + ex.getMessage());
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
