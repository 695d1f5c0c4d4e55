package io.scorepipe.worker.retrain;

import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;

import io.scorepipe.config.Subscription;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs the retrains asked for through the api ({@code {"run_id": "..."}} on the retrain requests
 * topic). One worker of the group receives each request; the retrain's own lock keeps it the
 * only retrain running anywhere.
 */
class RetrainRequestListener {

    private static final Logger log = LoggerFactory.getLogger(RetrainRequestListener.class);

    private final RetrainRunner runner;
    private final Subscription subscription;
    private final JsonMapper json = JsonMapper.builder().build();

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
                    "value.deserializer=org.apache.kafka.common.serialization.StringDeserializer"})
    void onRequest(String request) {
        UUID runId;
        try {
            JsonNode node = json.readTree(request);
            runId = UUID.fromString(node.get("run_id").asString());
        }
        catch (JacksonException | IllegalArgumentException | NullPointerException ex) {
            log.error("Unreadable retrain request skipped: {}", request);
            return;
        }
        runner.run(runId, "api");
    }
}
