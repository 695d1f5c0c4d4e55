package io.scorepipe.worker.batch;

import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * The job's last step: fails the file when its rejected lines passed the skip limit (a part whose
 * last chunk crossed it ended without noticing; the whole file's count decides), else joins the
 * partitions' parts into the results and rejects files, marks the batch completed and archives
 * its input. Safe to run again after a crash: the parts stay until the job has completed.
 *
 * @param files the batch's files
 * @param lifecycle the batch's state changes
 * @param skipLimitPercent share of lines that may be rejected
 */
record AssembleTasklet(BatchFiles files, BatchLifecycle lifecycle, double skipLimitPercent) implements Tasklet {

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunk) throws Exception {
        ScoreFileJob.Run run = ScoreFileJob.Run.of(chunk);
        long rejected = lifecycle.current(run.batchId()).rowsRejected();
        if (rejected > TooManyRejectsException.limit(run.dataLines(), skipLimitPercent)) {
            throw new TooManyRejectsException(rejected, run.dataLines(), skipLimitPercent);
        }
        BatchFiles.Outputs outputs = run.outputs().orElseThrow();
        files.assemble(run.batchId(), run.header(), outputs);
        lifecycle.completed(run.batchId(), outputs, run.input());
        return RepeatStatus.FINISHED;
    }
}
