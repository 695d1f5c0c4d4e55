package io.scorepipe.worker.retrain;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jspecify.annotations.Nullable;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.scorepipe.config.Subscription;
import io.scorepipe.registry.ServingModel;
import io.scorepipe.scoring.FeatureSchema;
import io.scorepipe.scoring.InvalidInputException;
import io.scorepipe.scoring.LabelledRow;
import tools.jackson.core.JacksonException;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Labelled examples from {@code training.examples} ({@code {"features": [...] or {...}, "target": n}})
 * into {@code training_examples}, keyed by their place in Kafka so a redelivery adds nothing.
 * A record that cannot be read goes to the topic's dead-letter topic with the reason; the
 * listener goes on with the next one.
 */
class TrainingExamplesListener {

    static final String REASON = "scorepipe.dlt.reason";

    private final TrainingExampleStore store;
    private final ServingModel serving;
    private final KafkaTemplate<String, String> kafka;
    private final Subscription subscription;
    private final JsonMapper json = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    TrainingExamplesListener(TrainingExampleStore store, ServingModel serving, KafkaTemplate<String, String> kafka,
            Subscription subscription) {
        this.store = store;
        this.serving = serving;
        this.kafka = kafka;
        this.subscription = subscription;
    }

    public Subscription subscription() {
        return subscription;
    }

    @KafkaListener(id = "training-examples", topics = "#{__listener.subscription().topic()}",
            groupId = "#{__listener.subscription().groupId()}",
            properties = {"key.deserializer=org.apache.kafka.common.serialization.StringDeserializer",
                    "value.deserializer=org.apache.kafka.common.serialization.ByteArrayDeserializer"})
    void onExample(ConsumerRecord<String, byte[]> record) {
        FeatureSchema schema = serving.require().scorer().schema();
        LabelledRow row;
        try {
            row = parse(record.value(), schema);
        }
        catch (InvalidInputException | IllegalArgumentException | JacksonException ex) {
            var letter = new ProducerRecord<>(subscription.topic() + ".DLT", record.key(),
                    record.value() == null ? "" : new String(record.value(), StandardCharsets.UTF_8));
            letter.headers().add(REASON, String.valueOf(ex.getMessage()).getBytes(StandardCharsets.UTF_8));
            kafka.send(letter);
            return;
        }
        String sourceRef = record.topic() + ":" + record.partition() + ":" + record.offset();
        store.add(schema, List.of(row), "stream", List.of(sourceRef));
    }

    private LabelledRow parse(byte @Nullable [] value, FeatureSchema schema) {
        if (value == null || value.length == 0) {
            throw new IllegalArgumentException("the record has no value; expected {\"features\": ..., \"target\": n}");
        }
        Example example = json.readValue(value, Example.class);
        if (example == null || example.target() == null) {
            throw new IllegalArgumentException("target is missing; expected {\"features\": ..., \"target\": n}");
        }
        return new LabelledRow(schema.read(example.features()), example.target());
    }

    /**
     * A labelled example on the topic.
     *
     * @param features an array in the model's order, or an object keyed by name
     * @param target the observed value
     */
    record Example(@JsonProperty("features") @Nullable Object features, @JsonProperty("target") @Nullable Double target) {
    }
}
