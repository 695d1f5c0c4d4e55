package io.scorepipe.registry;

import java.time.Duration;

import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.scheduling.support.CronExpression;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;

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
@Validated
@ConfigurationProperties("scorepipe.retrain")
public record RetrainProperties(@DefaultValue("0 0 3 * * *") @NotBlank String cron,
        @DefaultValue("20") @Min(1) @Max(99) int holdoutPercent,
        @DefaultValue("1.0") @PositiveOrZero double marginPercent, @DefaultValue("0.1") @DecimalMax("1") double minR2,
        @DefaultValue("50") @Min(2) int minExamples, @DefaultValue("0") @PositiveOrZero int window,
        @DefaultValue("50000") @Positive long stepsPerRun, @DefaultValue("2") @Positive int minEpochs,
        @DefaultValue("100") @Positive int maxEpochs, @DefaultValue("10m") @DurationMin(seconds = 1) Duration requestTimeout,
        @DefaultValue("30s") @DurationMin(millis = 1) Duration sweepInterval) {

    public RetrainProperties {
        if (!"-".equals(cron) && !CronExpression.isValidExpression(cron)) {
            throw new IllegalArgumentException("scorepipe.retrain.cron (RETRAIN_CRON) must be a Spring cron expression "
                    + "(six fields, seconds first, such as '0 0 3 * * *') or '-' for never, got '" + cron + "'");
        }
        if (maxEpochs < minEpochs) {
            throw new IllegalArgumentException("scorepipe.retrain.max-epochs (" + maxEpochs + ") must not be below "
                    + "scorepipe.retrain.min-epochs (" + minEpochs + ")");
        }
    }

    /** Passes over {@code trainingRows} rows: {@code stepsPerRun} steps in all, within the bounds. */
    public int epochsFor(int trainingRows) {
        long epochs = (stepsPerRun + trainingRows - 1) / Math.max(1, trainingRows);
        return (int) Math.clamp(epochs, minEpochs, maxEpochs);
    }
}
