package io.scorepipe.worker.audit;

import java.time.Duration;

import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;

/**
 * The audit sink ({@code scorepipe.audit-sink.*}).
 *
 * @param groupId the consumer group all workers share
 * @param maxBatch events per poll, and so per statement
 * @param concurrency consumers in this process
 * @param retryInitial first wait after PostgreSQL failed
 * @param retryMax longest wait between retries; retries never stop
 */
@Validated
@ConfigurationProperties("scorepipe.audit-sink")
public record AuditSinkProperties(@DefaultValue("scorepipe-audit-sink") @NotBlank String groupId,
        @DefaultValue("2000") @Positive int maxBatch, @DefaultValue("2") @Positive int concurrency,
        @DefaultValue("500ms") @DurationMin(millis = 1) Duration retryInitial,
        @DefaultValue("10s") @DurationMin(millis = 1) Duration retryMax) {
}
