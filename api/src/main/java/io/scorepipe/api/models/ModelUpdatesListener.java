package io.scorepipe.api.models;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;

import io.scorepipe.registry.ModelUpdateEvent;
import io.scorepipe.registry.ServingModel;

/**
 * Swaps the serving model as soon as a promotion is announced. Every api instance must see every
 * announcement, so each listens in a consumer group of its own. Idempotent: the event only
 * triggers a registry read, which changes nothing when the model is already current.
 */
class ModelUpdatesListener {

    private static final Logger log = LoggerFactory.getLogger(ModelUpdatesListener.class);

    private final ServingModel serving;

    ModelUpdatesListener(ServingModel serving) {
        this.serving = serving;
    }

    @KafkaListener(id = "api-model-updates", topics = "${scorepipe.topics.model-updates:model.updates}",
            groupId = "scorepipe-api-#{T(java.util.UUID).randomUUID()}",
            properties = {"auto.offset.reset=latest", "enable.auto.commit=false"})
    void onUpdate(ModelUpdateEvent event) {
        log.info("Model update announced: {} ({})", event.modelVersion(), event.reason());
        serving.refresh();
    }
}
