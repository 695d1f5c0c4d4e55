package io.scorepipe.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;

/**
 * The Kafka topics scorepipe uses ({@code scorepipe.topics.*}). The names are configurable so that
 * tests, and several deployments sharing one cluster, keep apart.
 *
 * @param audit every served prediction, for the audit sink
 * @param requests feature records to score
 * @param results one result per scored request, keyed by request id
 * @param deadLetter requests that could not be parsed or validated, with the reason in headers
 * @param batches CSV files claimed from the inbox, one event per file
 * @param trainingExamples labelled examples for retraining
 * @param modelUpdates promotions, so every instance swaps its serving model
 * @param retrainRequests retrains asked for through the api, for one worker to run
 * @param partitions partitions of the topics whose order does not matter (audit, requests, results)
 */
@Validated
@ConfigurationProperties("scorepipe.topics")
public record TopicProperties(
        @DefaultValue("predictions.audit") @NotBlank String audit,
        @DefaultValue("scoring.requests") @NotBlank String requests,
        @DefaultValue("scoring.results") @NotBlank String results,
        @DefaultValue("scoring.requests.DLT") @NotBlank String deadLetter,
        @DefaultValue("scoring.batches") @NotBlank String batches,
        @DefaultValue("training.examples") @NotBlank String trainingExamples,
        @DefaultValue("model.updates") @NotBlank String modelUpdates,
        @DefaultValue("model.retrain.requests") @NotBlank String retrainRequests,
        @DefaultValue("6") @Positive int partitions) {
}
