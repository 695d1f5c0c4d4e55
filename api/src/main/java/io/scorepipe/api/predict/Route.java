package io.scorepipe.api.predict;

/** The protocol a prediction request came by: recorded with each audit row and tagged on the latency metrics. */
public enum Route {
    /** {@code POST /predict} and {@code /models/{name}/predict}. */
    PREDICT("predict"),
    /** {@code POST /predict/batch} and {@code /models/{name}/predict/batch}. */
    PREDICT_BATCH("predict/batch"),
    /** The Open Inference Protocol: {@code POST /v2/models/{name}[/versions/{v}]/infer}. */
    V2("v2"),
    /** KServe's v1 protocol: {@code POST /v1/models/{name}:predict}. */
    V1("v1"),
    /** MLflow's scoring protocol: {@code POST /invocations}. */
    INVOCATIONS("invocations");

    private final String wire;

    Route(String wire) {
        this.wire = wire;
    }

    /** How the audit trail and the metrics name it. */
    public String wire() {
        return wire;
    }
}
