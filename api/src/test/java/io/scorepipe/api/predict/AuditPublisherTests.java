package io.scorepipe.api.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.mock.MockProducerFactory;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.scorepipe.audit.AuditRecord;
import io.scorepipe.audit.AuditSource;
import io.scorepipe.audit.AuditWriter;
import io.scorepipe.config.TopicProperties;
import io.scorepipe.messages.MessageSerializer;
import io.scorepipe.messages.Messages;

/**
 * The audit guarantee at the api's edge, with Kafka's own MockProducer behind the real template:
 * an answer leaves only once each of its records is acknowledged by Kafka or written to PostgreSQL.
 */
class AuditPublisherTests {

    private final MockProducer<String, Object> producer = new MockProducer<>(false, null, new StringSerializer(),
            new MessageSerializer()) {
        // a template closes a factory's producer after each send unless the factory keeps it; this one is kept
        @Override
        public void close() {
        }

        @Override
        public void close(Duration timeout) {
        }
    };
    private final List<AuditRecord> writtenDirectly = new ArrayList<>();
    private RuntimeException writerFailure;
    private final AuditWriter writer = new AuditWriter(new JdbcTemplate()) {
        @Override
        public int write(List<AuditRecord> records) {
            if (writerFailure != null) {
                throw writerFailure;
            }
            writtenDirectly.addAll(records);
            return records.size();
        }
    };
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @SuppressWarnings({"unchecked", "rawtypes"})
    private AuditPublisher publisher(Duration kafkaTimeout) {
        KafkaTemplate<String, AuditRecord> kafka = new KafkaTemplate(new MockProducerFactory<>(() -> producer));
        return new AuditPublisher(kafka, topics(), writer, new AuditProperties(kafkaTimeout, Duration.ofMinutes(1)), meters);
    }

    @Test
    void acknowledgedRecordsAreNotWrittenAgainAndTravelInTheSharedFormat() throws Exception {
        // given Kafka acknowledges every send
        AuditPublisher publisher = publisher(Duration.ofSeconds(10));
        List<AuditRecord> records = List.of(record(), record());

        // when
        Thread acknowledger = Thread.ofPlatform().daemon().start(() -> {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            for (int acknowledged = 0; acknowledged < records.size() && System.nanoTime() < deadline;) {
                if (producer.completeNext()) {
                    acknowledged++;
                }
                else {
                    Thread.onSpinWait();
                }
            }
        });
        publisher.publish(records);
        acknowledger.join(Duration.ofSeconds(15));

        // then each went to the audit topic without a key (the audit needs no order), readable as an AuditRecord
        assertThat(writtenDirectly).isEmpty();
        assertThat(producer.history()).hasSize(2);
        assertThat(producer.history().getFirst().topic()).isEqualTo("audit");
        assertThat(producer.history()).allSatisfy(sent -> assertThat(sent.key()).isNull());
        byte[] wire = new MessageSerializer().serialize("audit", producer.history().getFirst().value());
        assertThat(Messages.read(wire, AuditRecord.class).predictionId()).isEqualTo(records.getFirst().predictionId());
        assertThat(meters.counter("scorepipe.audit.published").count()).isEqualTo(2);
        assertThat(publisher.kafkaHealthy()).isTrue();
    }

    @Test
    void aRecordKafkaRefusesIsWrittenToPostgresBeforeTheAnswer() {
        // given Kafka refuses the send
        AuditPublisher publisher = publisher(Duration.ofSeconds(2));
        AuditRecord record = record();
        Thread.ofPlatform().daemon().start(() -> {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!producer.errorNext(new TimeoutException("broker gone")) && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
        });

        // when
        publisher.publish(List.of(record));

        // then
        assertThat(writtenDirectly).containsExactly(record);
        assertThat(meters.counter("scorepipe.audit.fallbacks").count()).isEqualTo(1);
        assertThat(publisher.kafkaHealthy()).isFalse();
    }

    @Test
    void aRecordNotAcknowledgedInTimeIsWrittenToPostgresAndKafkaIsThenSkipped() {
        // given Kafka never answers
        AuditPublisher publisher = publisher(Duration.ofMillis(50));

        // when
        publisher.publish(List.of(record()));
        int sentBefore = producer.history().size();
        publisher.publish(List.of(record()));

        // then both were written directly, and the second did not wait for Kafka again
        assertThat(writtenDirectly).hasSize(2);
        assertThat(producer.history()).hasSize(sentBefore);
    }

    @Test
    void withNeitherKafkaNorPostgresNothingIsAnswered() {
        // given
        AuditPublisher publisher = publisher(Duration.ofMillis(50));
        writerFailure = new DataAccessResourceFailureException("PostgreSQL is gone");

        // then
        assertThatThrownBy(() -> publisher.publish(List.of(record()))).isInstanceOf(AuditUnavailableException.class)
                .hasMessageContaining("no prediction is answered");
    }

    private static AuditRecord record() {
        return new AuditRecord(UUID.randomUUID(), AuditSource.API, null, null, "r-1", "diabetes", "v1", new double[] {0.1, 0.2}, 151.5,
                false, 120, Instant.now());
    }

    private static TopicProperties topics() {
        return new TopicProperties("audit", "requests", "results", "requests.DLT", "batches", "examples", "updates",
                "retrain", 6);
    }
}
