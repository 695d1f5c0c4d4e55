package io.scorepipe.worker.audit;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.scorepipe.audit.AuditRecord;
import io.scorepipe.audit.AuditWriter;

/**
 * Stores a batch of audit events as rows with one statement. Idempotent: events already stored
 * (redelivered, or written by the api's fallback) are skipped by the table's keys. Events that
 * could not be read at all are counted and logged; they cannot be stored.
 */
class AuditSink {

    private static final Logger log = LoggerFactory.getLogger(AuditSink.class);

    private final AuditWriter writer;
    private final Counter written;
    private final Counter duplicates;
    private final Counter unreadable;

    AuditSink(AuditWriter writer, MeterRegistry meters) {
        this.writer = writer;
        this.written = meters.counter("scorepipe.audit.rows.written");
        this.duplicates = meters.counter("scorepipe.audit.rows.duplicate");
        this.unreadable = meters.counter("scorepipe.audit.events.unreadable");
    }

    /** Throws when PostgreSQL fails, so that nothing is committed and the batch comes again. */
    void store(List<ConsumerRecord<String, AuditRecord>> events) {
        List<AuditRecord> records = new ArrayList<>(events.size());
        for (ConsumerRecord<String, AuditRecord> event : events) {
            if (event.value() == null) {
                unreadable.increment();
                log.error("Unreadable audit event at {}-{}@{} skipped", event.topic(), event.partition(), event.offset());
            }
            else {
                records.add(event.value());
            }
        }
        int inserted = writer.copy(records);
        written.increment(inserted);
        duplicates.increment(records.size() - inserted);
    }
}
