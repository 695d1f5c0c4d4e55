package io.scorepipe.registry;

import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import io.scorepipe.config.Subscription;

/**
 * Swaps the serving model as soon as a promotion is announced on {@code model.updates}. Every
 * instance must see every announcement, so each listens in a consumer group of its own, from the
 * latest offset (an instance that starts later loads the champion from the registry anyway).
 * Idempotent: an announcement only triggers a registry read, which changes nothing when the
 * model is already current. The payload is read as text, so no announcement can stall it.
 */
class ModelUpdatesListener {

    private static final Logger log = LoggerFactory.getLogger(ModelUpdatesListener.class);

    private final ServingModel serving;
    private final Subscription subscription;

    ModelUpdatesListener(ServingModel serving, String topic, String application) {
        this.serving = serving;
        this.subscription = new Subscription(topic, application + "-" + UUID.randomUUID());
    }

    public Subscription subscription() {
        return subscription;
    }

    @KafkaListener(id = "${spring.application.name:scorepipe}-model-updates",
            topics = "#{__listener.subscription().topic()}",
            groupId = "#{__listener.subscription().groupId()}",
            properties = {"auto.offset.reset=latest", "enable.auto.commit=false",
                    "key.deserializer=org.apache.kafka.common.serialization.StringDeserializer",
                    "value.deserializer=org.apache.kafka.common.serialization.StringDeserializer"})
    void onUpdate(String announcement) {
        log.info("Model update announced: {}", announcement);
        serving.refresh();
    }
}
