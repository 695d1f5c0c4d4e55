package io.scorepipe.worker.batch;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.scorepipe.config.Subscription;
import io.scorepipe.config.SubscriptionListener;
import io.scorepipe.messages.BatchEvent;
import io.scorepipe.messages.Messages;

/**
 * Hands announced batches ({@link BatchEvent}) to the {@link BatchRunner}, which claims them in the
 * database: the claim, not the delivery, decides who runs a batch, so a redelivered event is
 * harmless. An unreadable event is logged and skipped (the batch is picked up as abandoned later).
 *
 * @param runner runs the batches this worker wins
 * @param subscription the batch events' topic and this app's consumer group
 */
record BatchEventListener(BatchRunner runner, Subscription subscription) {

    private static final Logger log = LoggerFactory.getLogger(BatchEventListener.class);

    @SubscriptionListener(id = "batch-events")
    void onBatch(ConsumerRecord<String, byte[]> record) {
        Messages.readOrSkip(record, BatchEvent.class, log).ifPresent(event -> runner.runQueued(event.batchId()));
    }
}
