package io.scorepipe.scoring;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.tribuo.Model;
import org.tribuo.regression.Regressor;

/**
 * Model files a user brings (ONNX, or Tribuo's own protobuf format), opened and checked before
 * anything is stored: the file loads, its inputs and outputs fit the feature list, and a probe
 * batch gives one finite value per row. Every refusal is a {@link ModelException} with the
 * runtime's reason.
 */
public final class ModelFiles {

    private ModelFiles() {
    }

    /**
     * An opened file: a scorer taking rows in the file's feature order.
     *
     * @param format its format
     * @param scorer scores rows in {@code scorer.schema()} order; close it when done
     */
    public record Opened(ModelFormat format, Scorer scorer) {
    }

    /**
     * Opens a file and checks its shape.
     *
     * @param declared the features the caller named, in the file's input order; null to take them
     *     from the file (ONNX metadata {@code feature_names}; a Tribuo model's own feature map)
     * @throws ModelException when the file cannot be loaded or does not fit
     */
    public static Opened open(ModelFormat format, byte[] bytes, @Nullable List<String> declared) {
        return switch (format) {
            case ONNX -> new Opened(format, OnnxModels.open(bytes, declared));
            case TRIBUO -> new Opened(format, openTribuo(bytes, declared));
        };
    }

    /**
     * Scores {@code rows} (in the scorer's order) as one batch and checks the answers: one per row,
     * each a finite number.
     *
     * @throws ModelException saying which row gave what
     */
    public static void probe(Scorer scorer, List<double[]> rows) {
        double[][] batch = rows.toArray(double[][]::new);
        double[] out = new double[batch.length];
        try {
            scorer.scoreAll(batch, out);
        }
        catch (ModelException ex) {
            throw ex;
        }
        catch (RuntimeException ex) {
            throw new ModelException("the model failed on a probe batch of " + batch.length + " rows: " + ex.getMessage(),
                    ex);
        }
        for (int i = 0; i < out.length; i++) {
            if (!Double.isFinite(out[i])) {
                throw new ModelException("the model's prediction for probe row " + (i + 1) + " of " + out.length + " is "
                        + out[i] + ", not a finite number");
            }
        }
    }

    /**
     * Probe rows for a schema of {@code width} features: all zeros, all ones, and a row of small
     * distinct values, for files whose owner has no labelled examples to probe with.
     */
    public static List<double[]> plainProbes(int width) {
        List<double[]> rows = new ArrayList<>();
        rows.add(new double[width]);
        double[] ones = new double[width];
        java.util.Arrays.fill(ones, 1.0);
        rows.add(ones);
        double[] ramp = new double[width];
        for (int i = 0; i < width; i++) {
            ramp[i] = (i + 1) * 0.5;
        }
        rows.add(ramp);
        return rows;
    }

    private static Scorer openTribuo(byte[] bytes, @Nullable List<String> declared) {
        Model<Regressor> model = ModelCodec.read(bytes);
        List<String> own = ModelCodec.featureNames(model);
        if (own.isEmpty()) {
            throw new ModelException("the model has no features");
        }
        FeatureSchema schema;
        try {
            schema = FeatureSchema.of(declared != null ? declared : own);
        }
        catch (IllegalArgumentException ex) {
            throw new ModelException("the feature names " + declared + " cannot be used: " + ex.getMessage(), ex);
        }
        // checks that the model uses no feature outside the schema
        ModelCodec.fromBytes(bytes, schema);
        return Scorer.of(model, schema);
    }
}
