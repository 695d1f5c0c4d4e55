package io.scorepipe.drift;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.scorepipe.scoring.LabelledRow;
import io.scorepipe.scoring.Scorer;

/**
 * What a model version learnt from, feature by feature, and what it predicted there: the reference
 * its recent inputs are compared with. Stored with the version when it is trained or imported.
 *
 * @param basis which rows it describes, in words ("the 353 training rows", "the first scored window ...")
 * @param features each feature's distribution, in the model's feature order
 * @param prediction the distribution of the version's predictions on those rows
 */
public record FeatureProfile(@JsonProperty("basis") String basis,
        @JsonProperty("features") Map<String, Distribution> features,
        @JsonProperty("prediction") Distribution prediction) {

    public FeatureProfile {
        features = Collections.unmodifiableMap(new LinkedHashMap<>(features));
    }

    /**
     * The profile of {@code rows} (each in {@code names}' order) and of the predictions on them.
     *
     * @throws IllegalArgumentException when there are no rows, or a row or the predictions do not fit
     */
    public static FeatureProfile of(String basis, List<String> names, List<double[]> rows, double[] predictions) {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("a profile needs at least one row");
        }
        if (predictions.length != rows.size()) {
            throw new IllegalArgumentException(rows.size() + " rows but " + predictions.length + " predictions");
        }
        Map<String, Distribution> features = new LinkedHashMap<>();
        for (int f = 0; f < names.size(); f++) {
            features.put(names.get(f), Distribution.reference(column(rows, f, names.size())));
        }
        return new FeatureProfile(basis, features, Distribution.reference(predictions));
    }

    /** The profile of labelled rows and of what {@code scorer} predicts for them. */
    public static FeatureProfile of(String basis, Scorer scorer, List<LabelledRow> rows) {
        List<double[]> features = rows.stream().map(LabelledRow::features).toList();
        return of(basis, scorer.schema().names(), features, scorer.scoreAll(features.toArray(double[][]::new)));
    }

    /** Feature {@code f} of every row. */
    static double[] column(List<double[]> rows, int f, int width) {
        double[] values = new double[rows.size()];
        for (int i = 0; i < values.length; i++) {
            double[] row = rows.get(i);
            if (row.length != width) {
                throw new IllegalArgumentException("row " + i + " has " + row.length + " features, expected " + width);
            }
            values[i] = row[f];
        }
        return values;
    }
}
