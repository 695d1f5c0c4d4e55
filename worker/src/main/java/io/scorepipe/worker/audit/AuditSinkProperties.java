package io.scorepipe.worker.audit;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The audit sink ({@code scorepipe.audit.*}).
 *
 * @param groupId the consumer group all workers share
 * @param maxBatch events per poll, and so per statement
 * @param concurrency consumers in this process
 * @param retryInitial first wait after PostgreSQL failed
 * @param retryMax longest wait between retries; retries never stop
 */
@ConfigurationProperties("scorepipe.audit")
public record AuditSinkProperties(@DefaultValue("scorepipe-audit-sink") String groupId,
        @DefaultValue("2000") int maxBatch, @DefaultValue("2") int concurrency,
        @DefaultValue("500ms") Duration retryInitial, @DefaultValue("10s") Duration retryMax) {
}
