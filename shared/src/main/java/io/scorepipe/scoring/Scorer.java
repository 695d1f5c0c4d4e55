package io.scorepipe.scoring;

import org.tribuo.Model;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.sgd.linear.LinearSGDModel;

/**
 * Scores rows whose features are already validated and in {@link #schema()} order. This is the
 * boundary in front of Tribuo: nothing outside this package sees a Tribuo type.
 *
 * <p>Implementations are immutable and safe to call from any number of threads at once.
 */
public interface Scorer {

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
     * The fastest scorer that gives Tribuo's own answers for {@code model}: a linear model is
     * scored from its weights directly, anything else through Tribuo's {@code predict}.
     */
    static Scorer of(Model<Regressor> model, FeatureSchema schema) {
        if (model instanceof LinearSGDModel linear && model.getOutputIDInfo().size() == 1) {
            return LinearScorer.of(linear, schema);
        }
        return new TribuoScorer(model, schema);
    }
}
