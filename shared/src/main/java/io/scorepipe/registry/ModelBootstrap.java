package io.scorepipe.registry;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.scorepipe.drift.FeatureProfile;
import io.scorepipe.scoring.BundledSample;
import io.scorepipe.scoring.HoldoutSplit;
import io.scorepipe.scoring.Metrics;
import io.scorepipe.scoring.ModelFormat;
import io.scorepipe.scoring.ModelTrainer;
import io.scorepipe.scoring.TrainedModel;
import io.scorepipe.scoring.TrainingConfig;

/**
 * Makes sure there is a model to serve: when the registry has no model at all, creates the model
 * {@code diabetes} and trains its version 1 from the bundled sample (on 80% of it, judged on the other 20%) and promotes it; the sample's
 * rows become the first labelled examples, so that a retrain learns from them and whatever labels
 * arrive later. Safe to run from several processes at once: exactly one of them registers version 1.
 */
public class ModelBootstrap {

    /** Share of the sample held out to measure the first model. */
    static final double HOLDOUT = 0.2;

    private final ModelRegistry registry;
    private final TrainingExamples examples;
    private final TrainingConfig config;

    public ModelBootstrap(ModelRegistry registry, TrainingExamples examples, TrainingConfig config) {
        this.registry = registry;
        this.examples = examples;
        this.config = config;
    }

    /** @return version 1 when this call created it, empty when the registry already had models */
    public Optional<ModelVersion> ensureChampion() {
        return registry.bootstrapIfEmpty(this::trainFromSample, "bootstrap: first model, trained from the bundled sample");
    }

    private ModelRegistry.FirstModel trainFromSample() {
        BundledSample sample = BundledSample.diabetes();
        HoldoutSplit split = HoldoutSplit.random(sample.rows(), HOLDOUT, config.seed());
        TrainedModel trained = new ModelTrainer(config).train(sample.schema(), split.train());
        Map<String, Object> metrics = new LinkedHashMap<>(Metrics.evaluate(trained.scorer(), split.test()).toMap());
        metrics.put("evaluated_on", "held-out " + Math.round(HOLDOUT * 100) + "% of the bundled sample");
        Map<String, Object> provenance = new LinkedHashMap<>(trained.provenance());
        provenance.put("data_source", "bundled sample " + BundledSample.RESOURCE);
        var model = new NewModel(ModelNames.SAMPLE, sample.schema().names(), BundledSample.TARGET, "sample");
        var version = new NewModelVersion(sample.schema().names(), metrics, provenance, split.train().size(),
                ModelFormat.TRIBUO, trained.toBytes(), FeatureProfile.of("the " + split.train().size()
                        + " rows of the bundled sample it was trained on", trained.scorer(), split.train()));
        return new ModelRegistry.FirstModel(model, version, sample.rows(), "sample", examples);
    }
}
