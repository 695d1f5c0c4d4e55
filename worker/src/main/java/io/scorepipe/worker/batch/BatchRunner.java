package io.scorepipe.worker.batch;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.dao.OptimisticLockingFailureException;

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
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration MAX_RETRY = Duration.ofSeconds(15);

    private final JobOperator jobs;
    private final JobRepository repository;
    private final Job scoreFile;
    private final BatchRepository batches;
    private final ServingModel serving;
    private final BatchProperties properties;
    private final ExecutorService pool;
    /** The batches this process runs now, so that a take-over never starts a second run here. */
    private final Set<UUID> active = ConcurrentHashMap.newKeySet();
    private volatile Instant lastDatabaseFailure = Instant.EPOCH;
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
        // after a database outage every heartbeat is stale: give each batch's own worker time to
        // beat again before anyone takes its batch for abandoned
        if (Instant.now().isBefore(lastDatabaseFailure.plus(properties.staleAfter()))) {
            return;
        }
        List<UUID> claimed;
        try {
            claimed = batches.claimAbandoned(owner, properties.staleAfter());
        }
        catch (RuntimeException ex) {
            lastDatabaseFailure = Instant.now();
            throw ex;
        }
        for (UUID batchId : claimed) {
            if (active.contains(batchId)) {
                continue; // running here already; it only missed its heartbeats
            }
            log.info("Taking over batch {}: its worker stopped, or nobody took it", batchId);
            pool.execute(() -> run(batchId));
        }
    }

    void heartbeat() {
        try {
            batches.heartbeat(owner);
        }
        catch (RuntimeException ex) {
            lastDatabaseFailure = Instant.now();
            throw ex;
        }
    }

    /**
     * Runs the batch's job to its end. While PostgreSQL is unreachable the job cannot commit a
     * chunk or record its own state; it is then resumed from its last committed chunk once the
     * database answers again, rather than failed: the file is not at fault.
     */
    private void run(UUID batchId) {
        if (!active.add(batchId)) {
            return;
        }
        try {
            runToTheEnd(batchId);
        }
        finally {
            active.remove(batchId);
        }
    }

    private void runToTheEnd(UUID batchId) {
        Duration wait = FIRST_RETRY;
        while (!Thread.currentThread().isInterrupted()) {
            try {
                JobExecution execution = runOnce(batchId);
                boolean outage = execution.getStatus() == BatchStatus.UNKNOWN
                        || execution.getStatus() != BatchStatus.COMPLETED
                                && execution.getAllFailureExceptions().stream().anyMatch(DatabaseOutage::causedBy);
                if (!outage) {
                    log.info("Batch {} finished: {}", batchId, execution.getStatus());
                    return;
                }
                log.warn("Batch {} paused: the database was unreachable; resuming in {}", batchId, wait);
            }
            catch (Exception ex) {
                if (runElsewhere(ex) && !batches.isRunBy(batchId, owner)) {
                    log.info("Batch {} is run by another worker now; leaving it to that one", batchId);
                    return;
                }
                if (!DatabaseOutage.causedBy(ex)) {
                    log.error("Batch {} could not run", batchId, ex);
                    batches.failed(batchId, "the job could not run: " + ex.getMessage());
                    return;
                }
                log.warn("Batch {} paused: the database is unreachable ({}); resuming in {}", batchId, ex.getMessage(),
                        wait);
            }
            lastDatabaseFailure = Instant.now();
            try {
                Thread.sleep(wait);
                if (!batches.isRunBy(batchId, owner)) {
                    log.info("Batch {} was taken over by another worker during the outage; leaving it to that one",
                            batchId);
                    return;
                }
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
            catch (RuntimeException ex) {
                log.debug("Batch {}: the database is still unreachable: {}", batchId, ex.getMessage());
            }
            wait = wait.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : wait.multipliedBy(2);
        }
    }

    private JobExecution runOnce(UUID batchId) throws Exception {
        Batch batch = batches.find(batchId).orElseThrow();
        String version = batch.modelVersion() != null ? batch.modelVersion() : serving.require().label();
        JobParameters parameters = new JobParametersBuilder()
                .addString(ScoreFileJobConfiguration.BATCH_ID, batchId.toString())
                .addString(ScoreFileJobConfiguration.INPUT_FILE, String.valueOf(batch.inputPath()), false)
                .addString(ScoreFileJobConfiguration.FILE_NAME, batch.fileName(), false)
                .addString(ScoreFileJobConfiguration.MODEL_VERSION, version, false)
                .toJobParameters();
        JobExecution last = repository.getLastJobExecution(ScoreFileJobConfiguration.JOB, parameters);
        if (last != null && last.getStatus() == BatchStatus.UNKNOWN) {
            // the database went away under it, so it could not record how it ended
            last = markFailed(last.getId());
        }
        else if (last != null && last.getStatus() != BatchStatus.COMPLETED
                && (last.getStatus().isRunning() || last.getEndTime() == null)) {
            // nobody runs it any more: its worker died (this worker owns the batch now); marked
            // FAILED, it restarts from its last commit
            last = jobs.recover(last);
        }
        return last == null || last.getStatus() == BatchStatus.COMPLETED ? jobs.start(scoreFile, parameters)
                : jobs.restart(last);
    }

    /**
     * Marks an execution that ended UNKNOWN, and its steps that never recorded their end, FAILED,
     * so that it restarts from each step's last commit. JobOperator.recover refuses UNKNOWN.
     */
    private JobExecution markFailed(long executionId) {
        JobExecution execution = repository.getJobExecution(executionId);
        LocalDateTime now = LocalDateTime.now();
        for (StepExecution step : execution.getStepExecutions()) {
            if (step.getStatus().isRunning() || step.getStatus() == BatchStatus.UNKNOWN) {
                step.setStatus(BatchStatus.FAILED);
                step.setExitStatus(ExitStatus.FAILED);
                if (step.getEndTime() == null) {
                    step.setEndTime(now);
                }
                repository.update(step);
            }
        }
        execution.setStatus(BatchStatus.FAILED);
        execution.setExitStatus(ExitStatus.FAILED.addExitDescription("the database was unreachable"));
        if (execution.getEndTime() == null) {
            execution.setEndTime(now);
        }
        repository.update(execution);
        return execution;
    }

    /** Whether {@code failure} says another worker runs this job (it took the batch over). */
    private static boolean runElsewhere(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof OptimisticLockingFailureException
                    || cause.getClass().getSimpleName().equals("JobExecutionAlreadyRunningException")
                    || String.valueOf(cause.getMessage()).contains("job execution already running")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
