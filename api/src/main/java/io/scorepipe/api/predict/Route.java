package io.scorepipe.api.predict;

import java.util.Locale;

/** The protocol a prediction request came by: recorded with each audit row and tagged on the latency metrics. */
public enum Route {
    /** {@code POST /predict} and {@code /models/{name}/predict}. */
    PREDICT,
    /** {@code POST /predict/batch} and {@code /models/{name}/predict/batch}. */
    PREDICT_BATCH,
    /** The Open Inference Protocol: {@code POST /v2/models/{name}[/versions/{v}]/infer}. */
    V2,
    /** KServe's v1 protocol: {@code POST /v1/models/{name}:predict}. */
    V1,
    /** MLflow's scoring protocol: {@code POST /invocations}. */
    INVOCATIONS;

    private final String wire = name().toLowerCase(Locale.ROOT).replace('_', '/');

    /** How the audit trail and the metrics name it: {@code predict}, {@code predict/batch}, {@code v2}, ... */
    public String wire() {
        return wire;
    }
}
