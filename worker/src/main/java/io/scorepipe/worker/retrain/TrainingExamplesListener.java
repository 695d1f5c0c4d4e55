package io.scorepipe.worker.retrain;

import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.scorepipe.config.Subscription;
import io.scorepipe.config.SubscriptionListener;
import io.scorepipe.messages.DeadLetter;
import io.scorepipe.messages.MessagePublisher;
import io.scorepipe.messages.Messages;
import io.scorepipe.messages.TrainingExample;
import io.scorepipe.registry.TrainingExamples;
import io.scorepipe.registry.UnknownModelException;
import io.scorepipe.scoring.FeatureSchema;
import io.scorepipe.scoring.InvalidInputException;
import io.scorepipe.scoring.LabelledRow;

/**
 * Labelled examples from {@code training.examples} ({@link TrainingExample}) into
 * {@code training_examples}, keyed by their place in Kafka so a redelivery adds nothing. A record
 * that cannot be read goes to the topic's dead-letter topic with the reason; the listener goes on
 * with the next one.
 *
 * @param store where the examples go
 * @param schemas each model's features, which its examples must have
 * @param defaultModel the model of the examples that name none
 * @param publisher sends the dead letters
 * @param subscription the examples' topic and the workers' consumer group
 */
record TrainingExamplesListener(TrainingExamples store, ModelSchemas schemas, String defaultModel,
        MessagePublisher publisher, Subscription subscription) {

    @SubscriptionListener(id = "training-examples")
    void onExample(ConsumerRecord<String, byte[]> record) {
        String model;
        FeatureSchema schema;
        LabelledRow row;
        try {
            TrainingExample example = Messages.read(record.value(), TrainingExample.class, TrainingExample.FORM);
            model = example.model() == null ? defaultModel : example.model();
            schema = schemas.of(model);
            row = parse(example, schema);
        }
        catch (InvalidInputException | IllegalArgumentException | UnknownModelException ex) {
            publisher.deadLetter(subscription.topic() + ".DLT", record.key(), record.value(), new DeadLetter(
                    String.valueOf(ex.getMessage()), record.topic(), record.partition(), record.offset(), null));
            return;
        }
        String sourceRef = record.topic() + ":" + record.partition() + ":" + record.offset();
        store.add(model, schema, List.of(row), "stream", List.of(sourceRef));
    }

    private static LabelledRow parse(TrainingExample example, FeatureSchema schema) {
        if (example.target() == null) {
            throw new IllegalArgumentException("target is missing; expected {\"features\": ..., \"target\": n}");
        }
        return new LabelledRow(schema.read(example.features()), example.target());
    }
}
