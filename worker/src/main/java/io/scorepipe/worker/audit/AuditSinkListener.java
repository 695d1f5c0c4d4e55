package io.scorepipe.worker.audit;

import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.scorepipe.audit.AuditRecord;
import io.scorepipe.config.Subscription;
import io.scorepipe.config.SubscriptionListener;

/**
 * Feeds {@code predictions.audit} to the {@link AuditSink}; offsets commit only after it returns.
 *
 * @param sink stores the events
 * @param subscription the audit topic and the sink's consumer group
 */
record AuditSinkListener(AuditSink sink, Subscription subscription) {

    @SubscriptionListener(id = "audit-sink", containerFactory = "auditContainerFactory", batch = "true", properties = {})
    void onEvents(List<ConsumerRecord<String, AuditRecord>> events) {
        sink.store(events);
    }
}
