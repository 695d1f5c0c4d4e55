package io.scorepipe.worker.retrain;

import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;

import io.scorepipe.config.Subscription;
import io.scorepipe.config.SubscriptionListener;
import io.scorepipe.messages.DeadLetter;
import io.scorepipe.messages.MessagePublisher;
import io.scorepipe.messages.Messages;
import io.scorepipe.messages.TrainingExample;
import io.scorepipe.registry.ServingModel;
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
 * @param serving the model whose features the examples must have
 * @param publisher sends the dead letters
 * @param subscription the examples' topic and the workers' consumer group
 */
record TrainingExamplesListener(TrainingExampleStore store, ServingModel serving, MessagePublisher publisher,
        Subscription subscription) {

    @SubscriptionListener(id = "training-examples")
    void onExample(ConsumerRecord<String, byte[]> record) {
        FeatureSchema schema = serving.require().scorer().schema();
        LabelledRow row;
        try {
            row = parse(record.value(), schema);
        }
        catch (InvalidInputException | IllegalArgumentException ex) {
            publisher.deadLetter(subscription.topic() + ".DLT", record.key(), record.value(), new DeadLetter(
                    String.valueOf(ex.getMessage()), record.topic(), record.partition(), record.offset(), null));
            return;
        }
        String sourceRef = record.topic() + ":" + record.partition() + ":" + record.offset();
        store.add(schema, List.of(row), "stream", List.of(sourceRef));
    }

    private static LabelledRow parse(byte @Nullable [] value, FeatureSchema schema) {
        TrainingExample example = Messages.read(value, TrainingExample.class, TrainingExample.FORM);
        if (example.target() == null) {
            throw new IllegalArgumentException("target is missing; expected {\"features\": ..., \"target\": n}");
        }
        return new LabelledRow(schema.read(example.features()), example.target());
    }
}
