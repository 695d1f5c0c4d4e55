package io.scorepipe.worker.retrain;

import java.util.Optional;
import java.util.UUID;

import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

import io.scorepipe.registry.RetrainRuns;

/**
 * The {@code retrain} job's one step: runs a retrain of the run's model and records what became of
 * it in {@code retrain_runs} (completed, skipped with the reason, or failed with the error).
 *
 * @param retrain retrains
 * @param runs the runs' table
 */
record RetrainTasklet(RetrainService retrain, RetrainRuns runs) implements Tasklet {

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunk) {
        var parameters = chunk.getStepContext().getStepExecution().getJobParameters();
        UUID runId = UUID.fromString(parameters.getString(RetrainRunner.RUN_ID));
        String model = String.valueOf(parameters.getString(RetrainRunner.MODEL));
        String trigger = String.valueOf(parameters.getString(RetrainRunner.TRIGGER));
        try {
            Optional<RetrainOutcome> outcome = retrain.retrain(model, trigger);
            if (outcome.isPresent() && outcome.get().trained()) {
                runs.finished(runId, "completed", outcome.get().version(), outcome.get().promoted(),
                        outcome.get().reason());
            }
            else {
                runs.finished(runId, "skipped", null, null,
                        outcome.map(RetrainOutcome::reason).orElse("another retrain of " + model + " was running"));
            }
            contribution.setExitStatus(contribution.getExitStatus()
                    .addExitDescription(outcome.map(RetrainOutcome::toString).orElse("skipped")));
        }
        catch (RuntimeException ex) {
            runs.finished(runId, "failed", null, null, String.valueOf(ex.getMessage()));
            throw ex;
        }
        return RepeatStatus.FINISHED;
    }
}
