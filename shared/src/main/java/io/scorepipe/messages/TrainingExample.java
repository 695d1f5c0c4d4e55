package io.scorepipe.messages;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * On {@code training.examples}: one labelled example for retraining. Its fields are checked where
 * it is stored, so that a bad one is dead-lettered with the reason.
 *
 * @param model the model it is an example of; the default model when absent
 * @param features an array in the model's order, or an object keyed by name
 * @param target the observed value
 */
public record TrainingExample(@JsonProperty("model") @Nullable String model,
        @JsonProperty("features") @Nullable Object features, @JsonProperty("target") @Nullable Double target) {

    /** How an example looks, for the reasons of the ones that do not. */
    public static final String FORM = "of the form {\"model\": \"...\" (optional), \"features\": [...] or {...}, "
            + "\"target\": n}";
}
