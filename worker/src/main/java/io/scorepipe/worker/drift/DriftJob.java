package io.scorepipe.worker.drift;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.scorepipe.drift.DriftReport;
import io.scorepipe.drift.DriftStore;
import io.scorepipe.drift.FeatureProfile;
import io.scorepipe.registry.ModelInfo;
import io.scorepipe.registry.ModelRegistry;

/**
 * Computes each model's drift: the champion's audited predictions of the last window (a bounded
 * sample) against the profile stored with the champion, and stores the report for
 * {@code GET /models/{name}/drift}. A version stored without a profile (an import with no labelled
 * examples) takes its first window with enough rows as its reference. The indexes are exported as
 * {@code scorepipe_feature_drift_psi{model,feature}} (the prediction's as feature {@code prediction}).
 */
class DriftJob {

    private static final Logger log = LoggerFactory.getLogger(DriftJob.class);

    private final ModelRegistry registry;
    private final DriftStore store;
    private final DriftProperties properties;
    private final Clock clock;
    private final MultiGauge psi;

    DriftJob(ModelRegistry registry, DriftStore store, DriftProperties properties, MeterRegistry meters, Clock clock) {
        this.registry = registry;
        this.store = store;
        this.properties = properties;
        this.clock = clock;
        this.psi = MultiGauge.builder("scorepipe.feature.drift.psi")
                .description("Population stability index of a feature's recent audited values against the serving "
                        + "version's reference (above 0.2: shifted)")
                .register(meters);
    }

    /** One round over every model with a champion. */
    void run() {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (ModelInfo model : registry.models()) {
            if (model.champion() == null) {
                continue;
            }
            try {
                check(model).ifPresent(report -> {
                    for (DriftReport.Drift drift : report.features()) {
                        rows.add(MultiGauge.Row.of(Tags.of("model", model.name(), "feature", drift.name()), drift.psi()));
                    }
                    rows.add(MultiGauge.Row.of(Tags.of("model", model.name(), "feature", "prediction"),
                            report.prediction().psi()));
                });
            }
            catch (RuntimeException ex) {
                log.warn("Drift of {} not computed: {}", model.name(), ex.toString());
            }
        }
        psi.register(rows, true);
    }

    /** The model's report for its champion over the last window, stored; empty when the window has too few rows. */
    Optional<DriftReport> check(ModelInfo model) {
        String version = model.champion();
        if (version == null) {
            return Optional.empty();
        }
        Instant to = clock.instant();
        Instant from = to.minus(properties.window());
        DriftStore.Window window = store.window(model.name(), version, from, to, properties.sample());
        if (window.rows().size() < properties.minRows()) {
            log.debug("Drift of {} {}: {} audited predictions since {}, fewer than {}", model.name(), version,
                    window.rows().size(), from, properties.minRows());
            return Optional.empty();
        }
        FeatureProfile profile = store.profile(model.name(), version).orElseGet(() -> store.profileIfAbsent(model.name(),
                version, FeatureProfile.of("its first scored window: " + window.rows().size()
                        + " audited predictions from " + window.from() + " to " + to, model.featureNames(), window.rows(),
                        window.predictions())));
        DriftReport report = DriftReport.compare(model.name(), version, profile, model.featureNames(), window.rows(),
                window.predictions(), window.from(), window.to(), to);
        store.save(report);
        List<String> shifted = report.shiftedFeatures();
        if (!shifted.isEmpty()) {
            log.info("Drift of {} {}: {} shifted (population stability index above {}) over {} audited predictions",
                    model.name(), version, shifted, report.threshold(), report.rows());
        }
        return Optional.of(report);
    }
}
