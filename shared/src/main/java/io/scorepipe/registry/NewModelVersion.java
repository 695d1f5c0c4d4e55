package io.scorepipe.registry;

import java.util.List;
import java.util.Map;

import io.scorepipe.scoring.FeatureSchema;
import io.scorepipe.scoring.TrainedModel;

/**
 * A model to register.
 *
 * @param featureNames the model's features, in order
 * @param metrics evaluation figures
 * @param provenance how it was made
 * @param trainingRows how many rows it learnt from
 * @param modelBytes the model in Tribuo's protobuf format
 */
public record NewModelVersion(List<String> featureNames, Map<String, Object> metrics, Map<String, Object> provenance,
        int trainingRows, byte[] modelBytes) {

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

    /** A trained model with its evaluation figures, ready to register. */
    public static NewModelVersion of(TrainedModel trained, Map<String, Object> metrics, int trainingRows) {
        return new NewModelVersion(trained.schema().names(), metrics, trained.provenance(), trainingRows, trained.toBytes());
    }
}
