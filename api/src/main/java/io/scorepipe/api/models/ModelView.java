package io.scorepipe.api.models;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.scorepipe.registry.ModelVersion;

/**
 * A model version as {@code /models} shows it.
 *
 * @param version the label predictions carry as {@code model_version}
 * @param status candidate, champion or retired
 * @param features the model's features, in order
 * @param metrics evaluation figures
 * @param provenance how it was made
 * @param trainingRows rows it learnt from
 * @param createdAt when it was registered
 * @param promotedAt when it last became champion
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record ModelView(
        @JsonProperty("version") String version,
        @JsonProperty("status") String status,
        @JsonProperty("features") List<String> features,
        @JsonProperty("metrics") Map<String, Object> metrics,
        @JsonProperty("provenance") Map<String, Object> provenance,
        @JsonProperty("training_rows") int trainingRows,
        @JsonProperty("created_at") Instant createdAt,
        @JsonProperty("promoted_at") @Nullable Instant promotedAt) {

    /** Tribuo's full provenance is long; lists leave it out and the single view has it. */
    static final String TRIBUO_PROVENANCE = "tribuo_provenance";

    static ModelView summary(ModelVersion version) {
        Map<String, Object> provenance = new LinkedHashMap<>(version.provenance());
        provenance.remove(TRIBUO_PROVENANCE);
        return of(version, provenance);
    }

    static ModelView full(ModelVersion version) {
        return of(version, version.provenance());
    }

    private static ModelView of(ModelVersion version, Map<String, Object> provenance) {
        return new ModelView(version.label(), version.status().name().toLowerCase(Locale.ROOT),
                version.featureNames(), version.metrics(), provenance, version.trainingRows(), version.createdAt(),
                version.promotedAt());
    }
}
