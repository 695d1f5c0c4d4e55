package io.scorepipe.api.models;

import java.time.Duration;
import java.util.UUID;

import io.scorepipe.api.system.ApiProblemException;
import io.scorepipe.messages.MessagePublisher;
import io.scorepipe.messages.RetrainRequest;
import io.scorepipe.registry.ModelRegistry;
import io.scorepipe.registry.ModelVersion;
import io.scorepipe.registry.Promoter;
import io.scorepipe.registry.RetrainRuns;

/**
 * Promotes versions and rolls them back through the shared {@link Promoter}, and hands retrain
 * requests to the workers as {@link RetrainRequest} messages.
 *
 * @param registry the models, to check that one exists
 * @param promoter promotes and announces
 * @param publisher sends the retrain requests
 * @param retrainTopic where they go
 * @param runs the retrain runs' table
 */
record ModelAdminService(ModelRegistry registry, Promoter promoter, MessagePublisher publisher, String retrainTopic,
        RetrainRuns runs) {

    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(2);

    /**
     * Records a retrain request of {@code model} and hands it to the workers; a request Kafka
     * refuses is failed at once.
     *
     * @throws io.scorepipe.registry.UnknownModelException when there is no such model
     */
    RetrainRuns.Run requestRetrain(String model, String trigger) {
        registry.requireModel(model);
        UUID id = UUID.randomUUID();
        runs.requested(id, model, trigger);
        try {
            publisher.sendAndWait(retrainTopic, id.toString(), new RetrainRequest(id, model, trigger), SEND_TIMEOUT);
        }
        catch (MessagePublisher.MessageNotSentException ex) {
            runs.finished(id, "failed", null, null, "the request could not reach the workers: " + ex.getMessage());
        }
        return runs.find(id).orElseThrow();
    }

    /** A run of {@code model}; 404 for another model's run, as for no run at all. */
    RetrainRuns.Run retrainRun(String model, UUID id) {
        return runs.find(id).filter(run -> run.model().equals(model))
                .orElseThrow(() -> ApiProblemException.notFound("Unknown retrain run", "model " + model
                        + " has no retrain run " + id));
    }

    /** Any model's run, by id alone: the route from before models had names. */
    RetrainRuns.Run retrainRun(UUID id) {
        return runs.find(id).orElseThrow(() -> ApiProblemException.notFound("Unknown retrain run", "no retrain run " + id));
    }

    ModelVersion promote(String model, String label, String reason) {
        registry.requireModel(model);
        return promoter.promote(model, label, reason, "api");
    }

    /** @throws ApiProblemException 409 when no version served before the current one */
    ModelVersion rollback(String model, String reason) {
        registry.requireModel(model);
        try {
            return promoter.rollback(model, reason, "api");
        }
        catch (IllegalStateException ex) {
            throw ApiProblemException.conflict("Nothing to roll back to", ex.getMessage());
        }
    }
}
