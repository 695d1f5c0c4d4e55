package io.scorepipe.api.predict;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.scorepipe.audit.AuditRecord;
import io.scorepipe.audit.AuditSource;
import io.scorepipe.registry.ServingModel;
import io.scorepipe.scoring.InvalidInputException;

/**
 * Real-time scoring: validate against the serving model's schema, answer from the cache or the
 * scorer, and make the answer durable in the audit trail before returning it. One call uses one
 * model version throughout, even when a promotion lands in the middle of it. Thread-safe.
 */
class PredictionService {

    private final ServingModel serving;
    private final PredictionCache cache;
    private final AuditPublisher audit;
    private final Timer hitTimer;
    private final Timer missTimer;
    private final Timer batchTimer;

    PredictionService(ServingModel serving, PredictionCache cache, AuditPublisher audit, MeterRegistry meters) {
        this.serving = serving;
        this.cache = cache;
        this.audit = audit;
        this.hitTimer = latencyTimer(meters, "hit");
        this.missTimer = latencyTimer(meters, "miss");
        this.batchTimer = Timer.builder("scorepipe.predict.batch.latency").description("POST /predict/batch, whole call")
                .publishPercentileHistogram().register(meters);
    }

    /**
     * Scores one record.
     *
     * @throws InvalidInputException when the features do not fit the model
     * @throws io.scorepipe.scoring.ModelException when no model is serving
     * @throws AuditUnavailableException when the answer cannot be audited
     */
    Prediction predict(@Nullable Object features, @Nullable String requestId) {
        long started = System.nanoTime();
        ServingModel.Loaded model = serving.require();
        double[] row = model.scorer().schema().read(features);
        List<double[]> rows = List.of(row);
        Double cached = cache.getAll(model.label(), rows)[0];
        double value = cached != null ? cached : model.scorer().scoreFinite(row);
        if (cached == null) {
            cache.putAll(model.label(), rows, List.of(value));
        }
        Prediction prediction = new Prediction(UUID.randomUUID(), value, model.label(), cached != null);
        audit.publish(List.of(auditRecord(prediction, row, requestId, started)));
        (cached != null ? hitTimer : missTimer).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        return prediction;
    }

    /**
     * Scores several records with one model version; a bad record gets its own error and does
     * not stop the others.
     *
     * @throws InvalidInputException when there are more rows than allowed
     */
    BatchOutcome predictAll(List<?> records, @Nullable String requestId, int maxRows) {
        if (records.size() > maxRows) {
            throw new InvalidInputException("rows", "at most " + maxRows + " rows per call, got " + records.size());
        }
        long started = System.nanoTime();
        ServingModel.Loaded model = serving.require();
        List<RowOutcome> outcomes = new ArrayList<>(records.size());
        List<double[]> valid = new ArrayList<>(records.size());
        List<Integer> validAt = new ArrayList<>(records.size());
        for (Object record : records) {
            try {
                valid.add(model.scorer().schema().read(record));
                validAt.add(outcomes.size());
                outcomes.add(null);
            }
            catch (InvalidInputException ex) {
                outcomes.add(RowOutcome.failed(ex));
            }
        }
        Double[] cached = cache.getAll(model.label(), valid);
        List<double[]> toCache = new ArrayList<>();
        List<Double> toCacheValues = new ArrayList<>();
        List<AuditRecord> auditRecords = new ArrayList<>(valid.size());
        for (int i = 0; i < valid.size(); i++) {
            double[] row = valid.get(i);
            double value;
            try {
                value = cached[i] != null ? cached[i] : model.scorer().scoreFinite(row);
            }
            catch (InvalidInputException ex) {
                outcomes.set(validAt.get(i), RowOutcome.failed(ex));
                continue;
            }
            if (cached[i] == null) {
                toCache.add(row);
                toCacheValues.add(value);
            }
            Prediction prediction = new Prediction(UUID.randomUUID(), value, model.label(), cached[i] != null);
            outcomes.set(validAt.get(i), RowOutcome.scored(prediction));
            auditRecords.add(auditRecord(prediction, row, requestId, started));
        }
        cache.putAll(model.label(), toCache, toCacheValues);
        audit.publish(auditRecords);
        batchTimer.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        return new BatchOutcome(model.label(), outcomes);
    }

    private static AuditRecord auditRecord(Prediction prediction, double[] row, @Nullable String requestId, long started) {
        return new AuditRecord(prediction.predictionId(), AuditSource.API, null, requestId, prediction.modelVersion(), row,
                prediction.value(), prediction.cached(), (System.nanoTime() - started) / 1000, Instant.now());
    }

    private static Timer latencyTimer(MeterRegistry meters, String cache) {
        return Timer.builder("scorepipe.predict.latency").description("POST /predict, from request to audited answer")
                .tag("cache", cache).publishPercentileHistogram().register(meters);
    }

    /**
     * What a batch call gives back.
     *
     * @param modelVersion the one version that scored every row
     * @param rows one outcome per input row, in order
     */
    record BatchOutcome(String modelVersion, List<RowOutcome> rows) {
    }

    /**
     * One row's outcome: a prediction, or why the row was refused.
     *
     * @param prediction the prediction, when the row was scored
     * @param error the problems, when it was not
     */
    record RowOutcome(@Nullable Prediction prediction, @Nullable InvalidInputException error) {

        static RowOutcome scored(Prediction prediction) {
            return new RowOutcome(prediction, null);
        }

        static RowOutcome failed(InvalidInputException error) {
            return new RowOutcome(null, error);
        }
    }
}
