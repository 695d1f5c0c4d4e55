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
 * Real-time scoring, whatever protocol the request came in by: validate against the model's
 * schema, answer from the cache or the scorer, and make every answer durable in the audit trail
 * (with the route it came by) before returning it. One call uses one model version throughout,
 * even when a promotion lands in the middle of it. Thread-safe.
 */
public class PredictionService {

    private final ServingModels serving;
    private final PredictionCache cache;
    private final AuditPublisher audit;
    private final MeterRegistry meters;
    /** Timers by model and route, made once: looking a timer up by its tags on every request costs more than scoring. */
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
     * Scores one record with {@code modelName}'s champion ({@code POST /predict} and
     * {@code /models/{name}/predict}).
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
            RowOutcome outcome = score(model, List.of(row), requestId, Route.PREDICT, started).getFirst();
            if (outcome.error() != null) {
                throw outcome.error();
            }
            return outcome.prediction();
        }
    }

    /**
     * Scores several records with one version of {@code modelName}'s champion; a bad record gets
     * its own error and does not stop the others.
     *
     * @throws InvalidInputException when there are more rows than allowed
     */
    BatchOutcome predictAll(String modelName, List<?> records, @Nullable String requestId, int maxRows) {
        if (records.size() > maxRows) {
            throw new InvalidInputException("rows", "at most " + maxRows + " rows per call, got " + records.size());
        }
        long started = System.nanoTime();
        try (ServingModels.Lease model = serving.champion(modelName)) {
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
            List<RowOutcome> scored = score(model, valid, requestId, Route.PREDICT_BATCH, started);
            for (int i = 0; i < scored.size(); i++) {
                outcomes.set(validAt.get(i), scored.get(i));
            }
            return new BatchOutcome(model.model(), model.label(), outcomes);
        }
    }

    /**
     * Scores rows already in {@code model}'s feature order, all or nothing, as the tensor
     * protocols need: every row answered and audited, or none.
     *
     * @param model the version to score with, leased by the caller
     * @param route the protocol the request came by
     * @throws InvalidInputException naming the first row whose prediction is not a finite number
     * @throws AuditUnavailableException when the answers cannot be audited
     */
    public List<Prediction> scoreRows(ServingModels.Lease model, List<double[]> rows, @Nullable String requestId,
            Route route) {
        List<Prediction> predictions = new ArrayList<>(rows.size());
        for (RowOutcome outcome : score(model, rows, requestId, route, System.nanoTime(), true)) {
            predictions.add(outcome.prediction());
        }
        return predictions;
    }

    private List<RowOutcome> score(ServingModels.Lease model, List<double[]> rows, @Nullable String requestId,
            Route route, long started) {
        return score(model, rows, requestId, route, started, false);
    }

    /**
     * The heart of every route: cached answers where Redis has them, the scorer's otherwise, one
     * audit record per answer, published before anything is returned.
     *
     * @param allOrNothing refuse the whole call (answering and auditing nothing) when a row fails
     */
    private List<RowOutcome> score(ServingModels.Lease model, List<double[]> rows, @Nullable String requestId,
            Route route, long started, boolean allOrNothing) {
        @Nullable Double[] cached = cache.getAll(model.model(), model.label(), rows);
        double[] values = new double[rows.size()];
        @Nullable InvalidInputException[] failures = new InvalidInputException[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            try {
                values[i] = cached[i] != null ? cached[i] : model.scorer().scoreFinite(rows.get(i));
            }
            catch (InvalidInputException ex) {
                if (allOrNothing) {
                    throw new InvalidInputException("row " + (i + 1), "row " + (i + 1) + ": " + ex.getMessage());
                }
                failures[i] = ex;
            }
        }
        List<double[]> toCache = new ArrayList<>();
        List<Double> toCacheValues = new ArrayList<>();
        List<AuditRecord> auditRecords = new ArrayList<>(rows.size());
        List<RowOutcome> outcomes = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            if (failures[i] != null) {
                outcomes.add(RowOutcome.failed(failures[i]));
                continue;
            }
            double[] row = rows.get(i);
            if (cached[i] == null) {
                toCache.add(row);
                toCacheValues.add(values[i]);
            }
            Prediction prediction = new Prediction(UUID.randomUUID(), values[i], model.model(), model.label(),
                    cached[i] != null);
            outcomes.add(RowOutcome.scored(prediction));
            auditRecords.add(new AuditRecord(prediction.predictionId(), AuditSource.API, route.wire(), null, requestId,
                    prediction.model(), prediction.modelVersion(), row, prediction.value(), prediction.cached(),
                    (System.nanoTime() - started) / 1000, Instant.now()));
        }
        cache.putAll(model.model(), model.label(), toCache, toCacheValues);
        audit.publish(auditRecords);
        Timers timed = timers(model.model(), route);
        long took = System.nanoTime() - started;
        if (rows.size() == 1 && route != Route.PREDICT_BATCH) {
            (cached[0] != null ? timed.hit() : timed.miss()).record(took, TimeUnit.NANOSECONDS);
        }
        else {
            timed.batch().record(took, TimeUnit.NANOSECONDS);
        }
        return outcomes;
    }

    private Timers timers(String model, Route route) {
        return timers.computeIfAbsent(model + " " + route.wire(), key -> new Timers(latencyTimer(model, route, "hit"),
                latencyTimer(model, route, "miss"), Timer.builder("scorepipe.predict.batch.latency")
                        .description("A call scoring several rows, whole call").tag("model", model)
                        .tag("route", route.wire()).publishPercentileHistogram().register(meters)));
    }

    private Timer latencyTimer(String model, Route route, String cache) {
        return Timer.builder("scorepipe.predict.latency").description("One row, from request to audited answer")
                .tag("model", model).tag("route", route.wire()).tag("cache", cache).publishPercentileHistogram()
                .register(meters);
    }

    /**
     * What a batch call gives back.
     *
     * @param model the model that scored every row
     * @param modelVersion the one version of it that scored every row
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
