package io.scorepipe.registry;

import java.time.Duration;

import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import io.scorepipe.scoring.TrainingConfig;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Positive;

/**
 * How a process finds and follows its serving model ({@code scorepipe.model.*}).
 *
 * @param bootstrap train and promote version 1 from the bundled sample when the registry is
 *     empty (the worker does; the api waits for it)
 * @param refreshInterval how often the registry is polled for a new champion, as a safety net
 *     behind the {@code model.updates} events
 * @param training hyperparameters of the models trained here
 * @param defaultName the model that every call without a model name uses ({@code SCOREPIPE_DEFAULT_MODEL})
 * @param maxDecoded how many model versions a process keeps decoded at most; the least recently used
 *     one beyond that is let go (and decoded again when asked for)
 * @param maxImportSize the largest model file {@code POST /models/{name}/versions} takes
 * @param maxTrainingSize the largest CSV file {@code POST /models} trains a new model from (its rows
 *     are held in memory while they are checked)
 */
@Validated
@ConfigurationProperties("scorepipe.model")
public record ModelProperties(@DefaultValue("false") boolean bootstrap,
        @DefaultValue("2s") @DurationMin(millis = 1) Duration refreshInterval, @DefaultValue @Valid Training training,
        @DefaultValue(ModelNames.SAMPLE) String defaultName, @DefaultValue("32") @Positive int maxDecoded,
        @DefaultValue("256MB") DataSize maxImportSize, @DefaultValue("64MB") DataSize maxTrainingSize) {

    public ModelProperties {
        if (!ModelNames.isValid(defaultName)) {
            throw new IllegalArgumentException("scorepipe.model.default-name (SCOREPIPE_DEFAULT_MODEL) must be a model "
                    + "name: a lower-case letter, then up to 62 lower-case letters, digits or '-', neither a version "
                    + "label (v1) nor a word the routes use; got '" + defaultName + "'");
        }
        if (maxImportSize.toBytes() <= 0) {
            throw new IllegalArgumentException("scorepipe.model.max-import-size must be positive, got " + maxImportSize);
        }
        if (maxTrainingSize.toBytes() <= 0) {
            throw new IllegalArgumentException("scorepipe.model.max-training-size must be positive, got "
                    + maxTrainingSize);
        }
    }

    /**
     * Trainer settings; see {@link TrainingConfig}.
     *
     * @param epochs passes over the data
     * @param learningRate AdaGrad's initial rate, relative to the target's magnitude
     * @param epsilon AdaGrad's epsilon
     * @param minibatchSize examples per step
     * @param seed random seed
     */
    public record Training(@DefaultValue("100") @Positive int epochs, @DefaultValue("0.1") @Positive double learningRate,
            @DefaultValue("0.1") @Positive double epsilon, @DefaultValue("1") @Positive int minibatchSize,
            @DefaultValue("42") long seed) {

        public TrainingConfig toConfig() {
            return new TrainingConfig(epochs, learningRate, epsilon, minibatchSize, seed);
        }
    }
}
