package io.scorepipe.api.models;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.scorepipe.registry.ModelInfo;

/**
 * A named model as {@code GET /models} and {@code GET /models/{name}} show it.
 *
 * @param name its name, for {@code /models/{name}/predict} and the other paths
 * @param isDefault whether calls that name no model use it
 * @param features what callers send, in order
 * @param target the column it predicts, when known
 * @param origin how it began: sample, csv or import
 * @param champion the version that serves, if one does
 * @param versions how many versions it has
 * @param createdAt when it was created
 * @param current the champion in full, in the single view
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record ModelSummary(
        @JsonProperty("name") String name,
        @JsonProperty("default") boolean isDefault,
        @JsonProperty("features") List<String> features,
        @JsonProperty("target") @Nullable String target,
        @JsonProperty("origin") String origin,
        @JsonProperty("champion") @Nullable String champion,
        @JsonProperty("versions") int versions,
        @JsonProperty("created_at") Instant createdAt,
        @JsonProperty("current") @Nullable ModelView current) {

    static ModelSummary of(ModelInfo model, String defaultModel, @Nullable ModelView current) {
        return new ModelSummary(model.name(), model.name().equals(defaultModel), model.featureNames(), model.target(),
                model.origin(), model.champion(), model.versions(), model.createdAt(), current);
    }
}
