package io.scorepipe.api.batch;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * CSV uploads ({@code scorepipe.upload.*}).
 *
 * @param maxSize the largest file accepted; a larger upload is cut off and refused with 413
 */
@ConfigurationProperties("scorepipe.upload")
public record UploadProperties(@DefaultValue("2GB") DataSize maxSize) {
}
