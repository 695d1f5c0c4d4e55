package io.scorepipe.api.predict;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.scorepipe.audit.AuditRecord;
import io.scorepipe.audit.AuditWriter;
import io.scorepipe.config.TopicProperties;

/**
 * Makes answered predictions durable before they are answered: each audit record is sent to the
 * audit topic (idempotent producer, acks=all) and waited for; what Kafka has not acknowledged
 * within the bound is written to {@code prediction_audit} directly. A record that reaches both
 * is stored once, because the audit sink skips prediction ids it already has. Thread-safe.
 */
class AuditPublisher {

    private static final Logger log = LoggerFactory.getLogger(AuditPublisher.class);

    private final KafkaTemplate<String, AuditRecord> kafka;
    private final String topic;
    private final AuditWriter writer;
    private final long timeoutNanos;
    private final Breaker kafkaBreaker;
    private final Counter published;
    private final Counter fallbacks;

    AuditPublisher(KafkaTemplate<String, AuditRecord> kafka, TopicProperties topics, AuditWriter writer,
            AuditProperties properties, MeterRegistry meters) {
        this.kafka = kafka;
        this.topic = topics.audit();
        this.writer = writer;
        this.timeoutNanos = properties.kafkaTimeout().toNanos();
        this.kafkaBreaker = new Breaker(properties.retryKafkaAfter());
        this.published = meters.counter("scorepipe.audit.published");
        this.fallbacks = meters.counter("scorepipe.audit.fallbacks");
    }

    /**
     * Returns once every record is acknowledged by Kafka or stored in PostgreSQL.
     *
     * @throws AuditUnavailableException when some record could be stored in neither
     */
    void publish(List<AuditRecord> records) {
        List<AuditRecord> unacknowledged = kafkaBreaker.allows() ? sendAndWait(records) : records;
        if (unacknowledged.isEmpty()) {
            return;
        }
        try {
            writer.write(unacknowledged);
            fallbacks.increment(unacknowledged.size());
        }
        catch (DataAccessException ex) {
            throw new AuditUnavailableException("the audit trail is unavailable (Kafka did not acknowledge and "
                    + "PostgreSQL refused the write), so no prediction is answered", ex);
        }
    }

    /** Whether the last attempt to use Kafka succeeded. */
    boolean kafkaHealthy() {
        return !kafkaBreaker.isOpen();
    }

    private List<AuditRecord> sendAndWait(List<AuditRecord> records) {
        List<CompletableFuture<SendResult<String, AuditRecord>>> sends = new ArrayList<>(records.size());
        List<AuditRecord> unacknowledged = new ArrayList<>(0);
        RuntimeException firstFailure = null;
        for (AuditRecord record : records) {
            try {
                // no key: the audit needs no order, and keyless records fill one batch before the next
                sends.add(kafka.send(topic, record));
            }
            catch (RuntimeException ex) {
                // max.block.ms elapsed without metadata, or the producer is closed
                sends.add(CompletableFuture.failedFuture(ex));
            }
        }
        long deadline = System.nanoTime() + timeoutNanos;
        for (int i = 0; i < sends.size(); i++) {
            try {
                sends.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            catch (TimeoutException | ExecutionException ex) {
                unacknowledged.add(records.get(i));
                if (firstFailure == null) {
                    firstFailure = new IllegalStateException(ex.getClass().getSimpleName() + ": " + ex.getMessage(), ex);
                }
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                unacknowledged.addAll(records.subList(i, records.size()));
                break;
            }
        }
        published.increment(records.size() - unacknowledged.size());
        if (unacknowledged.isEmpty()) {
            kafkaBreaker.success();
        }
        else {
            boolean wasHealthy = !kafkaBreaker.isOpen();
            kafkaBreaker.failure();
            if (wasHealthy) {
                log.warn("Kafka did not acknowledge {} audit record(s); writing them to PostgreSQL directly: {}",
                        unacknowledged.size(), firstFailure == null ? "interrupted" : firstFailure.getMessage());
            }
        }
        return unacknowledged;
    }
}
