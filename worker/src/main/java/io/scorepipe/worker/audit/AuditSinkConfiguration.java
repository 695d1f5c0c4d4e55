package io.scorepipe.worker.audit;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.MicrometerConsumerListener;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;
import org.springframework.util.backoff.ExponentialBackOff;

import io.micrometer.core.instrument.MeterRegistry;
import io.scorepipe.audit.AuditRecord;
import io.scorepipe.audit.AuditWriter;
import io.scorepipe.config.Subscription;
import io.scorepipe.config.TopicProperties;
import io.scorepipe.messages.MessageDeserializer;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AuditSinkProperties.class)
class AuditSinkConfiguration {

    @Bean
    AuditWriter auditWriter(JdbcTemplate jdbc) {
        return new AuditWriter(jdbc);
    }

    @Bean
    AuditSink auditSink(AuditWriter writer, MeterRegistry meters) {
        return new AuditSink(writer, meters);
    }

    @Bean
    AuditSinkListener auditSinkListener(AuditSink sink, TopicProperties topics, AuditSinkProperties properties) {
        return new AuditSinkListener(sink, new Subscription(topics.audit(), properties.groupId()));
    }

    @Bean
    ConcurrentKafkaListenerContainerFactory<String, AuditRecord> auditContainerFactory(KafkaProperties kafka,
            AuditSinkProperties properties, MeterRegistry meters) {
        Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, properties.maxBatch());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 64 * 1024);
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        // an event that is not an AuditRecord arrives as null instead of stalling the partition
        var values = new ErrorHandlingDeserializer<>(new MessageDeserializer<>(AuditRecord.class));
        var consumers = new DefaultKafkaConsumerFactory<>(config, new StringDeserializer(), values);
        consumers.addListener(new MicrometerConsumerListener<>(meters));

        var factory = new ConcurrentKafkaListenerContainerFactory<String, AuditRecord>();
        factory.setConsumerFactory(consumers);
        factory.setBatchListener(true);
        factory.setConcurrency(properties.concurrency());
        // PostgreSQL down: retry the same batch for as long as it takes; nothing is committed meanwhile
        ExponentialBackOff backOff = new ExponentialBackOff(properties.retryInitial().toMillis(), 2.0);
        backOff.setMaxInterval(properties.retryMax().toMillis());
        factory.setCommonErrorHandler(new DefaultErrorHandler(backOff));
        return factory;
    }
}
