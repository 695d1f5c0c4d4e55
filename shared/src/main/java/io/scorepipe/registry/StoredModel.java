package io.scorepipe.registry;

import java.util.List;

import io.scorepipe.scoring.FeatureSchema;
import io.scorepipe.scoring.ModelCodec;
import io.scorepipe.scoring.OnnxModels;
import io.scorepipe.scoring.Scorer;

/**
 * A registered version with its model bytes.
 *
 * @param version the version's metadata
 * @param modelFeatures the model's features in the order callers send them, which a version's own
 *     order (an imported file's inputs, say) may differ from
 * @param bytes the model, in {@code version.format()}
 */
public record StoredModel(ModelVersion version, List<String> modelFeatures, byte[] bytes) {

    public StoredModel {
        modelFeatures = List.copyOf(modelFeatures);
    }

    /**
     * Decodes the model and checks it against its registered features. The scorer takes rows in
     * the model's order. An ONNX scorer holds a native session: close it when done.
     *
     * @throws io.scorepipe.scoring.ModelException when the bytes are not a fitting model
     */
    public Scorer scorer() {
        FeatureSchema schema = FeatureSchema.of(modelFeatures);
        return switch (version.format()) {
            case TRIBUO -> Scorer.of(ModelCodec.fromBytes(bytes, schema), schema);
            case ONNX -> OnnxModels.scorer(bytes, schema, version.featureNames());
        };
    }
}
