package io.scorepipe.worker.retrain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.MeterRegistry;
import io.scorepipe.registry.ModelRegistry;
import io.scorepipe.registry.ModelVersion;
import io.scorepipe.registry.NewModelVersion;
import io.scorepipe.registry.Promoter;
import io.scorepipe.scoring.BundledSample;
import io.scorepipe.scoring.FeatureSchema;
import io.scorepipe.scoring.LabelledRow;
import io.scorepipe.scoring.Metrics;
import io.scorepipe.scoring.ModelTrainer;
import io.scorepipe.scoring.TrainedModel;
import io.scorepipe.scoring.TrainingConfig;

/**
 * One retrain: trains a challenger on the labelled examples, judges it and the champion on the
 * same held-out rows, registers it with both sets of figures and the reason for the decision, and
 * promotes it only when its RMSE beats the champion's by the margin (or there is no champion).
 * Only one retrain runs at a time across all workers: the run holds a database advisory lock,
 * and a second one asked for meanwhile returns at once. The promotion is announced only after it
 * is committed, so no instance can reload the old champion in between.
 */
class RetrainService {

    private static final Logger log = LoggerFactory.getLogger(RetrainService.class);
    /** The provenance entry with the id of the newest labelled example a version was trained on. */
    static final String EXAMPLES_THROUGH = ModelRegistry.EXAMPLES_THROUGH;

    private final RetrainLock lock;
    private final TrainingExampleStore examples;
    private final ModelRegistry registry;
    private final Promoter promoter;
    private final RetrainProperties properties;
    private final TrainingConfig training;
    private final MeterRegistry meters;

    RetrainService(RetrainLock lock, TrainingExampleStore examples, ModelRegistry registry, Promoter promoter,
            RetrainProperties properties, TrainingConfig training, MeterRegistry meters) {
        this.lock = lock;
        this.examples = examples;
        this.registry = registry;
        this.promoter = promoter;
        this.properties = properties;
        this.training = training;
        this.meters = meters;
    }

    /** Runs a retrain, or returns empty when another one is running right now. */
    Optional<RetrainOutcome> retrain(String trigger) {
        Optional<RetrainOutcome> outcome = lock.whileHeld(() -> run(trigger));
        if (outcome.isEmpty()) {
            log.info("Retrain ({}) not started: another retrain is running", trigger);
            return outcome;
        }
        meters.counter("scorepipe.retrain.runs", "outcome",
                outcome.get().promoted() ? "promoted" : outcome.get().trained() ? "not promoted" : "skipped").increment();
        log.info("Retrain ({}): {}", trigger, outcome.get());
        return outcome;
    }

    private RetrainOutcome run(String trigger) {
        long started = System.nanoTime();
        Optional<ModelVersion> champion = registry.champion();
        FeatureSchema schema = champion.map(ModelVersion::schema).orElseGet(() -> BundledSample.diabetes().schema());
        List<TrainingExampleStore.Example> all = examples.load(schema, properties.window());
        if (all.size() < properties.minExamples()) {
            return RetrainOutcome.skipped("only " + all.size() + " labelled examples with the features "
                    + schema.names() + "; at least " + properties.minExamples() + " are needed");
        }
        long newestExample = all.stream().mapToLong(TrainingExampleStore.Example::id).max().orElse(0);
        Optional<ModelVersion> lastTrained = registry.latestTrainedFromExamples();
        long trainedThrough = lastTrained.map(RetrainService::examplesThrough).orElse(0L);
        if (newestExample <= trainedThrough) {
            return RetrainOutcome.skipped("no new labelled examples since " + lastTrained.get().label()
                    + " was trained on them (" + all.size() + " examples, the newest of them already used)");
        }
        List<LabelledRow> train = new ArrayList<>();
        List<LabelledRow> test = new ArrayList<>();
        for (TrainingExampleStore.Example example : all) {
            (heldOut(example.id()) ? test : train).add(example.row());
        }
        if (train.isEmpty() || test.isEmpty()) {
            return new RetrainOutcome(null, false, "the held-out split left one side empty (" + train.size() + " to train, "
                    + test.size() + " to judge)");
        }
        TrainingConfig config = training.withEpochs(properties.epochsFor(train.size()));
        TrainedModel challenger = new ModelTrainer(config).train(schema, train);
        Metrics challengerMetrics = Metrics.evaluate(challenger.scorer(), test);
        Metrics championMetrics = champion.flatMap(version -> registry.load(version.label()))
                .map(stored -> Metrics.evaluate(stored.scorer(), test)).orElse(null);

        boolean promote;
        String reason;
        double required = championMetrics == null ? Double.NaN : championMetrics.rmse() * (1 - properties.marginPercent() / 100);
        if (challengerMetrics.r2() < properties.minR2()) {
            promote = false;
            reason = String.format("held-out R² %.4f is below the minimum of %.2f: the labels do not explain the target",
                    challengerMetrics.r2(), properties.minR2());
        }
        else if (championMetrics == null) {
            promote = true;
            reason = "no champion to beat";
        }
        else if (challengerMetrics.rmse() <= required) {
            promote = true;
            reason = String.format("held-out RMSE %.4f beats the champion %s's %.4f by at least %.1f%%",
                    challengerMetrics.rmse(), champion.get().label(), championMetrics.rmse(), properties.marginPercent());
        }
        else {
            promote = false;
            reason = String.format("held-out RMSE %.4f does not beat the champion %s's %.4f by the required %.1f%% "
                            + "(it would need %.4f or less)", challengerMetrics.rmse(), champion.get().label(),
                    championMetrics.rmse(), properties.marginPercent(), required);
        }

        Map<String, Object> metrics = new LinkedHashMap<>(challengerMetrics.toMap());
        if (championMetrics != null) {
            Map<String, Object> championFigures = new LinkedHashMap<>(championMetrics.toMap());
            championFigures.put("version", champion.get().label());
            metrics.put("champion", championFigures);
        }
        metrics.put("decision", promote ? "promoted" : "not promoted");
        metrics.put("reason", reason);
        metrics.put("margin_percent", properties.marginPercent());
        metrics.put("evaluated_on", test.size() + " held-out examples (" + properties.holdoutPercent() + "% by id hash)");
        Map<String, Object> provenance = new LinkedHashMap<>(challenger.provenance());
        provenance.put("trigger", trigger);
        provenance.put("examples", all.size());
        provenance.put(EXAMPLES_THROUGH, newestExample);
        provenance.put("total_millis", (System.nanoTime() - started) / 1_000_000);
        ModelVersion registered = registry.register(new NewModelVersion(schema.names(), metrics, provenance, train.size(),
                challenger.toBytes()));
        if (promote) {
            promoter.promote(registered.label(), "retrain: " + reason, "retrain");
        }
        return new RetrainOutcome(registered.label(), promote, reason);
    }

    private static long examplesThrough(ModelVersion version) {
        return version.provenance().get(EXAMPLES_THROUGH) instanceof Number id ? id.longValue() : 0L;
    }

    /** The same example always falls on the same side, whatever else was added since. */
    boolean heldOut(long id) {
        long mixed = id * 0x9E3779B97F4A7C15L;
        mixed ^= mixed >>> 32;
        return Math.floorMod(mixed, 100) < properties.holdoutPercent();
    }
}
