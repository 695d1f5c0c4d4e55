package io.scorepipe.scoring;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Duration;
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
import org.tribuo.regression.sgd.linear.LinearSGDModel;
import org.tribuo.regression.sgd.linear.LinearSGDTrainer;
import org.tribuo.regression.sgd.objectives.SquaredLoss;

import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;

import io.scorepipe.system.Sha256;

/**
 * Trains linear regression models with Tribuo's {@code LinearSGDTrainer} (squared loss,
 * AdaGrad). Stateless apart from its configuration; safe to share.
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
        var trainer = new LinearSGDTrainer(new SquaredLoss(), new AdaGrad(config.learningRate(), config.epsilon()),
                config.epochs(), -1, config.minibatchSize(), config.seed());
        LinearSGDModel model = trainer.train(dataset);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        return new TrainedModel(schema, model, provenance(rows, took, model));
    }

    private Map<String, Object> provenance(List<LabelledRow> rows, Duration took, LinearSGDModel model) {
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("trainer", LinearSGDTrainer.class.getName());
        provenance.put("tribuo_version", Tribuo.VERSION);
        provenance.put("objective", "squared_loss");
        provenance.put("optimiser", "adagrad");
        provenance.put("epochs", config.epochs());
        provenance.put("learning_rate", config.learningRate());
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
