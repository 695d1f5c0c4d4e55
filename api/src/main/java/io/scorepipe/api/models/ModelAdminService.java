package io.scorepipe.api.models;

import java.time.Duration;
import java.util.UUID;

import io.scorepipe.api.system.ApiProblemException;
import io.scorepipe.messages.MessagePublisher;
import io.scorepipe.messages.RetrainRequest;
import io.scorepipe.registry.ModelVersion;
import io.scorepipe.registry.Promoter;
import io.scorepipe.registry.RetrainRuns;

/**
 * Promotes versions (rollback is promoting an older one) through the shared {@link Promoter}, and
 * hands retrain requests to the workers as {@link RetrainRequest} messages.
 *
 * @param promoter promotes and announces
 * @param publisher sends the retrain requests
 * @param retrainTopic where they go
 * @param runs the retrain runs' table
 */
record ModelAdminService(Promoter promoter, MessagePublisher publisher, String retrainTopic, RetrainRuns runs) {

    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(2);

    /** Records a retrain request and hands it to the workers; a request Kafka refuses is failed at once. */
    RetrainRuns.Run requestRetrain() {
        UUID id = UUID.randomUUID();
        runs.requested(id, "api");
        try {
            publisher.sendAndWait(retrainTopic, id.toString(), new RetrainRequest(id, "api"), SEND_TIMEOUT);
        }
        catch (MessagePublisher.MessageNotSentException ex) {
            runs.finished(id, "failed", null, null, "the request could not reach the workers: " + ex.getMessage());
        }
        return retrainRun(id);
    }

    RetrainRuns.Run retrainRun(UUID id) {
        return runs.find(id).orElseThrow(() -> ApiProblemException.notFound("Unknown retrain run", "no retrain run " + id));
    }

    ModelVersion promote(String label, String reason) {
        return promoter.promote(label, reason, "api");
    }
}
