package io.scorepipe.messages;

import java.time.Instant;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Published on {@code model.updates} when a version becomes champion, so every instance reloads
 * its serving model at once instead of at its next registry poll.
 *
 * @param modelVersion the new champion's label
 * @param reason why it was promoted
 * @param promotedAt when
 */
public record ModelUpdateEvent(
        @JsonProperty("model_version") String modelVersion,
        @JsonProperty("reason") String reason,
        @JsonProperty("promoted_at") Instant promotedAt) {

    public ModelUpdateEvent {
        Objects.requireNonNull(modelVersion, "model_version is required");
    }
}
