package io.scorepipe.scoring;

import java.util.Map;

import org.tribuo.Model;
import org.tribuo.regression.Regressor;

/**
 * A freshly trained model with the schema it was trained on and how it was made.
 *
 * @param schema the features, in the order the model expects them
 * @param model the Tribuo model
 * @param provenance hyperparameters, data fingerprint, timings and Tribuo's own provenance
 */
public record TrainedModel(FeatureSchema schema, Model<Regressor> model, Map<String, Object> provenance) {

    public TrainedModel {
        provenance = Map.copyOf(provenance);
    }

    public Scorer scorer() {
        return Scorer.of(model, schema);
    }

    public byte[] toBytes() {
        return ModelCodec.toBytes(model);
    }
}
