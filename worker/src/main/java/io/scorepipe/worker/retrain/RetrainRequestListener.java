package io.scorepipe.worker.retrain;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;

import io.scorepipe.config.Subscription;
import io.scorepipe.messages.Messages;
import io.scorepipe.messages.RetrainRequest;
import io.scorepipe.messages.UnreadableMessageException;

/**
 * Hands the retrains asked for through the api ({@link RetrainRequest} on the retrain requests
 * topic) to the {@link RetrainRunner}, which runs them on a thread of its own: a long retrain never
 * holds the listener past the consumer's poll interval. One worker of the group receives each
 * request; the retrain's own lock keeps it the only retrain running anywhere.
 */
class RetrainRequestListener {

    private static final Logger log = LoggerFactory.getLogger(RetrainRequestListener.class);

    private final RetrainRunner runner;
    private final Subscription subscription;

    RetrainRequestListener(RetrainRunner runner, Subscription subscription) {
        this.runner = runner;
        this.subscription = subscription;
    }

    public Subscription subscription() {
        return subscription;
    }

    @KafkaListener(id = "retrain-requests", topics = "#{__listener.subscription().topic()}",
            groupId = "#{__listener.subscription().groupId()}",
            properties = {"key.deserializer=org.apache.kafka.common.serialization.StringDeserializer",
                    "value.deserializer=org.apache.kafka.common.serialization.ByteArrayDeserializer"})
    void onRequest(ConsumerRecord<String, byte[]> record) {
        RetrainRequest request;
        try {
            request = Messages.read(record.value(), RetrainRequest.class);
        }
        catch (UnreadableMessageException ex) {
            log.error("Unreadable retrain request at {}-{}@{} skipped: {}; the record: {}", record.topic(),
                    record.partition(), record.offset(), ex.getMessage(), Messages.text(record.value()));
            return;
        }
        runner.submit(request.runId(), request.trigger());
    }
}
