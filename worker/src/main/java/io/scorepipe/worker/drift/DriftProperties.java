package io.scorepipe.worker.drift;

import java.time.Duration;

import jakarta.validation.constraints.Positive;

import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The drift job ({@code scorepipe.drift.*}).
 *
 * @param interval how often each model's drift is computed
 * @param window how far back the audited predictions looked at go
 * @param sample the most audited predictions read per model and run: the job's cost is bounded by
 *     this and by the window, never by the size of the audit table
 * @param minRows fewer audited predictions than this in the window give no report (too few to say)
 */
@Validated
@ConfigurationProperties("scorepipe.drift")
public record DriftProperties(@DefaultValue("1m") @DurationMin(seconds = 1) Duration interval,
        @DefaultValue("1h") @DurationMin(seconds = 1) Duration window, @DefaultValue("10000") @Positive int sample,
        @DefaultValue("100") @Positive int minRows) {
}
