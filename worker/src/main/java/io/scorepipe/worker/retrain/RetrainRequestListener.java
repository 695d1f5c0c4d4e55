package io.scorepipe.worker.retrain;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.scorepipe.config.Subscription;
import io.scorepipe.config.SubscriptionListener;
import io.scorepipe.messages.Messages;
import io.scorepipe.messages.RetrainRequest;

/**
 * Hands the retrains asked for through the api ({@link RetrainRequest} on the retrain requests
 * topic) to the {@link RetrainRunner}, which runs them on a thread of its own: a long retrain never
 * holds the listener past the consumer's poll interval. One worker of the group receives each
 * request; the model's retrain lock keeps it the only retrain of that model running anywhere.
 *
 * @param runner runs the retrains
 * @param subscription the retrain requests' topic and the workers' consumer group
 */
record RetrainRequestListener(RetrainRunner runner, Subscription subscription) {

    private static final Logger log = LoggerFactory.getLogger(RetrainRequestListener.class);

    @SubscriptionListener(id = "retrain-requests")
    void onRequest(ConsumerRecord<String, byte[]> record) {
        Messages.readOrSkip(record, RetrainRequest.class, log)
                .ifPresent(request -> runner.submit(request.runId(), request.model(), request.trigger()));
    }
}
