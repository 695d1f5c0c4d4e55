package io.scorepipe.messages;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * On {@code scoring.requests}: a record to score, from another service. Its fields are checked
 * where it is scored, so that a bad one is dead-lettered with the reason rather than refused here.
 *
 * @param requestId the caller's id; the record key is used when absent
 * @param model the model to score with; the default model when absent
 * @param features an array in the model's feature order, or an object keyed by name
 */
public record ScoringRequest(@JsonProperty("request_id") @Nullable String requestId,
        @JsonProperty("model") @Nullable String model, @JsonProperty("features") @Nullable Object features) {

    /** How a request looks, for the reasons of the ones that do not. */
    public static final String FORM = "of the form {\"request_id\": \"...\", \"model\": \"...\" (optional), "
            + "\"features\": [...]}";
}
