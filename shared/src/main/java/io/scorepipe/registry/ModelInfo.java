package io.scorepipe.registry;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

import io.scorepipe.scoring.FeatureSchema;

/**
 * A named model: its schema, where it came from, and which version serves.
 *
 * @param name the model's name
 * @param featureNames its features, in the order callers send them positionally
 * @param target the column it predicts, when known (models trained here)
 * @param origin how it began: {@code sample}, {@code csv} or {@code import}
 * @param createdAt when it was created
 * @param champion the label of the version that serves, if one does
 * @param versions how many versions it has
 */
public record ModelInfo(String name, List<String> featureNames, @Nullable String target, String origin,
        Instant createdAt, @Nullable String champion, int versions) {

    public ModelInfo {
        featureNames = List.copyOf(featureNames);
    }

    public FeatureSchema schema() {
        return FeatureSchema.of(featureNames);
    }
}
