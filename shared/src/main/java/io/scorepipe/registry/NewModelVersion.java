package io.scorepipe.registry;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import io.scorepipe.drift.FeatureProfile;
import io.scorepipe.scoring.FeatureSchema;
import io.scorepipe.scoring.ModelFormat;
import io.scorepipe.scoring.TrainedModel;

/**
 * A model version to register.
 *
 * @param featureNames the version's features, in the order it takes them
 * @param metrics evaluation figures
 * @param provenance how it was made
 * @param trainingRows how many rows it learnt from (0 when it was made elsewhere)
 * @param format how its bytes are read
 * @param modelBytes the model itself
 * @param profile what it learnt from, for drift; null when it came without examples (then its first
 *     scored window is taken)
 */
public record NewModelVersion(List<String> featureNames, Map<String, Object> metrics, Map<String, Object> provenance,
        int trainingRows, ModelFormat format, byte[] modelBytes, @Nullable FeatureProfile profile) {

    /** A version without a profile. */
    public NewModelVersion(List<String> featureNames, Map<String, Object> metrics, Map<String, Object> provenance,
            int trainingRows, ModelFormat format, byte[] modelBytes) {
        this(featureNames, metrics, provenance, trainingRows, format, modelBytes, null);
    }

    public NewModelVersion {
        featureNames = FeatureSchema.of(featureNames).names();
        metrics = Map.copyOf(metrics);
        provenance = Map.copyOf(provenance);
        if (trainingRows < 0) {
            throw new IllegalArgumentException("trainingRows must not be negative, got " + trainingRows);
        }
        if (modelBytes.length == 0) {
            throw new IllegalArgumentException("modelBytes must not be empty");
        }
        if (profile != null && !Set.copyOf(profile.features().keySet()).equals(Set.copyOf(featureNames))) {
            throw new IllegalArgumentException("the profile describes " + profile.features().keySet()
                    + ", not the version's features " + featureNames);
        }
    }

    /** The same version with a profile of what it learnt from. */
    public NewModelVersion withProfile(FeatureProfile described) {
        return new NewModelVersion(featureNames, metrics, provenance, trainingRows, format, modelBytes, described);
    }

    /** The same version with other provenance. */
    public NewModelVersion withProvenance(Map<String, Object> replaced) {
        return new NewModelVersion(featureNames, metrics, replaced, trainingRows, format, modelBytes, profile);
    }

    /** A model trained here, with its evaluation figures, ready to register. */
    public static NewModelVersion of(TrainedModel trained, Map<String, Object> metrics, int trainingRows) {
        return new NewModelVersion(trained.schema().names(), metrics, trained.provenance(), trainingRows,
                ModelFormat.TRIBUO, trained.toBytes());
    }
}
