package io.scorepipe.api.predict;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.Positive;

/**
 * Limits of the prediction endpoints ({@code scorepipe.predict.*}).
 *
 * @param maxBatchRows rows one {@code /predict/batch} call may carry
 * @param maxBodySize largest JSON body accepted; larger ones get 413
 */
@Validated
@ConfigurationProperties("scorepipe.predict")
public record PredictProperties(@DefaultValue("1000") @Positive int maxBatchRows,
        @DefaultValue("1MB") DataSize maxBodySize) {

    public PredictProperties {
        if (maxBodySize.toBytes() < 1) {
            throw new IllegalArgumentException("scorepipe.predict.max-body-size must be at least 1B, got " + maxBodySize);
        }
    }
}
