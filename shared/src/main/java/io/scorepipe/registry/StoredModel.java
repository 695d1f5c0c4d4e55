package io.scorepipe.registry;

import io.scorepipe.scoring.ModelCodec;
import io.scorepipe.scoring.Scorer;

/**
 * A registered version with its model bytes.
 *
 * @param version the version's metadata
 * @param bytes the model in Tribuo's protobuf format
 */
public record StoredModel(ModelVersion version, byte[] bytes) {

    /**
     * Decodes and checks the model against its registered features.
     *
     * @throws io.scorepipe.scoring.ModelException when the bytes are not a fitting model
     */
    public Scorer scorer() {
        var schema = version.schema();
        return Scorer.of(ModelCodec.fromBytes(bytes, schema), schema);
    }
}
