package io.scorepipe.worker.retrain;

import java.time.Instant;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.support.CronTrigger;
import org.springframework.transaction.PlatformTransactionManager;

import io.micrometer.core.instrument.MeterRegistry;
import io.scorepipe.config.Subscription;
import io.scorepipe.config.TopicProperties;
import io.scorepipe.registry.ModelProperties;
import io.scorepipe.registry.ModelRegistry;
import io.scorepipe.registry.ServingModel;

/**
 * The job {@code retrain}: one step that runs a {@link RetrainService} retrain and records its
 * outcome as the step's exit description; started by the schedule ({@code scorepipe.retrain.cron}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RetrainProperties.class)
class RetrainConfiguration {

    private static final Logger log = LoggerFactory.getLogger(RetrainConfiguration.class);
    static final String JOB = "retrain";

    @Bean
    TrainingExampleStore trainingExampleStore(DataSource dataSource) {
        return new TrainingExampleStore(JdbcClient.create(dataSource));
    }

    @Bean
    RetrainService retrainService(DataSource dataSource, TrainingExampleStore store, ModelRegistry registry,
            ServingModel serving, KafkaTemplate<String, String> batchEventTemplate, TopicProperties topics,
            RetrainProperties properties, ModelProperties models, MeterRegistry meters) {
        return new RetrainService(dataSource, store, registry, serving, batchEventTemplate, topics, properties,
                models.training().toConfig(), meters);
    }

    @Bean
    TrainingExamplesListener trainingExamplesListener(TrainingExampleStore store, ServingModel serving,
            KafkaTemplate<String, String> batchEventTemplate, TopicProperties topics) {
        return new TrainingExamplesListener(store, serving, batchEventTemplate,
                new Subscription(topics.trainingExamples(), "scorepipe-training-examples"));
    }

    @Bean
    Job retrainJob(JobRepository jobs, PlatformTransactionManager transactions, RetrainService retrain) {
        var step = new StepBuilder("retrain", jobs).tasklet((contribution, chunk) -> {
            String trigger = chunk.getStepContext().getStepExecution().getJobParameters().getString("trigger");
            String outcome = retrain.retrain(trigger == null ? "unknown" : trigger).map(RetrainOutcome::toString)
                    .orElse("skipped: another retrain was running");
            contribution.setExitStatus(contribution.getExitStatus().addExitDescription(outcome));
            return RepeatStatus.FINISHED;
        }, transactions).build();
        return new JobBuilder(JOB, jobs).start(step).build();
    }

    @Bean
    SchedulingConfigurer retrainSchedule(RetrainProperties properties, JobOperator jobOperator, Job retrainJob) {
        return registrar -> {
            if ("-".equals(properties.cron())) {
                return;
            }
            registrar.addTriggerTask(() -> {
                try {
                    jobOperator.start(retrainJob, new JobParametersBuilder().addString("trigger", "schedule", false)
                            .addString("requested.at", Instant.now().toString()).toJobParameters());
                }
                catch (Exception ex) {
                    log.warn("Scheduled retrain could not start: {}", ex.getMessage());
                }
            }, new CronTrigger(properties.cron()));
        };
    }
}
