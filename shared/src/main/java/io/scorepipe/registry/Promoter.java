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
 * Promote and announce, the one way a version becomes champion after the first: the registry
 * records it, this process serves it at once, and {@code model.updates} tells every other
 * instance. The announcement follows the commit, so no instance can reload the old champion in
 * between; if it cannot be sent, the promotion still stands and instances pick it up at their
 * next registry poll. Thread-safe.
 */
public class Promoter {

    private static final Logger log = LoggerFactory.getLogger(Promoter.class);
    private static final Duration ANNOUNCE_TIMEOUT = Duration.ofSeconds(2);

    private final ModelRegistry registry;
    private final ServingModel serving;
    private final @Nullable MessagePublisher publisher;
    private final String topic;

    /** @param publisher sends the announcement; null where the process has no Kafka (then only polls spread it) */
    public Promoter(ModelRegistry registry, ServingModel serving, @Nullable MessagePublisher publisher, String topic) {
        this.registry = registry;
        this.serving = serving;
        this.publisher = publisher;
        this.topic = topic;
    }

    /**
     * Makes {@code label} the champion everywhere.
     *
     * @param promotedBy who or what promoted it, for the history
     * @throws UnknownModelVersionException when no such version is registered
     */
    public ModelVersion promote(String label, String reason, String promotedBy) {
        ModelVersion promoted = registry.promote(label, reason, promotedBy);
        serving.refresh();
        announce(promoted, reason);
        return promoted;
    }

    private void announce(ModelVersion promoted, String reason) {
        if (publisher == null) {
            return;
        }
        var event = new ModelUpdateEvent(promoted.label(), reason,
                Objects.requireNonNullElse(promoted.promotedAt(), Instant.now()));
        try {
            publisher.sendAndWait(topic, promoted.label(), event, ANNOUNCE_TIMEOUT);
        }
        catch (MessagePublisher.MessageNotSentException ex) {
            log.warn("Promoted {} but could not announce it ({}); other instances pick it up at their next registry poll",
                    promoted.label(), ex.getMessage());
        }
    }
}
