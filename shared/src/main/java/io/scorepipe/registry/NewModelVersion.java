package io.scorepipe.registry;

import java.util.List;
import java.util.Map;

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
 */
public record NewModelVersion(List<String> featureNames, Map<String, Object> metrics, Map<String, Object> provenance,
        int trainingRows, ModelFormat format, byte[] modelBytes) {

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
    }

    /** The same version with other provenance. */
    public NewModelVersion withProvenance(Map<String, Object> replaced) {
        return new NewModelVersion(featureNames, metrics, replaced, trainingRows, format, modelBytes);
    }

    /** A model trained here, with its evaluation figures, ready to register. */
    public static NewModelVersion of(TrainedModel trained, Map<String, Object> metrics, int trainingRows) {
        return new NewModelVersion(trained.schema().names(), metrics, trained.provenance(), trainingRows,
                ModelFormat.TRIBUO, trained.toBytes());
    }
}
