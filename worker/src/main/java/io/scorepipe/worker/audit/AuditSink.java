package io.scorepipe.worker.audit;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.scorepipe.audit.AuditRecord;
import io.scorepipe.audit.AuditWriter;

/**
 * Stores a batch of audit events as rows with one statement. Idempotent: events already stored
 * (redelivered, or written by the api's fallback) are skipped by the table's keys. Events that
 * could not be read at all, and events PostgreSQL refuses for their content (a NUL character in a
 * text, a time outside its range: only a foreign producer sends such), are counted and logged
 * with their offsets; they cannot be stored, and they must not hold back the events around them.
 */
class AuditSink {

    private static final Logger log = LoggerFactory.getLogger(AuditSink.class);

    private final AuditWriter writer;
    private final Counter written;
    private final Counter duplicates;
    private final Counter unreadable;
    private final Counter refused;

    AuditSink(AuditWriter writer, MeterRegistry meters) {
        this.writer = writer;
        this.written = meters.counter("scorepipe.audit.rows.written");
        this.duplicates = meters.counter("scorepipe.audit.rows.duplicate");
        this.unreadable = meters.counter("scorepipe.audit.events.unreadable");
        this.refused = meters.counter("scorepipe.audit.events.refused");
    }

    /**
     * Throws when PostgreSQL fails (unreachable, out of space), so that nothing is committed and
     * the batch comes again; only a refusal of an event's content is settled here.
     */
    void store(List<ConsumerRecord<String, AuditRecord>> events) {
        List<ConsumerRecord<String, AuditRecord>> readable = new ArrayList<>(events.size());
        for (ConsumerRecord<String, AuditRecord> event : events) {
            if (event.value() == null) {
                unreadable.increment();
                log.error("Unreadable audit event at {}-{}@{} skipped", event.topic(), event.partition(), event.offset());
            }
            else {
                readable.add(event);
            }
        }
        List<AuditRecord> records = readable.stream().map(ConsumerRecord::value).toList();
        int inserted;
        int skipped = 0;
        try {
            inserted = writer.copy(records);
        }
        catch (DataIntegrityViolationException ex) {
            // some event's content is refused; one by one, the others are stored and it is found
            inserted = 0;
            for (ConsumerRecord<String, AuditRecord> event : readable) {
                int one = storeOne(event);
                inserted += Math.max(one, 0);
                skipped += one < 0 ? 1 : 0;
            }
        }
        written.increment(inserted);
        duplicates.increment(records.size() - inserted - skipped);
    }

    /** @return 1 when stored, 0 when it already was, -1 when PostgreSQL refused it */
    private int storeOne(ConsumerRecord<String, AuditRecord> event) {
        try {
            return writer.write(List.of(event.value()));
        }
        catch (DataIntegrityViolationException | IllegalArgumentException ex) {
            // IllegalArgumentException: a time so far off that not even the driver can send it
            refused.increment();
            String reason = ex instanceof DataIntegrityViolationException refusal
                    ? refusal.getMostSpecificCause().getMessage() : ex.getMessage();
            log.error("Audit event at {}-{}@{} (prediction {}) refused by PostgreSQL and skipped: {}", event.topic(),
                    event.partition(), event.offset(), event.value().predictionId(), reason);
            return -1;
        }
    }
}
