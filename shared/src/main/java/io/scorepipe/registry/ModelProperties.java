package io.scorepipe.registry;

import java.time.Duration;

import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
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
 * @param training hyperparameters for the bootstrap model
 */
@Validated
@ConfigurationProperties("scorepipe.model")
public record ModelProperties(@DefaultValue("false") boolean bootstrap,
        @DefaultValue("10s") @DurationMin(millis = 1) Duration refreshInterval, @DefaultValue @Valid Training training) {

    /**
     * Trainer settings; see {@link TrainingConfig}.
     *
     * @param epochs passes over the data
     * @param learningRate AdaGrad's initial rate
     * @param epsilon AdaGrad's epsilon
     * @param minibatchSize examples per step
     * @param seed random seed
     */
    public record Training(@DefaultValue("100") @Positive int epochs, @DefaultValue("10.0") @Positive double learningRate,
            @DefaultValue("0.1") @Positive double epsilon, @DefaultValue("1") @Positive int minibatchSize,
            @DefaultValue("42") long seed) {

        public TrainingConfig toConfig() {
            return new TrainingConfig(epochs, learningRate, epsilon, minibatchSize, seed);
        }
    }
}
