package io.scorepipe.api.models;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;

import io.scorepipe.config.TopicProperties;
import io.scorepipe.registry.ModelRegistry;
import io.scorepipe.registry.ModelUpdateEvent;
import io.scorepipe.registry.ModelVersion;
import io.scorepipe.registry.RetrainRuns;
import io.scorepipe.registry.ServingModel;

/**
 * Promotes versions (rollback is promoting an older one) and tells every instance at once through
 * {@code model.updates}; hands retrain requests to the workers. If that event cannot be sent, the promotion still stands: every instance
 * also polls the registry.
 */
class ModelAdminService {

    private static final Logger log = LoggerFactory.getLogger(ModelAdminService.class);

    private final ModelRegistry registry;
    private final ServingModel serving;
    private final KafkaTemplate<String, Object> kafka;
    private final String topic;
    private final String retrainTopic;
    private final RetrainRuns runs;

    ModelAdminService(ModelRegistry registry, ServingModel serving, KafkaTemplate<String, Object> kafka,
            TopicProperties topics, RetrainRuns runs) {
        this.registry = registry;
        this.serving = serving;
        this.kafka = kafka;
        this.topic = topics.modelUpdates();
        this.retrainTopic = topics.retrainRequests();
        this.runs = runs;
    }

    /** Records a retrain request and hands it to the workers. */
    RetrainRuns.Run requestRetrain() {
        UUID id = UUID.randomUUID();
        runs.requested(id, "api");
        try {
            kafka.send(retrainTopic, id.toString(), "{\"run_id\":\"" + id + "\"}").get(2, TimeUnit.SECONDS);
        }
        catch (Exception ex) {
            if (ex instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            runs.finished(id, "failed", null, null, "the request could not reach the workers: " + ex.getMessage());
        }
        return retrainRun(id);
    }

    RetrainRuns.Run retrainRun(UUID id) {
        return runs.find(id).orElseThrow(() -> new UnknownRetrainRunException(id));
    }

    ModelVersion promote(String label, String reason) {
        ModelVersion promoted = registry.promote(label, reason);
        serving.refresh();
        var event = new ModelUpdateEvent(promoted.label(), reason,
                Objects.requireNonNullElse(promoted.promotedAt(), Instant.now()));
        try {
            kafka.send(topic, promoted.label(), event).get(2, TimeUnit.SECONDS);
        }
        catch (Exception ex) {
            if (ex instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            log.warn("Promoted {} but could not announce it on {} ({}); other instances pick it up at their next "
                    + "registry poll", promoted.label(), topic, ex.getMessage());
        }
        return promoted;
    }
}
