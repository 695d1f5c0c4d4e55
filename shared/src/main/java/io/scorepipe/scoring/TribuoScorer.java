package io.scorepipe.scoring;

import org.tribuo.Model;
import org.tribuo.impl.ArrayExample;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;

/**
 * Scores through Tribuo's own {@code predict}: works for any regression model, and is the
 * reference that {@link LinearScorer} is checked against. Tribuo models are immutable after
 * training, so concurrent calls are safe.
 */
final class TribuoScorer implements Scorer {

    private final Model<Regressor> model;
    private final FeatureSchema schema;
    private final String[] names;

    TribuoScorer(Model<Regressor> model, FeatureSchema schema) {
        this.model = model;
        this.schema = schema;
        this.names = schema.names().toArray(String[]::new);
    }

    @Override
    public FeatureSchema schema() {
        return schema;
    }

    @Override
    public double score(double[] features) {
        if (features.length != names.length) {
            throw new IllegalArgumentException("expected " + names.length + " values, got " + features.length);
        }
        var example = new ArrayExample<>(RegressionFactory.UNKNOWN_REGRESSOR, names, features);
        return model.predict(example).getOutput().getValues()[0];
    }
}
