package io.scorepipe.messages;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Published on {@code model.updates} when a version becomes champion or a model is created, so
 * every instance reads the registry at once instead of at its next poll.
 *
 * @param model the model that changed; an announcement from before models had names carries none
 * @param modelVersion the new champion's label; none when a model was created without one
 * @param reason why
 * @param promotedAt when
 */
public record ModelUpdateEvent(
        @JsonProperty("model") @Nullable String model,
        @JsonProperty("model_version") @Nullable String modelVersion,
        @JsonProperty("reason") String reason,
        @JsonProperty("promoted_at") Instant promotedAt) {

    public ModelUpdateEvent {
        if (model == null && modelVersion == null) {
            throw new IllegalArgumentException("model or model_version is required");
        }
    }
}
