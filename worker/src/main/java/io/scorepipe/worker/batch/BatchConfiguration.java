package io.scorepipe.worker.batch;

import java.lang.management.ManagementFactory;
import java.util.Set;
import java.util.UUID;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;

import io.micrometer.core.instrument.MeterRegistry;
import io.scorepipe.batch.BatchRecords;
import io.scorepipe.batch.DataFolders;
import io.scorepipe.config.Subscription;
import io.scorepipe.config.TopicProperties;
import io.scorepipe.messages.MessagePublisher;
import io.scorepipe.registry.ModelProperties;
import io.scorepipe.registry.ServingModels;
import io.scorepipe.worker.system.ModelInboxes;
import io.scorepipe.worker.system.Rounds;

@Configuration(proxyBeanMethods = false)
@EnableScheduling
@EnableConfigurationProperties(BatchProperties.class)
class BatchConfiguration {

    /** One pace for every CSV row this worker reads, whatever the job or partition. */
    @Bean
    RowThrottle rowThrottle(BatchProperties properties, MeterRegistry meters) {
        return new RowThrottle(properties.maxRowsPerSecond(), meters);
    }

    @Bean
    BatchFiles batchFiles(DataFolders folders, BatchProperties properties) {
        return new BatchFiles(folders, properties.partitions());
    }

    /** This worker's changes to batches, under a name unique to the process. */
    @Bean
    BatchLifecycle batchLifecycle(BatchRecords records, BatchFiles files) {
        return new BatchLifecycle(records, files, ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID());
    }

    @Bean
    JobRecovery jobRecovery(JobOperator jobOperator, JobRepository jobRepository, Job scoreFileJob) {
        return new JobRecovery(jobOperator, jobRepository, scoreFileJob);
    }

    @Bean
    BatchRunner batchRunner(JobRecovery jobRecovery, BatchRecords records, BatchLifecycle lifecycle, ServingModels serving,
            BatchProperties properties) {
        return new BatchRunner(jobRecovery, records, lifecycle, serving, properties);
    }

    @Bean
    InboxWatcher inboxWatcher(DataFolders folders, BatchRecords records, BatchLifecycle lifecycle,
            MessagePublisher publisher, TopicProperties topics, BatchProperties properties, ModelProperties models) {
        return new InboxWatcher(folders, lifecycle, publisher, topics.batches(),
                new ModelInboxes(folders.inbox(), properties.settle(), Set.of(folders.labelsInbox())),
                new StrandedClaims(folders, records, properties.strandedAfter()), models.defaultName());
    }

    @Bean
    BatchEventListener batchEventListener(BatchRunner runner, TopicProperties topics, BatchProperties properties) {
        return new BatchEventListener(runner, new Subscription(topics.batches(), properties.groupId()));
    }

    /** The inbox poll, the heartbeat of running batches, and the take-over of abandoned ones. */
    @Bean
    SchedulingConfigurer batchSchedules(InboxWatcher watcher, BatchRunner runner, BatchProperties properties) {
        return registrar -> {
            registrar.addFixedDelayTask(Rounds.quietly("Inbox poll", watcher::poll), properties.pollInterval());
            registrar.addFixedDelayTask(Rounds.quietly("Batch heartbeat", runner::heartbeat), properties.heartbeat());
            registrar.addFixedDelayTask(Rounds.quietly("Batch take-over", runner::takeOverAbandoned),
                    properties.staleAfter().dividedBy(2));
        };
    }
}
