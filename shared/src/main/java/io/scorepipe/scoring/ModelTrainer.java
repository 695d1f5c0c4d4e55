package io.scorepipe.scoring;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.tribuo.MutableDataset;
import org.tribuo.Tribuo;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.sgd.linear.LinearSGDTrainer;
import org.tribuo.regression.sgd.objectives.SquaredLoss;
import org.tribuo.transform.TransformTrainer;
import org.tribuo.transform.TransformationMap;
import org.tribuo.transform.TransformedModel;
import org.tribuo.transform.transformations.MeanStdDevTransformation;

import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;

import io.scorepipe.system.Sha256;

/**
 * Trains linear regression models with Tribuo's {@code LinearSGDTrainer} (squared loss,
 * AdaGrad) on raw, unscaled data. Each feature is standardised inside the model (Tribuo's
 * {@code TransformTrainer} with a mean and standard deviation transformation, learnt from the
 * training rows), so callers keep sending raw values; and the learning rate is set relative to
 * the target's magnitude, so that a target in the hundreds of thousands is reached as surely as
 * one near zero. Stateless apart from its configuration; safe to share.
 */
public final class ModelTrainer {

    private static final RegressionFactory FACTORY = new RegressionFactory();

    private final TrainingConfig config;

    public ModelTrainer(TrainingConfig config) {
        this.config = config;
    }

    public TrainingConfig config() {
        return config;
    }

    /**
     * Learns a model of {@code schema}'s features from {@code rows}.
     *
     * @throws IllegalArgumentException when there are no rows or a row has the wrong width
     */
    public TrainedModel train(FeatureSchema schema, List<LabelledRow> rows) {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("cannot train on no rows");
        }
        long started = System.nanoTime();
        String[] names = schema.names().toArray(String[]::new);
        String target = "target";
        var dataset = new MutableDataset<>(new SimpleDataSourceProvenance("scorepipe training rows", FACTORY), FACTORY);
        for (LabelledRow row : rows) {
            if (row.features().length != names.length) {
                throw new IllegalArgumentException("a training row has " + row.features().length + " features, the schema "
                        + names.length);
            }
            dataset.add(new ArrayExample<>(new Regressor(target, row.target()), names, row.features()));
        }
        checkVaries(schema, rows);
        double targetScale = targetScale(rows);
        double learningRate = config.learningRate() * targetScale;
        var inner = new LinearSGDTrainer(new SquaredLoss(), new AdaGrad(learningRate, config.epsilon()),
                config.epochs(), -1, config.minibatchSize(), config.seed());
        var standardised = new TransformTrainer<>(inner, new TransformationMap(List.of(new MeanStdDevTransformation())),
                true);
        TransformedModel<Regressor> model = standardised.train(dataset);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        return new TrainedModel(schema, model, provenance(rows, took, model, learningRate));
    }

    /**
     * A feature with one value in every row cannot be standardised (its spread is zero) nor learnt
     * from; and a target with one value leaves nothing to predict.
     *
     * @throws IllegalArgumentException naming the constant columns
     */
    static void checkVaries(FeatureSchema schema, List<LabelledRow> rows) {
        List<String> constant = new ArrayList<>();
        double[] first = rows.getFirst().features();
        for (int i = 0; i < first.length; i++) {
            boolean varies = false;
            for (LabelledRow row : rows) {
                if (row.features()[i] != first[i]) {
                    varies = true;
                    break;
                }
            }
            if (!varies) {
                constant.add(schema.names().get(i));
            }
        }
        if (!constant.isEmpty()) {
            throw new IllegalArgumentException("feature" + (constant.size() > 1 ? "s " : " ") + String.join(", ", constant)
                    + (constant.size() > 1 ? " have" : " has") + " the same value in every training row, so nothing can "
                    + "be learnt from " + (constant.size() > 1 ? "them" : "it") + "; leave " + (constant.size() > 1
                    ? "them" : "it") + " out");
        }
        double target = rows.getFirst().target();
        if (rows.stream().allMatch(row -> row.target() == target)) {
            throw new IllegalArgumentException("the target is " + target + " in every training row; there is nothing "
                    + "to predict");
        }
    }

    /** The target's magnitude: its standard deviation, or its mean's size when that is larger. */
    static double targetScale(List<LabelledRow> rows) {
        double mean = 0;
        for (LabelledRow row : rows) {
            mean += row.target();
        }
        mean /= rows.size();
        double squares = 0;
        for (LabelledRow row : rows) {
            squares += (row.target() - mean) * (row.target() - mean);
        }
        return Math.max(Math.sqrt(squares / rows.size()), Math.abs(mean));
    }

    private Map<String, Object> provenance(List<LabelledRow> rows, Duration took, TransformedModel<Regressor> model,
            double learningRate) {
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("trainer", LinearSGDTrainer.class.getName());
        provenance.put("feature_scaling", "mean and standard deviation of the training rows, inside the model");
        provenance.put("tribuo_version", Tribuo.VERSION);
        provenance.put("objective", "squared_loss");
        provenance.put("optimiser", "adagrad");
        provenance.put("epochs", config.epochs());
        provenance.put("learning_rate", learningRate);
        provenance.put("relative_learning_rate", config.learningRate());
        provenance.put("epsilon", config.epsilon());
        provenance.put("minibatch_size", config.minibatchSize());
        provenance.put("seed", config.seed());
        provenance.put("training_rows", rows.size());
        provenance.put("training_data_sha256", fingerprint(rows));
        provenance.put("training_millis", took.toMillis());
        provenance.put("tribuo_provenance", ProvenanceUtil.formattedProvenanceString(model.getProvenance()));
        return provenance;
    }

    /** A hash of the training rows, in order: two models trained on the same data share it. */
    static String fingerprint(List<LabelledRow> rows) {
        MessageDigest digest = Sha256.digest();
        ByteBuffer buffer = ByteBuffer.allocate(Double.BYTES * (rows.getFirst().features().length + 1));
        for (LabelledRow row : rows) {
            if (buffer.capacity() < Double.BYTES * (row.features().length + 1)) {
                buffer = ByteBuffer.allocate(Double.BYTES * (row.features().length + 1));
            }
            buffer.clear();
            for (double value : row.features()) {
                buffer.putDouble(value);
            }
            buffer.putDouble(row.target());
            digest.update(buffer.array(), 0, buffer.position());
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
