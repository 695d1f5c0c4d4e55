package io.scorepipe.api.batch;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * CSV uploads ({@code scorepipe.upload.*}).
 *
 * @param maxSize the largest file accepted; a larger upload is cut off and refused with 413
 */
@Validated
@ConfigurationProperties("scorepipe.upload")
public record UploadProperties(@DefaultValue("2GB") DataSize maxSize) {

    public UploadProperties {
        if (maxSize.toBytes() < 1) {
            throw new IllegalArgumentException("scorepipe.upload.max-size must be at least 1B, got " + maxSize);
        }
    }
}
