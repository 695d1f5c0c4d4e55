package io.scorepipe.drift;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A serving version's recent inputs against its reference: for each feature, and for the
 * prediction, the two distributions in the reference's bins and their population stability index.
 *
 * @param model the model
 * @param version the version that served the window (the champion when it was computed)
 * @param computedAt when
 * @param windowFrom the start of the window of audited predictions looked at
 * @param windowTo its end
 * @param rows how many audited predictions of the window were read (at most the sample size)
 * @param basis what the reference describes
 * @param threshold the index above which a feature is marked as shifted
 * @param features each feature, in the order of the rows compared (the model's)
 * @param prediction the prediction's own distribution
 */
public record DriftReport(@JsonProperty("model") String model, @JsonProperty("version") String version,
        @JsonProperty("computed_at") Instant computedAt, @JsonProperty("window_from") Instant windowFrom,
        @JsonProperty("window_to") Instant windowTo, @JsonProperty("rows") long rows,
        @JsonProperty("basis") String basis, @JsonProperty("threshold") double threshold,
        @JsonProperty("features") List<Drift> features, @JsonProperty("prediction") Drift prediction) {

    public DriftReport {
        features = List.copyOf(features);
    }

    /**
     * One variable's drift.
     *
     * @param name the feature, or {@code prediction}
     * @param psi the population stability index of recent against reference
     * @param shifted whether it is above the threshold
     * @param reference the distribution the version learnt from
     * @param recent the window's, in the same bins
     */
    public record Drift(@JsonProperty("name") String name, @JsonProperty("psi") double psi,
            @JsonProperty("shifted") boolean shifted, @JsonProperty("reference") Distribution reference,
            @JsonProperty("recent") Distribution recent) {

        static Drift of(String name, Distribution reference, double[] values) {
            Distribution recent = reference.over(values);
            double psi = Psi.of(reference, recent);
            return new Drift(name, psi, psi > Psi.SHIFTED, reference, recent);
        }
    }

    /**
     * Compares a window's rows and predictions with {@code profile}.
     *
     * @param rowNames the features of each row, in the rows' order (any order; every profiled feature among them)
     */
    public static DriftReport compare(String model, String version, FeatureProfile profile, List<String> rowNames,
            List<double[]> rows, double[] predictions, Instant windowFrom, Instant windowTo, Instant computedAt) {
        if (predictions.length != rows.size()) {
            throw new IllegalArgumentException(rows.size() + " rows but " + predictions.length + " predictions");
        }
        for (String name : profile.features().keySet()) {
            if (!rowNames.contains(name)) {
                throw new IllegalArgumentException("the rows lack the profiled feature '" + name + "'");
            }
        }
        // in the rows' order (the model's): a profile read back from jsonb has its keys in jsonb's order
        List<Drift> features = new ArrayList<>(profile.features().size());
        for (int column = 0; column < rowNames.size(); column++) {
            Distribution reference = profile.features().get(rowNames.get(column));
            if (reference != null) {
                features.add(Drift.of(rowNames.get(column), reference,
                        FeatureProfile.column(rows, column, rowNames.size())));
            }
        }
        return new DriftReport(model, version, computedAt, windowFrom, windowTo, rows.size(), profile.basis(),
                Psi.SHIFTED, features, Drift.of("prediction", profile.prediction(), predictions));
    }

    /** The features above the threshold. */
    public List<String> shiftedFeatures() {
        return features.stream().filter(Drift::shifted).map(Drift::name).toList();
    }
}
