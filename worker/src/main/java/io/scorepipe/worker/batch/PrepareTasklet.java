package io.scorepipe.worker.batch;

import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

import io.scorepipe.registry.ServingModels;
import io.scorepipe.worker.system.FileHeader;
import io.scorepipe.worker.system.FileLayout;

/**
 * The job's first step: reads the file's header once and checks it against the pinned model (a
 * header that lacks a feature fails the job at once), counts the data lines, reserves the output
 * names, and leaves all of it in the job's context for the partitions and the assembly. A
 * restarted job keeps the names it reserved.
 *
 * @param models the versions jobs are pinned to, decoded once for every job
 * @param files the batch's files
 * @param lifecycle the batch's state changes
 * @param maxLineBytes the longest line read whole
 */
record PrepareTasklet(ServingModels models, BatchFiles files, BatchLifecycle lifecycle, int maxLineBytes)
        implements Tasklet {

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunk) throws Exception {
        ScoreFileJob.Run run = ScoreFileJob.Run.of(chunk);
        FilePlan plan = FilePlan.of(run.input(), maxLineBytes);
        FileHeader header = FileHeader.parse(plan.header());
        try (ServingModels.Lease model = models.version(run.model(), run.modelVersion())) {
            FileLayout.of(header, model.scorer().schema());
        }
        // named once: a restarted job keeps writing to the files it reserved
        BatchFiles.Outputs outputs = run.outputs().orElse(null);
        if (outputs == null) {
            outputs = files.reserve(run.batchId(), run.fileName());
        }
        run.prepared(header, plan.dataLines(), outputs);
        lifecycle.started(run.batchId(), run.modelVersion(), plan.dataLines());
        return RepeatStatus.FINISHED;
    }
}
