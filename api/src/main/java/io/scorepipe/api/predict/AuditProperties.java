package io.scorepipe.api.predict;

import java.time.Duration;

import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the api makes each answered prediction durable ({@code scorepipe.audit.*}).
 *
 * @param kafkaTimeout how long a request waits for Kafka to acknowledge its audit events before
 *     writing them to PostgreSQL itself
 * @param retryKafkaAfter after Kafka failed, how long requests go straight to PostgreSQL before
 *     Kafka is tried again
 */
@Validated
@ConfigurationProperties("scorepipe.audit")
public record AuditProperties(@DefaultValue("2s") @DurationMin(millis = 1) Duration kafkaTimeout,
        @DefaultValue("5s") @DurationMin(millis = 1) Duration retryKafkaAfter) {
}
