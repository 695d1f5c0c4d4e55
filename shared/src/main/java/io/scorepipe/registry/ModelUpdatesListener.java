package io.scorepipe.registry;

import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.scorepipe.config.Subscription;
import io.scorepipe.config.SubscriptionListener;
import io.scorepipe.messages.Messages;
import io.scorepipe.messages.ModelUpdateEvent;

/**
 * Swaps the serving model as soon as a promotion is announced on {@code model.updates}. Every
 * instance must see every announcement, so each listens in a consumer group of its own, from the
 * latest offset (an instance that starts later loads the champion from the registry anyway).
 * Idempotent: an announcement only triggers a registry read, which changes nothing when the
 * model is already current; even an unreadable one does, since the registry is the truth.
 *
 * @param serving the models this instance serves
 * @param subscription the updates' topic and this instance's own group
 */
record ModelUpdatesListener(ServingModels serving, Subscription subscription) {

    private static final Logger log = LoggerFactory.getLogger(ModelUpdatesListener.class);

    /** A listener in a consumer group of this instance's own. */
    static ModelUpdatesListener of(ServingModels serving, String topic, String application) {
        return new ModelUpdatesListener(serving, new Subscription(topic, application + "-" + UUID.randomUUID()));
    }

    @SubscriptionListener(id = "${spring.application.name:scorepipe}-model-updates", properties = {
            "auto.offset.reset=latest", "enable.auto.commit=false",
            "key.deserializer=org.apache.kafka.common.serialization.StringDeserializer",
            "value.deserializer=org.apache.kafka.common.serialization.ByteArrayDeserializer"})
    void onUpdate(ConsumerRecord<String, byte[]> announcement) {
        Messages.readOrSkip(announcement, ModelUpdateEvent.class, log)
                .ifPresent(event -> log.info("Model update announced: {} {} ({})", event.model(),
                        event.modelVersion() == null ? "created" : event.modelVersion(), event.reason()));
        serving.refresh();
    }
}
