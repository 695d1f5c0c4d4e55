package io.scorepipe.worker.batch;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;

import io.scorepipe.batch.Batch;
import io.scorepipe.batch.BatchRecords;
import io.scorepipe.registry.ServingModels;
import io.scorepipe.registry.UnknownModelException;
import io.scorepipe.system.Causes;

/**
 * Runs {@code scoreFile} for the batches this worker owns: a queued batch it claimed, or an
 * abandoned one it took over (its worker died mid-file). A taken-over job resumes from its last
 * committed chunk with the model version it started with. Jobs run on a small pool of their own,
 * never on a Kafka listener thread.
 *
 * <p>While PostgreSQL is unreachable a job cannot commit or record its own state: it is resumed
 * once the database answers, the file is not at fault. Any other unexpected error of a run queues
 * the batch again for any worker, up to {@code scorepipe.batch.max-attempts} runs, then fails it
 * with the reason. A run that finds another worker running the batch leaves it to that one.
 */
class BatchRunner implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BatchRunner.class);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration MAX_RETRY = Duration.ofSeconds(15);

    private final JobRecovery jobs;
    private final BatchRecords records;
    private final BatchLifecycle lifecycle;
    private final ServingModels serving;
    private final BatchProperties properties;
    private final ExecutorService pool;
    /** The batches this process runs now, so that a take-over never starts a second run here. */
    private final Set<UUID> active = ConcurrentHashMap.newKeySet();
    private volatile Instant lastDatabaseFailure = Instant.EPOCH;

    BatchRunner(JobRecovery jobs, BatchRecords records, BatchLifecycle lifecycle, ServingModels serving,
            BatchProperties properties) {
        this.jobs = jobs;
        this.records = records;
        this.lifecycle = lifecycle;
        this.serving = serving;
        this.properties = properties;
        this.pool = Executors.newFixedThreadPool(properties.concurrentJobs(),
                Thread.ofPlatform().name("score-file-", 0).factory());
    }

    /** Runs a queued batch if this worker wins it. */
    void runQueued(UUID batchId) {
        if (lifecycle.claimQueued(batchId)) {
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
        List<UUID> claimed = databaseCall(() -> records.claimAbandoned(lifecycle.owner(), properties.staleAfter()));
        for (UUID batchId : claimed) {
            if (active.contains(batchId)) {
                continue; // running here already; it only missed its heartbeats
            }
            log.info("Taking over batch {}: its worker stopped, or nobody took it", batchId);
            pool.execute(() -> run(batchId));
        }
    }

    void heartbeat() {
        databaseCall(() -> {
            records.heartbeat(lifecycle.owner());
            return null;
        });
    }

    private <T> T databaseCall(Supplier<T> call) {
        try {
            return call.get();
        }
        catch (RuntimeException ex) {
            lastDatabaseFailure = Instant.now();
            throw ex;
        }
    }

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
                JobExecution execution = jobs.run(parameters(batchId));
                if (!pausedByOutage(execution)) {
                    log.info("Batch {} finished: {}", batchId, execution.getStatus());
                    return;
                }
                log.warn("Batch {} paused: the database was unreachable; resuming in {}", batchId, wait);
            }
            catch (UnknownModelException ex) {
                // the file was dropped in a folder (or uploaded) for a model that does not exist (any more)
                Batch batch = records.find(batchId).orElseThrow();
                lifecycle.failed(batchId, batch.fileName(), ex.getMessage(), Optional.empty(),
                        Path.of(String.valueOf(batch.inputPath())));
                log.warn("Batch {} failed: {}", batchId, ex.getMessage());
                return;
            }
            catch (Exception ex) {
                if (JobRecovery.runsElsewhere(ex) && !records.isRunBy(batchId, lifecycle.owner())) {
                    log.info("Batch {} is run by another worker now; leaving it to that one", batchId);
                    return;
                }
                if (!DatabaseOutage.causedBy(ex)) {
                    giveBack(batchId, ex);
                    return;
                }
                log.warn("Batch {} paused: the database is unreachable ({}); resuming in {}", batchId, ex.getMessage(),
                        wait);
            }
            lastDatabaseFailure = Instant.now();
            if (!awaitDatabase(batchId, wait)) {
                return;
            }
            wait = wait.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : wait.multipliedBy(2);
        }
    }

    /**
     * The job's parameters: the version the batch started with, or (on its first run) its model's
     * champion.
     *
     * @throws UnknownModelException when the batch's model does not exist
     */
    private JobParameters parameters(UUID batchId) {
        Batch batch = records.find(batchId).orElseThrow();
        String version = batch.modelVersion();
        if (version == null) {
            try (ServingModels.Lease champion = serving.champion(batch.model())) {
                version = champion.label();
            }
        }
        return ScoreFileJob.parameters(batchId, String.valueOf(batch.inputPath()), batch.fileName(), batch.model(),
                version);
    }

    private static boolean pausedByOutage(JobExecution execution) {
        return execution.getStatus() == BatchStatus.UNKNOWN || execution.getStatus() != BatchStatus.COMPLETED
                && execution.getAllFailureExceptions().stream().anyMatch(DatabaseOutage::causedBy);
    }

    /** An unexpected error of this run: queued again for any worker, or failed for good after the last attempt. */
    private void giveBack(UUID batchId, Exception ex) {
        String reason = "the job could not run: " + Causes.rootMessage(ex);
        BatchRecords.Requeue outcome = lifecycle.requeue(batchId, reason, properties.maxAttempts());
        switch (outcome) {
            case QUEUED -> log.warn("Batch {} could not run; queued again for another attempt", batchId, ex);
            case GAVE_UP -> log.error("Batch {} could not run after {} attempts; failed: {}", batchId,
                    properties.maxAttempts(), reason, ex);
            case NOT_OWNER -> log.info("Batch {} could not run here, and another worker runs it now", batchId);
        }
    }

    /** Waits out one retry interval; false when the batch is no longer this worker's (or the wait was interrupted). */
    private boolean awaitDatabase(UUID batchId, Duration wait) {
        try {
            Thread.sleep(wait);
            if (!records.isRunBy(batchId, lifecycle.owner())) {
                log.info("Batch {} was taken over by another worker during the outage; leaving it to that one", batchId);
                return false;
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
        catch (RuntimeException ex) {
            log.debug("Batch {}: the database is still unreachable: {}", batchId, ex.getMessage());
        }
        return true;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
