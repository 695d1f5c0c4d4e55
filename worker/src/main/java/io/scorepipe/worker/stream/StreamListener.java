package io.scorepipe.worker.stream;

import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import io.scorepipe.config.Subscription;

/**
 * Consumes {@code scoring.requests} in batches inside a Kafka transaction: the results, the dead
 * letters and the consumed offsets commit together, or not at all.
 */
class StreamListener {

    private final StreamScorer scorer;
    private final KafkaTemplate<String, byte[]> kafka;
    private final Subscription subscription;

    StreamListener(StreamScorer scorer, KafkaTemplate<String, byte[]> kafka, Subscription subscription) {
        this.scorer = scorer;
        this.kafka = kafka;
        this.subscription = subscription;
    }

    public Subscription subscription() {
        return subscription;
    }

    @KafkaListener(id = "stream-scoring", topics = "#{__listener.subscription().topic()}",
            groupId = "#{__listener.subscription().groupId()}",
            containerFactory = "streamContainerFactory", batch = "true")
    void onRequests(List<ConsumerRecord<String, byte[]>> requests) {
        scorer.score(requests).forEach(kafka::send);
    }
}
