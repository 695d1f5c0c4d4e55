package io.scorepipe.worker.audit;

import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;

import io.scorepipe.audit.AuditRecord;

/** Feeds {@code predictions.audit} to the {@link AuditSink}; offsets commit only after it returns. */
class AuditSinkListener {

    private final AuditSink sink;
    private final String topic;
    private final String groupId;

    AuditSinkListener(AuditSink sink, String topic, String groupId) {
        this.sink = sink;
        this.topic = topic;
        this.groupId = groupId;
    }

    public String topic() {
        return topic;
    }

    public String groupId() {
        return groupId;
    }

    @KafkaListener(id = "audit-sink", topics = "#{__listener.topic()}", groupId = "#{__listener.groupId()}",
            containerFactory = "auditContainerFactory", batch = "true")
    void onEvents(List<ConsumerRecord<String, AuditRecord>> events) {
        sink.store(events);
    }
}
