package io.scorepipe.scoring;

import java.util.List;

import org.jspecify.annotations.Nullable;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.math.la.DenseMatrix;
import org.tribuo.regression.sgd.linear.LinearSGDModel;
import org.tribuo.transform.Transformer;
import org.tribuo.transform.TransformerMap;

/**
 * Scores a Tribuo linear model from a copy of its weights: a dot product over a primitive array
 * instead of building an {@code Example} and a sparse vector per row. It adds the terms in the
 * order Tribuo does (by feature id, bias last), so it returns Tribuo's answers to the last bit.
 * A model trained with its features standardised inside it (a {@code TransformedModel}) applies
 * the same transformations first, with Tribuo's own code.
 *
 * <p>Immutable; safe for concurrent use.
 */
final class LinearScorer implements Scorer {

    private final FeatureSchema schema;
    /** For the k-th term in Tribuo's order, the schema position of its feature. */
    private final int[] positions;
    /** For the k-th term in Tribuo's order, its weight. */
    private final double[] weights;
    private final double bias;
    /** For the k-th term in Tribuo's order, the transformations of its feature; null when none. */
    private final @Nullable List<Transformer>[] transformers;

    private LinearScorer(FeatureSchema schema, int[] positions, double[] weights, double bias,
            @Nullable List<Transformer>[] transformers) {
        this.schema = schema;
        this.positions = positions;
        this.weights = weights;
        this.bias = bias;
        this.transformers = transformers;
    }

    /** @param transforms the transformations applied to features before the weights, if any */
    @SuppressWarnings("unchecked")
    static LinearScorer of(LinearSGDModel model, FeatureSchema schema, @Nullable TransformerMap transforms) {
        ImmutableFeatureMap featureMap = model.getFeatureIDMap();
        DenseMatrix matrix = model.getWeightsCopy();
        int features = featureMap.size();
        if (matrix.getDimension1Size() != 1 || matrix.getDimension2Size() != features + 1) {
            throw new ModelException("unexpected weight matrix " + matrix.getDimension1Size() + "x"
                    + matrix.getDimension2Size() + " for a model of " + features + " features and one output");
        }
        // Tribuo numbers features 0..n-1 and puts the bias at n; iterate ids in that order.
        int[] positions = new int[features];
        double[] weights = new double[features];
        List<Transformer>[] transformers = new List[features];
        for (int id = 0; id < features; id++) {
            String name = featureMap.get(id).getName();
            int position = schema.indexOf(name);
            if (position < 0) {
                throw new ModelException("the model uses feature '" + name + "', which is not in " + schema.names());
            }
            positions[id] = position;
            weights[id] = matrix.get(0, id);
            transformers[id] = transforms == null ? null : transforms.get(name);
        }
        return new LinearScorer(schema, positions, weights, matrix.get(0, features), transformers);
    }

    @Override
    public FeatureSchema schema() {
        return schema;
    }

    @Override
    public double score(double[] features) {
        if (features.length != schema.size()) {
            throw new IllegalArgumentException("expected " + schema.size() + " values, got " + features.length);
        }
        double sum = 0.0;
        for (int k = 0; k < positions.length; k++) {
            List<Transformer> transformations = transformers[k];
            double value = features[positions[k]];
            if (transformations != null) {
                value = TransformerMap.applyTransformerList(value, transformations);
            }
            sum += value * weights[k];
        }
        return sum + bias;
    }
}
