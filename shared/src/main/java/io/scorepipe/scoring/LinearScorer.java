package io.scorepipe.scoring;

import org.tribuo.ImmutableFeatureMap;
import org.tribuo.math.la.DenseMatrix;
import org.tribuo.regression.sgd.linear.LinearSGDModel;

/**
 * Scores a Tribuo linear model from a copy of its weights: a dot product over a primitive array
 * instead of building an {@code Example} and a sparse vector per row. It adds the terms in the
 * order Tribuo does (by feature id, bias last), so it returns Tribuo's answers to the last bit.
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

    private LinearScorer(FeatureSchema schema, int[] positions, double[] weights, double bias) {
        this.schema = schema;
        this.positions = positions;
        this.weights = weights;
        this.bias = bias;
    }

    static LinearScorer of(LinearSGDModel model, FeatureSchema schema) {
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
        for (int id = 0; id < features; id++) {
            String name = featureMap.get(id).getName();
            int position = schema.indexOf(name);
            if (position < 0) {
                throw new ModelException("the model uses feature '" + name + "', which is not in " + schema.names());
            }
            positions[id] = position;
            weights[id] = matrix.get(0, id);
        }
        return new LinearScorer(schema, positions, weights, matrix.get(0, features));
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
            sum += features[positions[k]] * weights[k];
        }
        return sum + bias;
    }
}
