package io.scorepipe.testing;

import java.util.ArrayList;
import java.util.List;

import io.scorepipe.scoring.BundledSample;

/** CSV files of the bundled sample's rows, the way the batch job and the inbox take them. */
public final class SampleCsv {

    private static final BundledSample SAMPLE = BundledSample.diabetes();

    private SampleCsv() {
    }

    /** A header naming the model's features, then {@code rows} sample rows (repeating after the last). */
    public static List<String> lines(int rows) {
        return lines(null, rows);
    }

    /**
     * As {@link #lines(int)}, with a first column {@code ref} holding {@code <refPrefix>-<n>}, which
     * makes each file's content (and so its SHA-256) its own; no column when {@code refPrefix} is null.
     */
    public static List<String> lines(String refPrefix, int rows) {
        List<String> lines = new ArrayList<>(rows + 1);
        lines.add((refPrefix == null ? "" : "ref,") + String.join(",", SAMPLE.schema().names()));
        for (int i = 0; i < rows; i++) {
            StringBuilder line = new StringBuilder();
            if (refPrefix != null) {
                line.append(refPrefix).append('-').append(i).append(',');
            }
            double[] features = SAMPLE.rows().get(i % SAMPLE.rows().size()).features();
            for (int j = 0; j < features.length; j++) {
                line.append(j == 0 ? "" : ",").append(features[j]);
            }
            lines.add(line.toString());
        }
        return lines;
    }
}
