package io.scorepipe.worker.stream;

import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Consumes {@code scoring.requests} in batches inside a Kafka transaction: the results, the dead
 * letters and the consumed offsets commit together, or not at all.
 */
class StreamListener {

    private final StreamScorer scorer;
    private final KafkaTemplate<String, byte[]> kafka;
    private final String topic;
    private final String groupId;

    StreamListener(StreamScorer scorer, KafkaTemplate<String, byte[]> kafka, String topic, String groupId) {
        this.scorer = scorer;
        this.kafka = kafka;
        this.topic = topic;
        this.groupId = groupId;
    }

    public String topic() {
        return topic;
    }

    public String groupId() {
        return groupId;
    }

    @KafkaListener(id = "stream-scoring", topics = "#{__listener.topic()}", groupId = "#{__listener.groupId()}",
            containerFactory = "streamContainerFactory", batch = "true")
    void onRequests(List<ConsumerRecord<String, byte[]>> requests) {
        scorer.score(requests).forEach(kafka::send);
    }
}
