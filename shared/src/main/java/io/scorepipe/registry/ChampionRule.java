package io.scorepipe.registry;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import io.scorepipe.scoring.Metrics;

/**
 * The rule a challenger must pass to replace a champion, the same for a version trained here and
 * for one imported with {@code promote=auto}, whatever framework made either: judged on the same
 * held-out examples, its R² reaches the minimum and its RMSE beats the champion's by the margin.
 * A model without a champion takes its first version whatever its figures (they are recorded).
 *
 * @param holdoutPercent share of examples held out to judge, chosen by a hash of the example id
 * @param marginPercent how much lower the challenger's RMSE must be
 * @param minR2 the challenger's held-out R² must reach this too, so that labels that explain
 *     nothing never replace a champion
 */
public record ChampionRule(int holdoutPercent, double marginPercent, double minR2) {

    public static ChampionRule of(RetrainProperties properties) {
        return new ChampionRule(properties.holdoutPercent(), properties.marginPercent(), properties.minR2());
    }

    /** Whether an example is held out: the same example always falls on the same side, whatever else was added. */
    public boolean heldOut(long exampleId) {
        long mixed = exampleId * 0x9E3779B97F4A7C15L;
        mixed ^= mixed >>> 32;
        return Math.floorMod(mixed, 100) < holdoutPercent;
    }

    /**
     * A champion's figures on the held-out examples.
     *
     * @param label its version label
     * @param metrics how it did
     */
    public record Champion(String label, Metrics metrics) {
    }

    /**
     * What the rule decided.
     *
     * @param promote whether the challenger becomes champion
     * @param reason why, for the registry and the promotion history
     * @param metrics the challenger's figures, the champion's, the decision and the reason, as registered
     */
    public record Verdict(boolean promote, String reason, Map<String, Object> metrics) {
    }

    /**
     * Judges a challenger.
     *
     * @param challenger its figures on the held-out examples
     * @param champion the champion's figures on the same examples; null when the model has none
     * @param evaluatedOn what the examples were, for the record
     */
    public Verdict judge(Metrics challenger, @Nullable Champion champion, String evaluatedOn) {
        boolean promote;
        String reason;
        double required = champion == null ? Double.NaN : champion.metrics().rmse() * (1 - marginPercent / 100);
        if (champion == null) {
            promote = true;
            reason = String.format("no champion to beat (held-out R² %.4f)", challenger.r2());
        }
        else if (challenger.r2() < minR2) {
            promote = false;
            reason = String.format("held-out R² %.4f is below the minimum of %.2f: the labels do not explain the target",
                    challenger.r2(), minR2);
        }
        else if (challenger.rmse() <= required) {
            promote = true;
            reason = String.format("held-out RMSE %.4f beats the champion %s's %.4f by at least %.1f%%",
                    challenger.rmse(), champion.label(), champion.metrics().rmse(), marginPercent);
        }
        else {
            promote = false;
            reason = String.format("held-out RMSE %.4f does not beat the champion %s's %.4f by the required %.1f%% "
                    + "(it would need %.4f or less)", challenger.rmse(), champion.label(), champion.metrics().rmse(),
                    marginPercent, required);
        }
        Map<String, Object> metrics = new LinkedHashMap<>(challenger.toMap());
        if (champion != null) {
            Map<String, Object> championFigures = new LinkedHashMap<>(champion.metrics().toMap());
            championFigures.put("version", champion.label());
            metrics.put("champion", championFigures);
        }
        metrics.put("decision", promote ? "promoted" : "not promoted");
        metrics.put("reason", reason);
        metrics.put("margin_percent", marginPercent);
        metrics.put("evaluated_on", evaluatedOn);
        return new Verdict(promote, reason, metrics);
    }
}
