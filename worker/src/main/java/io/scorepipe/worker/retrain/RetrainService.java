package io.scorepipe.worker.retrain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.MeterRegistry;
import io.scorepipe.drift.FeatureProfile;
import io.scorepipe.registry.ChampionRule;
import io.scorepipe.registry.ModelRegistry;
import io.scorepipe.registry.ModelVersion;
import io.scorepipe.registry.NewModelVersion;
import io.scorepipe.registry.Promoter;
import io.scorepipe.registry.RetrainProperties;
import io.scorepipe.registry.ServingModels;
import io.scorepipe.registry.TrainingExamples;
import io.scorepipe.scoring.FeatureSchema;
import io.scorepipe.scoring.LabelledRow;
import io.scorepipe.scoring.Metrics;
import io.scorepipe.scoring.ModelTrainer;
import io.scorepipe.scoring.TrainedModel;
import io.scorepipe.scoring.TrainingConfig;

/**
 * One retrain of one model: trains a challenger on the model's labelled examples, judges it and
 * the champion (whatever made it: trained here, or imported as ONNX or a Tribuo file) on the same
 * held-out rows by the {@link ChampionRule}, registers it with both sets of figures and the reason
 * for the decision, and promotes it when the rule says so. Only one retrain of a model runs at a
 * time across all workers: the run holds the model's advisory lock, and a second one asked for
 * meanwhile returns at once. The promotion is announced only after it is committed, so no
 * instance can reload the old champion in between.
 */
class RetrainService {

    private static final Logger log = LoggerFactory.getLogger(RetrainService.class);
    /** The provenance entry with the id of the newest labelled example a version was trained on. */
    static final String EXAMPLES_THROUGH = ModelRegistry.EXAMPLES_THROUGH;

    private final RetrainLock lock;
    private final TrainingExamples examples;
    private final ModelRegistry registry;
    private final ServingModels serving;
    private final Promoter promoter;
    private final ChampionRule rule;
    private final RetrainProperties properties;
    private final TrainingConfig training;
    private final MeterRegistry meters;

    RetrainService(RetrainLock lock, TrainingExamples examples, ModelRegistry registry, ServingModels serving,
            Promoter promoter, RetrainProperties properties, TrainingConfig training, MeterRegistry meters) {
        this.lock = lock;
        this.examples = examples;
        this.registry = registry;
        this.serving = serving;
        this.promoter = promoter;
        this.rule = ChampionRule.of(properties);
        this.properties = properties;
        this.training = training;
        this.meters = meters;
    }

    /**
     * Runs a retrain of {@code model}, or returns empty when another one of it is running right now.
     *
     * @throws io.scorepipe.registry.UnknownModelException when there is no such model
     */
    Optional<RetrainOutcome> retrain(String model, String trigger) {
        Optional<RetrainOutcome> outcome = lock.whileHeld(model, () -> run(model, trigger));
        if (outcome.isEmpty()) {
            log.info("Retrain of {} ({}) not started: another retrain of it is running", model, trigger);
            return outcome;
        }
        meters.counter("scorepipe.retrain.runs", "model", model, "outcome",
                outcome.get().promoted() ? "promoted" : outcome.get().trained() ? "not promoted" : "skipped").increment();
        log.info("Retrain of {} ({}): {}", model, trigger, outcome.get());
        return outcome;
    }

    /** Whether {@code model} has labelled examples newer than those its latest trained version learnt from. */
    boolean hasNewExamples(String model) {
        long trainedThrough = registry.latestTrainedFromExamples(model).map(RetrainService::examplesThrough).orElse(0L);
        return examples.newestId(model) > trainedThrough;
    }

    private RetrainOutcome run(String model, String trigger) {
        long started = System.nanoTime();
        FeatureSchema schema = registry.requireModel(model).schema();
        Optional<ModelVersion> champion = registry.champion(model);
        List<TrainingExamples.Example> all = examples.load(model, schema, properties.window());
        if (all.size() < properties.minExamples()) {
            return RetrainOutcome.skipped("only " + all.size() + " labelled examples of " + model + " with the features "
                    + schema.names() + "; at least " + properties.minExamples() + " are needed");
        }
        long newestExample = all.stream().mapToLong(TrainingExamples.Example::id).max().orElse(0);
        Optional<ModelVersion> lastTrained = registry.latestTrainedFromExamples(model);
        long trainedThrough = lastTrained.map(RetrainService::examplesThrough).orElse(0L);
        if (newestExample <= trainedThrough) {
            return RetrainOutcome.skipped("no new labelled examples since " + lastTrained.get().label()
                    + " was trained on them (" + all.size() + " examples, the newest of them already used)");
        }
        List<LabelledRow> train = new ArrayList<>();
        List<LabelledRow> test = new ArrayList<>();
        for (TrainingExamples.Example example : all) {
            (rule.heldOut(example.id()) ? test : train).add(example.row());
        }
        if (train.isEmpty() || test.isEmpty()) {
            return new RetrainOutcome(null, false, "the held-out split left one side empty (" + train.size() + " to train, "
                    + test.size() + " to judge)");
        }
        TrainingConfig config = training.withEpochs(properties.epochsFor(train.size()));
        TrainedModel challenger = new ModelTrainer(config).train(schema, train);
        Metrics challengerMetrics = Metrics.evaluate(challenger.scorer(), test);
        ChampionRule.Champion current = champion.map(version -> judgeChampion(model, version.label(), test)).orElse(null);
        ChampionRule.Verdict verdict = rule.judge(challengerMetrics, current, test.size() + " held-out examples ("
                + properties.holdoutPercent() + "% by id hash)");

        Map<String, Object> provenance = new LinkedHashMap<>(challenger.provenance());
        provenance.put("trigger", trigger);
        provenance.put("examples", all.size());
        provenance.put(EXAMPLES_THROUGH, newestExample);
        provenance.put("total_millis", (System.nanoTime() - started) / 1_000_000);
        FeatureProfile profile = FeatureProfile.of("the " + train.size() + " rows it was trained on",
                challenger.scorer(), train);
        ModelVersion registered = registry.register(model, NewModelVersion.of(challenger, verdict.metrics(), train.size())
                .withProvenance(provenance).withProfile(profile));
        if (verdict.promote()) {
            promoter.promote(model, registered.label(), "retrain: " + verdict.reason(), "retrain");
        }
        return new RetrainOutcome(registered.label(), verdict.promote(), verdict.reason());
    }

    /** The champion's figures on the held-out rows, decoded the way it serves. */
    private ChampionRule.Champion judgeChampion(String model, String label, List<LabelledRow> test) {
        try (ServingModels.Lease lease = serving.version(model, label)) {
            return new ChampionRule.Champion(label, Metrics.evaluate(lease.scorer(), test));
        }
    }

    private static long examplesThrough(ModelVersion version) {
        return version.provenance().get(EXAMPLES_THROUGH) instanceof Number id ? id.longValue() : 0L;
    }
}
