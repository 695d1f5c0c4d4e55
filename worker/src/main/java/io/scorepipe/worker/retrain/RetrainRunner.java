package io.scorepipe.worker.retrain;

import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;

import io.scorepipe.registry.RetrainRuns;

/**
 * Starts the {@code retrain} job for a run, one run at a time on a thread of its own, and records
 * what became of it in {@code retrain_runs}. A run that is no longer waiting (the sweep failed it
 * for lack of a worker) is not started.
 */
class RetrainRunner implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RetrainRunner.class);

    static final String RUN_ID = "run.id";
    static final String MODEL = "model";
    static final String TRIGGER = "trigger";

    private final JobOperator jobs;
    private final Job retrainJob;
    private final RetrainRuns runs;
    private final String defaultModel;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("retrain-", 0).daemon(true).factory());

    RetrainRunner(JobOperator jobs, Job retrainJob, RetrainRuns runs, String defaultModel) {
        this.jobs = jobs;
        this.retrainJob = retrainJob;
        this.runs = runs;
        this.defaultModel = defaultModel;
    }

    /**
     * Records the run (if the api has not already) and queues it; returns at once.
     *
     * @param model the model to retrain; null for a request from before models had names, which
     *     retrains the model its run was recorded for (else the default model)
     */
    void submit(UUID runId, @Nullable String model, String trigger) {
        String retrained = model != null ? model
                : runs.find(runId).map(RetrainRuns.Run::model).orElse(defaultModel);
        runs.requested(runId, retrained, trigger);
        executor.execute(() -> run(runId, retrained, trigger));
    }

    private void run(UUID runId, String model, String trigger) {
        if (!runs.running(runId)) {
            log.info("Retrain run {} is no longer waiting (it timed out or ran already); not started", runId);
            return;
        }
        try {
            jobs.start(retrainJob, new JobParametersBuilder().addString(RUN_ID, runId.toString())
                    .addString(MODEL, model, false).addString(TRIGGER, trigger, false).toJobParameters());
        }
        catch (Exception ex) {
            log.error("Retrain run {} could not run", runId, ex);
            runs.finished(runId, "failed", null, null, "the retrain job could not run: " + ex.getMessage());
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
