package io.scorepipe.registry;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import io.scorepipe.scoring.FeatureSchema;
import io.scorepipe.scoring.ModelFormat;

/**
 * One registered model version, without its bytes.
 *
 * @param model the model it is a version of
 * @param version the version number, 1 for the model's first
 * @param label what predictions carry as {@code model_version}, for example {@code v3}
 * @param status candidate, champion or retired
 * @param featureNames the model's features, in the order it takes them
 * @param metrics evaluation figures (RMSE, MAE, R² on held-out rows, ...)
 * @param provenance how the model was made (hyperparameters, data fingerprint, Tribuo's provenance)
 * @param trainingRows how many rows it was trained on
 * @param format how its bytes are read
 * @param createdAt when it was registered
 * @param promotedAt when it last became champion, if ever
 */
public record ModelVersion(String model, int version, String label, ModelStatus status, List<String> featureNames,
        Map<String, Object> metrics, Map<String, Object> provenance, int trainingRows, ModelFormat format, Instant createdAt,
        @Nullable Instant promotedAt) {

    public ModelVersion {
        featureNames = List.copyOf(featureNames);
        metrics = Map.copyOf(metrics);
        provenance = Map.copyOf(provenance);
    }

    public FeatureSchema schema() {
        return FeatureSchema.of(featureNames);
    }
}
