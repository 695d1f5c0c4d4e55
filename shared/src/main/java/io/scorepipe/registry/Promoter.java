package io.scorepipe.registry;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.scorepipe.messages.MessagePublisher;
import io.scorepipe.messages.ModelUpdateEvent;

/**
 * Promote and announce, the one way a version becomes champion after a model's first: the registry
 * records it, this process serves it at once, and {@code model.updates} tells every other
 * instance. The announcement follows the commit, so no instance can reload the old champion in
 * between; if it cannot be sent, the promotion still stands and instances pick it up at their
 * next registry poll. Thread-safe.
 */
public class Promoter {

    private static final Logger log = LoggerFactory.getLogger(Promoter.class);
    private static final Duration ANNOUNCE_TIMEOUT = Duration.ofSeconds(2);

    private final ModelRegistry registry;
    private final ServingModels serving;
    private final @Nullable MessagePublisher publisher;
    private final String topic;

    /** @param publisher sends the announcement; null where the process has no Kafka (then only polls spread it) */
    public Promoter(ModelRegistry registry, ServingModels serving, @Nullable MessagePublisher publisher, String topic) {
        this.registry = registry;
        this.serving = serving;
        this.publisher = publisher;
        this.topic = topic;
    }

    /**
     * Makes {@code label} the champion of {@code model} everywhere.
     *
     * @param promotedBy who or what promoted it, for the history
     * @throws UnknownModelVersionException when no such version is registered
     */
    public ModelVersion promote(String model, String label, String reason, String promotedBy) {
        return announced(registry.promote(model, label, reason, promotedBy), reason);
    }

    /**
     * Undoes {@code model}'s latest promotion everywhere: the version that served before it serves again.
     *
     * @throws IllegalStateException when there is no earlier champion to return to
     */
    public ModelVersion rollback(String model, String reason, String promotedBy) {
        return announced(registry.rollback(model, reason, promotedBy), reason);
    }

    /** Tells this process and the others that a model was created, so that they know its name at once. */
    public void announceNewModel(String model, String reason) {
        serving.refresh();
        send(new ModelUpdateEvent(model, null, reason, Instant.now()), model);
    }

    private ModelVersion announced(ModelVersion promoted, String reason) {
        serving.refresh();
        announce(promoted, reason);
        return promoted;
    }

    private void announce(ModelVersion promoted, String reason) {
        send(new ModelUpdateEvent(promoted.model(), promoted.label(), reason,
                Objects.requireNonNullElse(promoted.promotedAt(), Instant.now())), promoted.model() + " " + promoted.label());
    }

    private void send(ModelUpdateEvent event, String what) {
        if (publisher == null) {
            return;
        }
        try {
            publisher.sendAndWait(topic, event.model(), event, ANNOUNCE_TIMEOUT);
        }
        catch (MessagePublisher.MessageNotSentException ex) {
            log.warn("Could not announce {} ({}); other instances pick it up at their next registry poll", what,
                    ex.getMessage());
        }
    }
}
