package io.scorepipe.worker.stream;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.scorepipe.audit.AuditRecord;
import io.scorepipe.audit.AuditSource;
import io.scorepipe.audit.AuditWriter;
import io.scorepipe.audit.RequestIds;
import io.scorepipe.config.TopicProperties;
import io.scorepipe.messages.Messages;
import io.scorepipe.messages.ScoringRequest;
import io.scorepipe.messages.ScoringResult;
import io.scorepipe.messages.UnreadableMessageException;
import io.scorepipe.registry.ServingModels;
import io.scorepipe.scoring.InvalidInputException;
import io.scorepipe.scoring.ModelException;

/**
 * Scores a batch of raw requests, each with the champion of the model it names (the default model
 * when it names none), one version per model for the whole batch: good requests become results
 * and audit rows (by COPY; a redelivered batch falls back to the idempotent insert), malformed ones
 * and ones naming a model that does not exist become dead letters that say why. The prediction id is derived from where
 * the request sits in Kafka, so a redelivered batch produces the same ids, finds its audit rows
 * already stored, and its earlier, aborted results were never visible. Thread-safe.
 */
class StreamScorer {

    private final ServingModels serving;
    private final String defaultModel;
    private final AuditWriter audit;
    private final TopicProperties topics;
    private final DeadLetters deadLetters;
    private final MeterRegistry meters;
    /** Each model's count of scored records, made once. */
    private final Map<String, Counter> scored = new ConcurrentHashMap<>();
    private final Counter deadLettered;

    /**
     * @param maxRecordBytes the largest record the producer sends: dead letters are kept within it
     */
    StreamScorer(ServingModels serving, String defaultModel, AuditWriter audit, TopicProperties topics, int maxRecordBytes,
            MeterRegistry meters) {
        this.serving = serving;
        this.defaultModel = defaultModel;
        this.audit = audit;
        this.topics = topics;
        this.deadLetters = new DeadLetters(topics.deadLetter(), maxRecordBytes);
        this.meters = meters;
        counter(defaultModel);
        this.deadLettered = meters.counter("scorepipe.stream.dead.lettered");
    }

    /**
     * Scores {@code requests}, writes their audit rows, and returns what to send: results and dead
     * letters.
     *
     * @throws io.scorepipe.scoring.ModelException when a named model has no champion yet (retry, never
     *     dead-letter)
     * @throws org.springframework.dao.DataAccessException when the audit rows cannot be written (retry)
     */
    List<ProducerRecord<String, byte[]>> score(List<ConsumerRecord<String, byte[]>> requests) {
        try (BatchModels models = new BatchModels(serving, defaultModel)) {
            return score(requests, models);
        }
    }

    private List<ProducerRecord<String, byte[]>> score(List<ConsumerRecord<String, byte[]>> requests,
            BatchModels models) {
        List<ProducerRecord<String, byte[]>> out = new ArrayList<>(requests.size());
        List<AuditRecord> audited = new ArrayList<>(requests.size());
        for (ConsumerRecord<String, byte[]> request : requests) {
            long started = System.nanoTime();
            try {
                ScoringRequest parsed = parse(request);
                ServingModels.Lease model = models.of(parsed.model());
                double[] features = model.scorer().schema().read(parsed.features());
                double prediction = model.scorer().scoreFinite(features);
                String sourceRef = request.topic() + ":" + request.partition() + ":" + request.offset();
                UUID predictionId = AuditRecord.idFor(AuditSource.STREAM, sourceRef);
                String requestId = requestId(parsed, request);
                audited.add(new AuditRecord(predictionId, AuditSource.STREAM, null, sourceRef, requestId, model.model(),
                        model.label(), features, prediction, false, (System.nanoTime() - started) / 1000, Instant.now()));
                out.add(new ProducerRecord<>(topics.results(), requestId, Messages.write(new ScoringResult(requestId,
                        prediction, model.model(), model.label(), predictionId))));
            }
            catch (InvalidInputException | BadRequestException ex) {
                out.add(deadLetters.of(request, ex.getMessage()));
            }
        }
        audit.copy(audited);
        for (AuditRecord record : audited) {
            counter(record.model()).increment();
        }
        deadLettered.increment(requests.size() - audited.size());
        return out;
    }

    private Counter counter(String model) {
        return scored.computeIfAbsent(model, name -> meters.counter("scorepipe.stream.scored", "model", name));
    }

    private static ScoringRequest parse(ConsumerRecord<String, byte[]> request) {
        try {
            return Messages.read(request.value(), ScoringRequest.class, ScoringRequest.FORM);
        }
        catch (UnreadableMessageException ex) {
            throw new BadRequestException(ex.getMessage());
        }
    }

    private static String requestId(ScoringRequest parsed, ConsumerRecord<String, byte[]> request) {
        String id = parsed.requestId() != null ? parsed.requestId() : request.key();
        if (id == null || id.isBlank()) {
            throw new BadRequestException("request_id is missing (and the record has no key to use instead)");
        }
        return RequestIds.check(id);
    }

    /** A request that cannot be read: it goes to the dead-letter topic, never retried. */
    static final class BadRequestException extends RuntimeException {

        BadRequestException(String message) {
            super(message);
        }
    }
}
