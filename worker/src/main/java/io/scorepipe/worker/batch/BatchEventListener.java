package io.scorepipe.worker.batch;

import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;

import io.scorepipe.batch.BatchEvent;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;
import io.scorepipe.config.Subscription;

/**
 * Hands announced batches to the {@link BatchRunner}, which claims them in the database: the
 * claim, not the delivery, decides who runs a batch, so a redelivered event is harmless. An
 * unreadable event is logged and skipped (the batch is picked up as abandoned later).
 */
class BatchEventListener {

    private static final Logger log = LoggerFactory.getLogger(BatchEventListener.class);

    private final BatchRunner runner;
    private final JsonMapper json = JsonMapper.builder().build();
    private final Subscription subscription;

    BatchEventListener(BatchRunner runner, Subscription subscription) {
        this.runner = runner;
        this.subscription = subscription;
    }

    public Subscription subscription() {
        return subscription;
    }

    @KafkaListener(id = "batch-events", topics = "#{__listener.subscription().topic()}",
            groupId = "#{__listener.subscription().groupId()}",
            properties = {"key.deserializer=org.apache.kafka.common.serialization.StringDeserializer",
                    "value.deserializer=org.apache.kafka.common.serialization.StringDeserializer"})
    void onBatch(String event) {
        UUID batchId;
        try {
            batchId = json.readValue(event, BatchEvent.class).batchId();
        }
        catch (JacksonException | NullPointerException ex) {
            log.error("Unreadable batch event skipped: {}", event);
            return;
        }
        runner.runQueued(batchId);
    }
}
