package io.scorepipe.registry;

import java.util.List;

import org.jspecify.annotations.Nullable;

import io.scorepipe.scoring.FeatureSchema;

/**
 * A model to create.
 *
 * @param name its name (see {@link ModelNames})
 * @param featureNames its features, in order
 * @param target the column it predicts, when known
 * @param origin {@code sample}, {@code csv} or {@code import}
 */
public record NewModel(String name, List<String> featureNames, @Nullable String target, String origin) {

    public NewModel {
        if (!ModelNames.isValid(name)) {
            throw new IllegalArgumentException("'" + name + "' is not a model name");
        }
        featureNames = FeatureSchema.of(featureNames).names();
    }
}
