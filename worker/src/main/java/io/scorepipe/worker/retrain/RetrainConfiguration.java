package io.scorepipe.worker.retrain;

import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.support.transaction.ResourcelessTransactionManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.support.CronTrigger;

import io.micrometer.core.instrument.MeterRegistry;
import io.scorepipe.batch.DataFolders;
import io.scorepipe.batch.LabelFiles;
import io.scorepipe.config.Subscription;
import io.scorepipe.config.TopicProperties;
import io.scorepipe.messages.MessagePublisher;
import io.scorepipe.registry.ModelInfo;
import io.scorepipe.registry.ModelProperties;
import io.scorepipe.registry.ModelRegistry;
import io.scorepipe.registry.Promoter;
import io.scorepipe.registry.RetrainProperties;
import io.scorepipe.registry.RetrainRuns;
import io.scorepipe.registry.ServingModels;
import io.scorepipe.registry.TrainingExamples;
import io.scorepipe.worker.batch.BatchProperties;
import io.scorepipe.worker.system.ModelInboxes;
import io.scorepipe.worker.system.Rounds;

/**
 * The job {@code retrain}: one step that runs a {@link RetrainService} retrain and records its
 * outcome in {@code retrain_runs}; started by the schedule ({@code scorepipe.retrain.cron}) or by a
 * request from the api.
 */
@Configuration(proxyBeanMethods = false)
class RetrainConfiguration {

    static final String JOB = "retrain";

    @Bean
    RetrainLock retrainLock(DataSource dataSource) {
        return new RetrainLock(dataSource);
    }

    @Bean
    RetrainService retrainService(RetrainLock lock, TrainingExamples store, ModelRegistry registry,
            ServingModels serving, Promoter promoter, RetrainProperties properties, ModelProperties models,
            MeterRegistry meters) {
        return new RetrainService(lock, store, registry, serving, promoter, properties, models.training().toConfig(),
                meters);
    }

    @Bean
    TrainingExamplesListener trainingExamplesListener(TrainingExamples store, ModelRegistry registry,
            ModelProperties models, MessagePublisher publisher, TopicProperties topics) {
        return new TrainingExamplesListener(store, new ModelSchemas(registry), models.defaultName(), publisher,
                new Subscription(topics.trainingExamples(), "scorepipe-training-examples"));
    }

    @Bean
    Job retrainJob(JobRepository jobs, RetrainService retrain, RetrainRuns runs) {
        // no database transaction around the run: the registry's changes and the run's record must
        // commit as they happen, and a promotion be announced only after its commit
        var step = new StepBuilder("retrain", jobs).tasklet(new RetrainTasklet(retrain, runs),
                new ResourcelessTransactionManager()).build();
        return new JobBuilder(JOB, jobs).start(step).build();
    }

    @Bean
    RetrainRunner retrainRunner(JobOperator jobOperator, Job retrainJob, RetrainRuns runs, ModelProperties models) {
        return new RetrainRunner(jobOperator, retrainJob, runs, models.defaultName());
    }

    @Bean
    RetrainRunSweep retrainRunSweep(RetrainLock lock, RetrainRuns runs, RetrainProperties properties) {
        return new RetrainRunSweep(lock, runs, properties.requestTimeout());
    }

    @Bean
    RetrainRequestListener retrainRequestListener(RetrainRunner runner, TopicProperties topics) {
        return new RetrainRequestListener(runner, new Subscription(topics.retrainRequests(), "scorepipe-retrain"));
    }

    @Bean
    LabelsWatcher labelsWatcher(DataFolders folders, TrainingExamples store, LabelFiles files, ModelRegistry registry,
            BatchProperties batch, ModelProperties models) {
        return new LabelsWatcher(folders, files, registry, new ModelInboxes(folders.labelsInbox(), batch.settle(),
                Set.of()), new LabelsReader(store, batch.maxLineBytes()), models.defaultName());
    }

    /**
     * The run sweep, the labels inbox poll, and the schedule: at each tick, a run for every model
     * that has labelled examples newer than its latest trained version.
     */
    @Bean
    SchedulingConfigurer retrainSchedule(RetrainProperties properties, RetrainRunner runner, RetrainService retrain,
            ModelRegistry registry, LabelsWatcher labels, BatchProperties batch, RetrainRunSweep sweep) {
        return registrar -> {
            registrar.addFixedDelayTask(Rounds.quietly("Retrain run sweep", sweep::sweep), properties.sweepInterval());
            registrar.addFixedDelayTask(Rounds.quietly("Labels inbox poll", labels::poll), batch.pollInterval());
            if (!"-".equals(properties.cron())) {
                registrar.addTriggerTask(Rounds.quietly("Scheduled retrain", () -> {
                    for (ModelInfo model : registry.models()) {
                        if (retrain.hasNewExamples(model.name())) {
                            runner.submit(UUID.randomUUID(), model.name(), "schedule");
                        }
                    }
                }), new CronTrigger(properties.cron()));
            }
        };
    }
}
