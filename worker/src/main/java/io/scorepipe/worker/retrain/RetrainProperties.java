package io.scorepipe.worker.retrain;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Retraining ({@code scorepipe.retrain.*}).
 *
 * @param cron when the scheduled retrain runs (from {@code RETRAIN_CRON}); "-" switches it off
 * @param holdoutPercent share of examples held out to judge both models, chosen by a hash of the
 *     example id so the split is the same from run to run
 * @param marginPercent how much lower the challenger's RMSE must be for it to be promoted
 * @param minR2 the challenger's held-out R² must reach this too: labels that explain nothing
 *     (pure noise) never make a champion, however badly the old champion fits them
 * @param minExamples fewer examples than this and no model is trained
 * @param window only the most recent examples (0: all of them)
 * @param stepsPerRun SGD steps a run aims at: epochs are this divided by the training rows, within
 *     [minEpochs, maxEpochs], so small sets get many passes and large ones few
 * @param minEpochs fewest passes
 * @param maxEpochs most passes
 * @param requestTimeout a run that no worker started within this is failed with the reason
 * @param sweepInterval how often runs are checked against that bound
 */
@ConfigurationProperties("scorepipe.retrain")
public record RetrainProperties(@DefaultValue("0 0 3 * * *") String cron, @DefaultValue("20") int holdoutPercent,
        @DefaultValue("1.0") double marginPercent, @DefaultValue("0.1") double minR2, @DefaultValue("50") int minExamples, @DefaultValue("0") int window,
        @DefaultValue("50000") long stepsPerRun, @DefaultValue("2") int minEpochs, @DefaultValue("100") int maxEpochs,
        @DefaultValue("10m") Duration requestTimeout, @DefaultValue("30s") Duration sweepInterval) {

    int epochsFor(int trainingRows) {
        long epochs = (stepsPerRun + trainingRows - 1) / Math.max(1, trainingRows);
        return (int) Math.clamp(epochs, minEpochs, maxEpochs);
    }
}
