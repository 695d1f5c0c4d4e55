package io.scorepipe.worker.stream;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.MicrometerConsumerListener;
import org.springframework.kafka.core.MicrometerProducerListener;
import org.springframework.kafka.listener.DefaultAfterRollbackProcessor;
import org.springframework.kafka.transaction.KafkaTransactionManager;
import org.springframework.util.backoff.ExponentialBackOff;

import io.micrometer.core.instrument.MeterRegistry;
import io.scorepipe.audit.AuditWriter;
import io.scorepipe.config.Subscription;
import io.scorepipe.config.TopicProperties;
import io.scorepipe.registry.ModelProperties;
import io.scorepipe.registry.ServingModels;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(StreamProperties.class)
class StreamConfiguration {

    @Bean
    DefaultKafkaProducerFactory<String, byte[]> streamProducerFactory(KafkaProperties kafka, StreamProperties properties,
            MeterRegistry meters) {
        Map<String, Object> config = new HashMap<>(kafka.buildProducerProperties());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 128 * 1024);
        config.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) properties.transactionTimeout().toMillis());
        var producers = new DefaultKafkaProducerFactory<>(config, new StringSerializer(), new ByteArraySerializer());
        // transactional ids must be unique per process: two workers sharing one would fence each other
        producers.setTransactionIdPrefix("scorepipe-stream-" + UUID.randomUUID() + "-");
        producers.addListener(new MicrometerProducerListener<>(meters));
        return producers;
    }

    @Bean
    KafkaTemplate<String, byte[]> streamKafkaTemplate(DefaultKafkaProducerFactory<String, byte[]> streamProducerFactory) {
        return new KafkaTemplate<>(streamProducerFactory);
    }

    @Bean
    ConcurrentKafkaListenerContainerFactory<String, byte[]> streamContainerFactory(KafkaProperties kafka,
            StreamProperties properties, DefaultKafkaProducerFactory<String, byte[]> streamProducerFactory,
            MeterRegistry meters) {
        Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, properties.maxBatch());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        if (!properties.fetchWait().isZero()) {
            config.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, StreamProperties.FETCH_MIN_BYTES);
            config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, (int) properties.fetchWait().toMillis());
        }
        config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) properties.sessionTimeout().toMillis());
        config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) properties.sessionTimeout().toMillis() / 4);
        // bytes, not JSON: a record that is not even text must reach the scorer to be dead-lettered
        var consumers = new DefaultKafkaConsumerFactory<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        consumers.addListener(new MicrometerConsumerListener<>(meters));

        var factory = new ConcurrentKafkaListenerContainerFactory<String, byte[]>();
        factory.setConsumerFactory(consumers);
        factory.setBatchListener(true);
        factory.setConcurrency(properties.concurrency());
        factory.getContainerProperties().setKafkaAwareTransactionManager(new KafkaTransactionManager<>(streamProducerFactory));
        // a model or database problem aborts the transaction; the batch comes again, for as long as it takes
        ExponentialBackOff backOff = new ExponentialBackOff(properties.retryInitial().toMillis(), 2.0);
        backOff.setMaxInterval(properties.retryMax().toMillis());
        factory.setAfterRollbackProcessor(new DefaultAfterRollbackProcessor<>(backOff));
        return factory;
    }

    @Bean
    StreamScorer streamScorer(ServingModels serving, ModelProperties models, AuditWriter audit, TopicProperties topics,
            DefaultKafkaProducerFactory<String, byte[]> streamProducerFactory, MeterRegistry meters) {
        Object maxRequestSize = streamProducerFactory.getConfigurationProperties().getOrDefault(
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                ProducerConfig.configDef().defaultValues().get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG));
        return new StreamScorer(serving, models.defaultName(), audit, topics,
                Integer.parseInt(String.valueOf(maxRequestSize)), meters);
    }

    @Bean
    StreamListener streamListener(StreamScorer scorer, KafkaTemplate<String, byte[]> streamKafkaTemplate,
            TopicProperties topics, StreamProperties properties) {
        return new StreamListener(scorer, streamKafkaTemplate, new Subscription(topics.requests(), properties.groupId()));
    }
}
