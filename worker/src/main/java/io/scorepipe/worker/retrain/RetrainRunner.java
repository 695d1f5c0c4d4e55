package io.scorepipe.worker.retrain;

import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;

import io.scorepipe.registry.RetrainRuns;

/** Starts the {@code retrain} job for a run and records what became of it in {@code retrain_runs}. */
class RetrainRunner {

    private static final Logger log = LoggerFactory.getLogger(RetrainRunner.class);

    static final String RUN_ID = "run.id";
    static final String TRIGGER = "trigger";

    private final JobOperator jobs;
    private final Job retrainJob;
    private final RetrainRuns runs;

    RetrainRunner(JobOperator jobs, Job retrainJob, RetrainRuns runs) {
        this.jobs = jobs;
        this.retrainJob = retrainJob;
        this.runs = runs;
    }

    void run(UUID runId, String trigger) {
        runs.requested(runId, trigger);
        runs.running(runId);
        try {
            jobs.start(retrainJob, new JobParametersBuilder().addString(RUN_ID, runId.toString())
                    .addString(TRIGGER, trigger, false).toJobParameters());
        }
        catch (Exception ex) {
            log.error("Retrain run {} could not run", runId, ex);
            runs.finished(runId, "failed", null, null, "the retrain job could not run: " + ex.getMessage());
        }
    }
}
