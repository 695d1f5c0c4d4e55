package io.scorepipe.worker.audit;

import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;

import io.scorepipe.audit.AuditRecord;
import io.scorepipe.config.Subscription;

/** Feeds {@code predictions.audit} to the {@link AuditSink}; offsets commit only after it returns. */
class AuditSinkListener {

    private final AuditSink sink;
    private final Subscription subscription;

    AuditSinkListener(AuditSink sink, Subscription subscription) {
        this.sink = sink;
        this.subscription = subscription;
    }

    public Subscription subscription() {
        return subscription;
    }

    @KafkaListener(id = "audit-sink", topics = "#{__listener.subscription().topic()}",
            groupId = "#{__listener.subscription().groupId()}",
            containerFactory = "auditContainerFactory", batch = "true")
    void onEvents(List<ConsumerRecord<String, AuditRecord>> events) {
        sink.store(events);
    }
}
