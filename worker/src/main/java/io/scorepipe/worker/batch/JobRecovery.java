package io.scorepipe.worker.batch;

import java.time.LocalDateTime;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.launch.JobExecutionAlreadyRunningException;
import org.springframework.batch.core.launch.JobInstanceAlreadyCompleteException;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.dao.OptimisticLockingFailureException;

import io.scorepipe.system.Causes;

/**
 * Starts a batch's job, or picks up the one that ran before: a job that ended in failure restarts
 * from each step's last commit; one left running by a worker that died (this worker owns the
 * batch now) is marked failed first, and so is one that ended UNKNOWN because the database went
 * away under it (JobOperator.recover refuses UNKNOWN). What happened is told by exception types,
 * never by their messages.
 *
 * @param jobs starts, restarts and recovers the job
 * @param repository where its executions are recorded
 * @param job the {@code scoreFile} job
 */
record JobRecovery(JobOperator jobs, JobRepository repository, Job job) {

    /** Runs the job for {@code parameters} to its end, from wherever its last run stopped. */
    JobExecution run(JobParameters parameters) throws Exception {
        JobExecution last = repository.getLastJobExecution(job.getName(), parameters);
        if (last == null || last.getStatus() == BatchStatus.COMPLETED) {
            return jobs.start(job, parameters);
        }
        if (last.getStatus() == BatchStatus.UNKNOWN) {
            last = markFailed(last);
        }
        else if (last.getStatus().isRunning() || last.getEndTime() == null) {
            last = jobs.recover(last);
        }
        return jobs.restart(last);
    }

    /**
     * Whether {@code failure} says the job runs elsewhere: another worker started or restarted it
     * (it took the batch over) between this worker's look and its own start.
     */
    static boolean runsElsewhere(Throwable failure) {
        return Causes.causedBy(failure, JobExecutionAlreadyRunningException.class)
                || Causes.causedBy(failure, JobInstanceAlreadyCompleteException.class)
                || Causes.causedBy(failure, OptimisticLockingFailureException.class)
                || Causes.causedBy(failure, BatchLifecycle.ClaimLostException.class);
    }

    private JobExecution markFailed(JobExecution last) {
        // with its step executions, which the last-execution lookup may leave out
        JobExecution execution = repository.getJobExecution(last.getId());
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
}
