package io.scorepipe.worker.stream;

import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.core.KafkaTemplate;

import io.scorepipe.config.Subscription;
import io.scorepipe.config.SubscriptionListener;

/**
 * Consumes {@code scoring.requests} in batches inside a Kafka transaction: the results, the dead
 * letters and the consumed offsets commit together, or not at all.
 *
 * @param scorer scores a poll's requests
 * @param kafka the transactional template the results and dead letters go out with
 * @param subscription the requests' topic and the stream's consumer group
 */
record StreamListener(StreamScorer scorer, KafkaTemplate<String, byte[]> kafka, Subscription subscription) {

    @SubscriptionListener(id = "stream-scoring", containerFactory = "streamContainerFactory", batch = "true",
            properties = {})
    void onRequests(List<ConsumerRecord<String, byte[]>> requests) {
        scorer.score(requests).forEach(kafka::send);
    }
}
