package io.scorepipe.api.predict;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.scorepipe.audit.AuditRecord;
import io.scorepipe.audit.AuditSource;
import io.scorepipe.registry.ServingModels;
import io.scorepipe.scoring.InvalidInputException;

/**
 * Real-time scoring with a named model's champion: validate against its schema, answer from the
 * cache or the scorer, and make the answer durable in the audit trail before returning it. One
 * call uses one model version throughout, even when a promotion lands in the middle of it.
 * Thread-safe.
 */
class PredictionService {

    private final ServingModels serving;
    private final PredictionCache cache;
    private final AuditPublisher audit;
    private final MeterRegistry meters;
    /** Each model's timers, made once: looking a timer up by its tags on every request costs more than scoring. */
    private final Map<String, Timers> timers = new ConcurrentHashMap<>();

    PredictionService(ServingModels serving, PredictionCache cache, AuditPublisher audit, MeterRegistry meters) {
        this.serving = serving;
        this.cache = cache;
        this.audit = audit;
        this.meters = meters;
    }

    private record Timers(Timer hit, Timer miss, Timer batch) {
    }

    /**
     * Scores one record with {@code modelName}'s champion.
     *
     * @throws InvalidInputException when the features do not fit the model
     * @throws io.scorepipe.registry.UnknownModelException when there is no such model
     * @throws io.scorepipe.scoring.ModelException when the model has no champion
     * @throws AuditUnavailableException when the answer cannot be audited
     */
    Prediction predict(String modelName, @Nullable Object features, @Nullable String requestId) {
        long started = System.nanoTime();
        try (ServingModels.Lease model = serving.champion(modelName)) {
            double[] row = model.scorer().schema().read(features);
            List<double[]> rows = List.of(row);
            Double cached = cache.getAll(model.model(), model.label(), rows)[0];
            double value = cached != null ? cached : model.scorer().scoreFinite(row);
            if (cached == null) {
                cache.putAll(model.model(), model.label(), rows, List.of(value));
            }
            Prediction prediction = new Prediction(UUID.randomUUID(), value, model.model(), model.label(), cached != null);
            audit.publish(List.of(auditRecord(prediction, row, requestId, started)));
            Timers timed = timers(model.model());
            (cached != null ? timed.hit() : timed.miss()).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            return prediction;
        }
    }

    /**
     * Scores several records with one model version; a bad record gets its own error and does
     * not stop the others.
     *
     * @throws InvalidInputException when there are more rows than allowed
     */
    BatchOutcome predictAll(String modelName, List<?> records, @Nullable String requestId, int maxRows) {
        if (records.size() > maxRows) {
            throw new InvalidInputException("rows", "at most " + maxRows + " rows per call, got " + records.size());
        }
        try (ServingModels.Lease model = serving.champion(modelName)) {
            return predictAll(model, records, requestId);
        }
    }

    private BatchOutcome predictAll(ServingModels.Lease model, List<?> records, @Nullable String requestId) {
        long started = System.nanoTime();
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
        Double[] cached = cache.getAll(model.model(), model.label(), valid);
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
            Prediction prediction = new Prediction(UUID.randomUUID(), value, model.model(), model.label(),
                    cached[i] != null);
            outcomes.set(validAt.get(i), RowOutcome.scored(prediction));
            auditRecords.add(auditRecord(prediction, row, requestId, started));
        }
        cache.putAll(model.model(), model.label(), toCache, toCacheValues);
        audit.publish(auditRecords);
        timers(model.model()).batch().record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        return new BatchOutcome(model.model(), model.label(), outcomes);
    }

    private static AuditRecord auditRecord(Prediction prediction, double[] row, @Nullable String requestId, long started) {
        return new AuditRecord(prediction.predictionId(), AuditSource.API, null, requestId, prediction.model(),
                prediction.modelVersion(), row, prediction.value(), prediction.cached(),
                (System.nanoTime() - started) / 1000, Instant.now());
    }

    private Timers timers(String model) {
        return timers.computeIfAbsent(model, name -> new Timers(latencyTimer(name, "hit"), latencyTimer(name, "miss"),
                Timer.builder("scorepipe.predict.batch.latency").description("POST /predict/batch, whole call")
                        .tag("model", name).publishPercentileHistogram().register(meters)));
    }

    private Timer latencyTimer(String model, String cache) {
        return Timer.builder("scorepipe.predict.latency").description("POST /predict, from request to audited answer")
                .tag("model", model).tag("cache", cache).publishPercentileHistogram().register(meters);
    }

    /**
     * What a batch call gives back.
     *
     * @param model the model that scored every row
     * @param modelVersion the one version that scored every row
     * @param rows one outcome per input row, in order
     */
    record BatchOutcome(String model, String modelVersion, List<RowOutcome> rows) {
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
