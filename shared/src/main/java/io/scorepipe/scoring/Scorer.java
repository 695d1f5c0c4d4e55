package io.scorepipe.scoring;

import org.tribuo.Model;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.sgd.linear.LinearSGDModel;
import org.tribuo.transform.TransformedModel;

/**
 * Scores rows whose features are already validated and in {@link #schema()} order. This is the
 * boundary in front of Tribuo: nothing outside this package sees a Tribuo type.
 *
 * <p>Implementations are immutable and safe to call from any number of threads at once. Some hold
 * native resources (an ONNX Runtime session) until {@link #close()}d.
 */
public interface Scorer extends AutoCloseable {

    FeatureSchema schema();

    /** Scores one row; {@code features.length} must equal the schema's size. */
    double score(double[] features);

    /**
     * Scores one row of a caller's input. Finite features can still take a linear model past the
     * range of a double (values near 1e308 times the weights), and NaN or infinity is no answer
     * to give anyone: such a row is the caller's problem, like any other bad input.
     *
     * @throws InvalidInputException when the prediction is not a finite number
     */
    default double scoreFinite(double[] features) {
        double prediction = score(features);
        if (!Double.isFinite(prediction)) {
            throw new InvalidInputException("features", "the features are too large for the model: their prediction is "
                    + prediction + ", not a finite number; expected feature values in the range the model was trained on");
        }
        return prediction;
    }

    /** Scores {@code rows} into {@code out}, which must be at least as long. */
    default void scoreAll(double[][] rows, double[] out) {
        if (out.length < rows.length) {
            throw new IllegalArgumentException("output holds " + out.length + " values, " + rows.length + " rows given");
        }
        for (int i = 0; i < rows.length; i++) {
            out[i] = score(rows[i]);
        }
    }

    /** Scores {@code rows}, one prediction per row, in order. */
    default double[] scoreAll(double[][] rows) {
        double[] out = new double[rows.length];
        scoreAll(rows, out);
        return out;
    }

    /**
     * This scorer, taking rows in {@code order} instead: the same features, arranged another way
     * (a model's schema, when a version's file lists its inputs differently). Closing the result
     * does not close this scorer.
     *
     * @throws IllegalArgumentException when {@code order} does not have exactly this scorer's features
     */
    default Scorer taking(FeatureSchema order) {
        if (order.equals(schema())) {
            return this;
        }
        return ReorderedScorer.of(this, order);
    }

    /** Releases what the scorer holds outside the Java heap; nothing for most. */
    @Override
    default void close() {
    }

    /**
     * The fastest scorer that gives Tribuo's own answers for {@code model}: a linear model (also
     * one whose features are standardised inside it) is scored from its weights directly, anything
     * else through Tribuo's {@code predict}.
     */
    static Scorer of(Model<Regressor> model, FeatureSchema schema) {
        if (model.getOutputIDInfo().size() == 1) {
            if (model instanceof LinearSGDModel linear) {
                return LinearScorer.of(linear, schema, null);
            }
            if (model instanceof TransformedModel<Regressor> transformed && transformed.getDensify()
                    && transformed.getInnerModel() instanceof LinearSGDModel linear) {
                return LinearScorer.of(linear, schema, transformed.getTransformerMap());
            }
        }
        return new TribuoScorer(model, schema);
    }
}
