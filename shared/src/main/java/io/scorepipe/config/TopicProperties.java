package io.scorepipe.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.Assert;

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
@ConfigurationProperties("scorepipe.topics")
public record TopicProperties(
        @DefaultValue("predictions.audit") String audit,
        @DefaultValue("scoring.requests") String requests,
        @DefaultValue("scoring.results") String results,
        @DefaultValue("scoring.requests.DLT") String deadLetter,
        @DefaultValue("scoring.batches") String batches,
        @DefaultValue("training.examples") String trainingExamples,
        @DefaultValue("model.updates") String modelUpdates,
        @DefaultValue("model.retrain.requests") String retrainRequests,
        @DefaultValue("6") int partitions) {

    public TopicProperties {
        Assert.hasText(audit, "scorepipe.topics.audit must not be empty");
        Assert.hasText(requests, "scorepipe.topics.requests must not be empty");
        Assert.hasText(results, "scorepipe.topics.results must not be empty");
        Assert.hasText(deadLetter, "scorepipe.topics.dead-letter must not be empty");
        Assert.hasText(batches, "scorepipe.topics.batches must not be empty");
        Assert.hasText(trainingExamples, "scorepipe.topics.training-examples must not be empty");
        Assert.hasText(modelUpdates, "scorepipe.topics.model-updates must not be empty");
        Assert.hasText(retrainRequests, "scorepipe.topics.retrain-requests must not be empty");
        Assert.isTrue(partitions > 0, "scorepipe.topics.partitions must be positive");
    }
}
