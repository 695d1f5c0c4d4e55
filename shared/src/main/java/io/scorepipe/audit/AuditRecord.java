package io.scorepipe.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.scorepipe.registry.ModelNames;

/**
 * One served prediction, as it travels on {@code predictions.audit} and lands in
 * {@code prediction_audit}. The prediction id is minted once, where the prediction is made, so a
 * redelivered record is recognisably the same one.
 *
 * @param predictionId the prediction's identity, returned to the caller
 * @param source which way it was asked for
 * @param route on the api, the protocol it came through ({@code predict}, {@code v2}, ...); null elsewhere
 * @param sourceRef where the input came from, when that identifies it ("batch:line", "topic:partition:offset")
 * @param requestId the caller's own id, if it gave one
 * @param model the name of the model that scored it; a record from before models had names
 *     carries none, and was scored by the sample model
 * @param modelVersion the label of the version that scored it
 * @param features the input, in the model's feature order
 * @param prediction the answer
 * @param cacheHit whether the answer came from the cache
 * @param latencyMicros time from receiving the input to having the answer
 * @param createdAt when it was answered
 */
public record AuditRecord(
        @JsonProperty("prediction_id") UUID predictionId,
        @JsonProperty("source") AuditSource source,
        @JsonProperty("route") @Nullable String route,
        @JsonProperty("source_ref") @Nullable String sourceRef,
        @JsonProperty("request_id") @Nullable String requestId,
        @JsonProperty("model") String model,
        @JsonProperty("model_version") String modelVersion,
        @JsonProperty("features") double[] features,
        @JsonProperty("prediction") double prediction,
        @JsonProperty("cache_hit") boolean cacheHit,
        @JsonProperty("latency_micros") long latencyMicros,
        @JsonProperty("created_at") Instant createdAt) {

    /**
     * The prediction id for an input identified by where it came from (a Kafka record): the same
     * source reference always gives the same id, so scoring it again after a redelivery produces
     * the same prediction id and no second audit row. A batch's lines get ids that keep their
     * order instead ({@link BatchLineIds}); batch rows stored before those existed carry ids made here.
     */
    public static UUID idFor(AuditSource source, String sourceRef) {
        // UUID.nameUUIDFromBytes's bits (version 3), with a digest kept per thread: a batch makes one
        // id per line, and looking the algorithm up for each cost as much as the digest
        byte[] md5 = MD5.get().digest((source.wire() + ":" + sourceRef).getBytes(StandardCharsets.UTF_8));
        md5[6] = (byte) ((md5[6] & 0x0f) | 0x30);
        md5[8] = (byte) ((md5[8] & 0x3f) | 0x80);
        long msb = 0;
        long lsb = 0;
        for (int i = 0; i < 8; i++) {
            msb = (msb << 8) | (md5[i] & 0xff);
            lsb = (lsb << 8) | (md5[i + 8] & 0xff);
        }
        return new UUID(msb, lsb);
    }

    private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("MD5");
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("every Java runtime has MD5", ex);
        }
    });

    public AuditRecord {
        // an event read from Kafka without these is unreadable, not a row to retry forever
        Objects.requireNonNull(predictionId, "prediction_id is required");
        Objects.requireNonNull(source, "source is required");
        model = model == null ? ModelNames.SAMPLE : model;
        Objects.requireNonNull(modelVersion, "model_version is required");
        Objects.requireNonNull(features, "features are required");
        Objects.requireNonNull(createdAt, "created_at is required");
        if (modelVersion.isBlank()) {
            throw new IllegalArgumentException("modelVersion must not be blank");
        }
        if (features.length == 0) {
            throw new IllegalArgumentException("an audited prediction has at least one feature");
        }
        if (latencyMicros < 0) {
            throw new IllegalArgumentException("latencyMicros must not be negative, got " + latencyMicros);
        }
    }
}
