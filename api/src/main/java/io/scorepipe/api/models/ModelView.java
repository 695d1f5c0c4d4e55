package io.scorepipe.api.models;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.scorepipe.registry.ModelStatus;
import io.scorepipe.registry.ModelVersion;
import io.scorepipe.registry.Promotion;

/**
 * A model version as {@code /models} shows it.
 *
 * @param model the model it is a version of
 * @param version the label predictions carry as {@code model_version}
 * @param status candidate, champion or retired
 * @param format how it is stored and scored: {@code tribuo-protobuf} or {@code onnx}
 * @param features the version's features, in the order it takes them
 * @param metrics evaluation figures
 * @param decision where it stands now: {@code promoted} once it was ever promoted (by anyone), else
 *     what the retrain that made it decided
 * @param reason why: the latest promotion's reason, or the retrain's
 * @param promotedBy who or what promoted it last: api, retrain, import or bootstrap
 * @param provenance how it was made
 * @param trainingRows rows it learnt from
 * @param createdAt when it was registered
 * @param promotedAt when it last became champion
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record ModelView(
        @JsonProperty("model") String model,
        @JsonProperty("version") String version,
        @JsonProperty("status") String status,
        @JsonProperty("format") String format,
        @JsonProperty("features") List<String> features,
        @JsonProperty("metrics") Map<String, Object> metrics,
        @JsonProperty("decision") @Nullable String decision,
        @JsonProperty("reason") @Nullable String reason,
        @JsonProperty("promoted_by") @Nullable String promotedBy,
        @JsonProperty("provenance") Map<String, Object> provenance,
        @JsonProperty("training_rows") int trainingRows,
        @JsonProperty("created_at") Instant createdAt,
        @JsonProperty("promoted_at") @Nullable Instant promotedAt) {

    /** Tribuo's full provenance is long; lists leave it out and the single view has it. */
    static final String TRIBUO_PROVENANCE = "tribuo_provenance";
    /** What a retrain decided when it registered the version; kept in the metrics, shown as {@code decision}. */
    private static final String DECISION = "decision";
    private static final String REASON = "reason";

    static ModelView summary(ModelVersion version, @Nullable Promotion lastPromotion) {
        Map<String, Object> provenance = new LinkedHashMap<>(version.provenance());
        provenance.remove(TRIBUO_PROVENANCE);
        return of(version, provenance, lastPromotion);
    }

    static ModelView full(ModelVersion version, @Nullable Promotion lastPromotion) {
        return of(version, version.provenance(), lastPromotion);
    }

    private static ModelView of(ModelVersion version, Map<String, Object> provenance, @Nullable Promotion promotion) {
        Map<String, Object> figures = new LinkedHashMap<>(version.metrics());
        Object retrainDecision = figures.remove(DECISION);
        Object retrainReason = figures.remove(REASON);
        boolean promoted = promotion != null || version.status() != ModelStatus.CANDIDATE;
        String decision = promoted ? "promoted" : retrainDecision == null ? null : retrainDecision.toString();
        String reason = promotion != null ? promotion.reason() : retrainReason == null ? null : retrainReason.toString();
        return new ModelView(version.model(), version.label(), version.status().name().toLowerCase(Locale.ROOT),
                version.format().dbValue(), version.featureNames(),
                figures, decision, reason, promotion == null ? null : promotion.promotedBy(), provenance,
                version.trainingRows(), version.createdAt(), version.promotedAt());
    }
}
