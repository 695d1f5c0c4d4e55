package io.scorepipe.scoring;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How well a model predicts a set of labelled rows.
 *
 * @param rmse root mean squared error
 * @param mae mean absolute error
 * @param r2 coefficient of determination, 1 - SSres / SStot
 * @param rows how many rows were scored
 */
public record Metrics(double rmse, double mae, double r2, int rows) {

    public Metrics {
        if (rows < 1) {
            throw new IllegalArgumentException("metrics need at least one row, got " + rows);
        }
    }

    /** Scores {@code rows} with {@code scorer} and compares with their targets. */
    public static Metrics evaluate(Scorer scorer, List<LabelledRow> rows) {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("cannot evaluate on no rows");
        }
        double mean = 0;
        for (LabelledRow row : rows) {
            mean += row.target();
        }
        mean /= rows.size();
        double squared = 0;
        double absolute = 0;
        double total = 0;
        for (LabelledRow row : rows) {
            double error = scorer.score(row.features()) - row.target();
            squared += error * error;
            absolute += Math.abs(error);
            double deviation = row.target() - mean;
            total += deviation * deviation;
        }
        double r2 = total == 0 ? (squared == 0 ? 1 : 0) : 1 - squared / total;
        return new Metrics(Math.sqrt(squared / rows.size()), absolute / rows.size(), r2, rows.size());
    }

    /** The metrics as a JSON-ready map, for the registry. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("rmse", rmse);
        map.put("mae", mae);
        map.put("r2", r2);
        map.put("rows", rows);
        return map;
    }
}
