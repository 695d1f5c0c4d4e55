package io.scorepipe.worker.batch;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;

import io.micrometer.core.instrument.MeterRegistry;
import io.scorepipe.batch.BatchRepository;
import io.scorepipe.batch.DataFolders;
import io.scorepipe.config.Subscription;
import io.scorepipe.config.TopicProperties;
import io.scorepipe.registry.ModelRegistry;
import io.scorepipe.registry.ServingModel;

@Configuration(proxyBeanMethods = false)
@EnableScheduling
@EnableConfigurationProperties(BatchProperties.class)
class BatchConfiguration {

    private static final Logger log = LoggerFactory.getLogger(BatchConfiguration.class);

    @Bean
    ModelPins modelPins(ModelRegistry registry) {
        return new ModelPins(registry);
    }

    /** One pace for every CSV row this worker reads, whatever the job or partition. */
    @Bean
    RowThrottle rowThrottle(BatchProperties properties, MeterRegistry meters) {
        return new RowThrottle(properties.maxRowsPerSecond(), meters);
    }

    @Bean
    BatchRunner batchRunner(JobOperator jobOperator, JobRepository jobRepository, Job scoreFileJob, BatchRepository batches,
            ServingModel serving, BatchProperties properties) {
        return new BatchRunner(jobOperator, jobRepository, scoreFileJob, batches, serving, properties);
    }

    /** Batch events are plain JSON text, outside any transaction (the stream's producer is transactional). */
    @Bean
    KafkaTemplate<String, String> batchEventTemplate(KafkaProperties kafka) {
        Map<String, Object> config = new HashMap<>(kafka.buildProducerProperties());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(config, new StringSerializer(), new StringSerializer()));
    }

    @Bean
    InboxWatcher inboxWatcher(DataFolders folders, BatchRepository batches, KafkaTemplate<String, String> batchEventTemplate,
            TopicProperties topics, BatchProperties properties) {
        return new InboxWatcher(folders, batches, batchEventTemplate, topics, properties);
    }

    @Bean
    BatchEventListener batchEventListener(BatchRunner runner, TopicProperties topics, BatchProperties properties) {
        return new BatchEventListener(runner, new Subscription(topics.batches(), properties.groupId()));
    }

    /** The inbox poll, the heartbeat of running batches, and the take-over of abandoned ones. */
    @Bean
    SchedulingConfigurer batchSchedules(InboxWatcher watcher, BatchRunner runner, BatchProperties properties) {
        return registrar -> {
            registrar.addFixedDelayTask(quietly("inbox poll", watcher::poll), properties.pollInterval());
            registrar.addFixedDelayTask(quietly("batch heartbeat", runner::heartbeat), properties.heartbeat());
            registrar.addFixedDelayTask(quietly("batch take-over", runner::takeOverAbandoned),
                    properties.staleAfter().dividedBy(2));
        };
    }

    /** A failed round (PostgreSQL away, say) is logged; the next round tries again. */
    private static Runnable quietly(String what, Task task) {
        return () -> {
            try {
                task.run();
            }
            catch (Exception ex) {
                log.warn("{} failed; trying again at the next round: {}", what, ex.getMessage());
            }
        };
    }

    @FunctionalInterface
    private interface Task {
        void run() throws Exception;
    }
}
