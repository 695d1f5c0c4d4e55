package io.scorepipe.messages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;

import io.scorepipe.audit.AuditRecord;
import io.scorepipe.audit.AuditSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every message type round-trips through the producers' side ({@link MessageSerializer}, which
 * both apps' producers are configured with) and the consumers' side ({@link Messages#read}, and
 * {@link MessageDeserializer} behind Spring's error-handling deserializer as the audit sink reads
 * it), with the wire names other services see.
 */
class MessageContractTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final MessageSerializer producers = new MessageSerializer();

    /** Audit records are written field by field (AuditRecordJson): the bytes are the data binding's own. */
    @ParameterizedTest
    @MethodSource("auditRecordsToWrite")
    void auditRecordsAreWrittenAsTheBindingWritesThem(AuditRecord record) {
        byte[] written = Messages.write(record);

        assertThat(new String(written, java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo(new String(Messages.writeBound(record), java.nio.charset.StandardCharsets.UTF_8));
        assertThat(Messages.read(written, AuditRecord.class)).usingRecursiveComparison().isEqualTo(record);
    }

    static Stream<AuditRecord> auditRecordsToWrite() {
        return Stream.of(
                new AuditRecord(UUID.randomUUID(), AuditSource.API, "predict", null, null, "diabetes", "v1",
                        new double[] {0.038075906433423026, -0.0446416365069974, 0, 1e-7, 123456789.125}, 152.13,
                        false, 87, Instant.parse("2026-12-05T01:02:03Z")),
                new AuditRecord(UUID.randomUUID(), AuditSource.BATCH, null, "b-1:42", "order \"7\" \\ é\u2028\n",
                        "house-prices", "v12", new double[] {-0.0, Double.MIN_VALUE, Double.MAX_VALUE, -2.5e-300},
                        -1e21, true, 0, Instant.parse("2026-12-05T01:02:03.000000001Z")),
                new AuditRecord(UUID.randomUUID(), AuditSource.STREAM, null, "scoring.requests:3:1234567", "r",
                        "m", "v2", new double[] {1}, 0.1 + 0.2, false, Long.MAX_VALUE,
                        Instant.parse("2026-12-05T01:02:03.120Z")));
    }

    @Test
    void auditRecords() {
        AuditRecord sent = new AuditRecord(UUID.randomUUID(), AuditSource.API, "v2", null, "r-1", "houses", "v3",
                new double[] {0.5, -1e-300, 1e300}, 151.25, true, 420, Instant.parse("2026-12-04T10:15:30.123456Z"));

        byte[] wire = producers.serialize("predictions.audit", sent);
        AuditRecord read = new ErrorHandlingDeserializer<>(new MessageDeserializer<>(AuditRecord.class))
                .deserialize("predictions.audit", new RecordHeaders(), wire);

        assertThat(read).usingRecursiveComparison().isEqualTo(sent);
        assertThat(fields(wire)).containsExactlyInAnyOrder("prediction_id", "source", "route", "source_ref", "request_id",
                "model", "model_version", "features", "prediction", "cache_hit", "latency_micros", "created_at");
        assertThat(JSON.readTree(wire).get("source").asString()).isEqualTo("api");
        assertThat(JSON.readTree(wire).get("created_at").asString()).isEqualTo("2026-12-04T10:15:30.123456Z");
        // a record written before models had names was scored by the sample model
        String old = new String(wire, java.nio.charset.StandardCharsets.UTF_8).replace("\"model\":\"houses\",", "");
        assertThat(Messages.read(old.getBytes(java.nio.charset.StandardCharsets.UTF_8), AuditRecord.class).model())
                .isEqualTo("diabetes");
    }

    @Test
    void retrainRequests() {
        RetrainRequest sent = new RetrainRequest(UUID.randomUUID(), "houses", "api");

        assertThat(roundTrip(sent, RetrainRequest.class)).isEqualTo(sent);
        assertThat(fields(producers.serialize("t", sent))).containsExactlyInAnyOrder("run_id", "model", "trigger");
        // what a script writes by hand, or a release before models had names, still reads
        assertThat(Messages.read(("{\"run_id\": \"" + sent.runId() + "\"}").getBytes(), RetrainRequest.class))
                .isEqualTo(new RetrainRequest(sent.runId(), null, "api"));
    }

    @Test
    void modelUpdates() {
        ModelUpdateEvent sent = new ModelUpdateEvent("houses", "v4", "retrain: better",
                Instant.parse("2026-12-04T10:15:30Z"));

        assertThat(roundTrip(sent, ModelUpdateEvent.class)).isEqualTo(sent);
        assertThat(fields(producers.serialize("t", sent))).containsExactlyInAnyOrder("model", "model_version", "reason",
                "promoted_at");
    }

    @Test
    void batchEvents() {
        BatchEvent sent = new BatchEvent(UUID.randomUUID());

        assertThat(roundTrip(sent, BatchEvent.class)).isEqualTo(sent);
        assertThat(fields(producers.serialize("t", sent))).containsExactly("batch_id");
    }

    @Test
    void scoringRequestsAndResults() {
        ScoringRequest request = new ScoringRequest("order-9", null, List.of(0.1, 0.2));
        ScoringRequest named = new ScoringRequest(null, "houses", Map.of("age", 0.1));
        ScoringResult result = new ScoringResult("order-9", 151.5, "houses", "v2", UUID.randomUUID());

        assertThat(roundTrip(request, ScoringRequest.class)).isEqualTo(request);
        assertThat(roundTrip(named, ScoringRequest.class)).isEqualTo(named);
        assertThat(roundTrip(result, ScoringResult.class)).isEqualTo(result);
        assertThat(fields(producers.serialize("t", result))).containsExactlyInAnyOrder("request_id", "prediction",
                "model", "model_version", "prediction_id");
    }

    @Test
    void trainingExamples() {
        TrainingExample sent = new TrainingExample("houses", List.of(0.1, 0.2), 151.0);

        assertThat(roundTrip(sent, TrainingExample.class)).isEqualTo(sent);
        assertThat(fields(producers.serialize("t", sent))).containsExactlyInAnyOrder("model", "features", "target");
    }

    @Test
    void deadLettersCarryTheSourceBytesUnchangedAndTheirHeadersReadBack() {
        byte[] poison = {(byte) 0xff, 0, '{'};
        DeadLetter letter = new DeadLetter("the value is not JSON", "scoring.requests", 3, 42, null);
        RecordHeaders headers = new RecordHeaders();

        letter.writeTo(headers);

        assertThat(producers.serialize("scoring.requests.DLT", poison)).isSameAs(poison);
        assertThat(DeadLetter.readFrom(headers)).isEqualTo(letter);
        RecordHeaders cut = new RecordHeaders();
        letter.cutFrom(1_048_576).writeTo(cut);
        assertThat(DeadLetter.readFrom(cut).valueCutFrom()).isEqualTo(1_048_576);
        assertThatThrownBy(() -> DeadLetter.readFrom(new RecordHeaders())).isInstanceOf(UnreadableMessageException.class)
                .hasMessageContaining(DeadLetter.REASON);
    }

    @Test
    void aRecordThatIsNotTheMessageSaysWhatIsWrongAndNeverStallsTheAuditSink() {
        assertThatThrownBy(() -> Messages.read(new byte[0], BatchEvent.class)).isInstanceOf(UnreadableMessageException.class)
                .hasMessage("the record has no value; expected a JSON object for a BatchEvent");
        assertThatThrownBy(() -> Messages.read("null".getBytes(), BatchEvent.class))
                .hasMessage("the record is JSON null; expected a JSON object for a BatchEvent");
        assertThatThrownBy(() -> Messages.read("{}".getBytes(), BatchEvent.class))
                .hasMessageStartingWith("the value is not a JSON object for a BatchEvent: batch_id is required");
        assertThatThrownBy(() -> Messages.read("[1]".getBytes(), BatchEvent.class))
                .hasMessageStartingWith("the value is not a JSON object for a BatchEvent: ");
        // the audit sink's consumer gets null for a poison record, and skips it, instead of failing every poll
        assertThat(new ErrorHandlingDeserializer<>(new MessageDeserializer<>(AuditRecord.class))
                .deserialize("predictions.audit", new RecordHeaders(), "{\"nope\": 1}".getBytes())).isNull();
    }

    private <T> T roundTrip(Object sent, Class<T> type) {
        return Messages.read(producers.serialize("topic", sent), type);
    }

    private static List<String> fields(byte[] wire) {
        JsonNode node = JSON.readTree(wire);
        return List.copyOf(node.propertyNames());
    }
}
