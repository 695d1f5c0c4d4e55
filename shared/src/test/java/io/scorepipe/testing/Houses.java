package io.scorepipe.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.scorepipe.scoring.FeatureSchema;
import io.scorepipe.scoring.LabelledRow;

/**
 * The generated "houses" data set and the models fitted to it elsewhere (see
 * {@code fixtures/houses/README.md}): six raw-magnitude features, a target in the hundreds of
 * thousands, a scikit-learn tree ensemble and a linear model as ONNX files, and scikit-learn's own
 * predictions for the held-out rows.
 */
public final class Houses {

    /** The features, in the CSV's and the ONNX files' order. */
    public static final List<String> FEATURES = List.of("sqft", "age_years", "rooms", "distance_km", "lot_acres",
            "school_score");
    public static final FeatureSchema SCHEMA = FeatureSchema.of(FEATURES);
    public static final String TARGET = "price";

    private Houses() {
    }

    /**
     * One held-out row and what scikit-learn predicted for it.
     *
     * @param id the row's id in {@code houses.csv}
     * @param features the features, in {@link #FEATURES} order
     * @param price the true target
     * @param gbt the gradient-boosted trees' prediction
     * @param linear the linear model's prediction
     */
    public record Expected(long id, double[] features, double price, double gbt, double linear) {
    }

    /** The bytes of a fixture file, {@code houses-gbt.onnx} say. */
    public static byte[] bytes(String file) {
        try (InputStream in = Houses.class.getResourceAsStream("/fixtures/houses/" + file)) {
            if (in == null) {
                throw new IllegalStateException("fixture " + file + " is missing from the test class path");
            }
            return in.readAllBytes();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** {@code houses.csv} as text: header {@code id,<features>,price}, 800 rows. */
    public static String csv() {
        return new String(bytes("houses.csv"), StandardCharsets.UTF_8);
    }

    /** Every row of {@code houses.csv}, in file order (the first 640 trained the ONNX models). */
    public static List<LabelledRow> rows() {
        List<LabelledRow> rows = new ArrayList<>();
        for (String[] cells : lines("houses.csv")) {
            rows.add(new LabelledRow(features(cells), Double.parseDouble(cells[7])));
        }
        return rows;
    }

    /** The 160 held-out rows with scikit-learn's predictions. */
    public static List<Expected> expected() {
        List<Expected> expected = new ArrayList<>();
        for (String[] cells : lines("houses-expected.csv")) {
            expected.add(new Expected(Long.parseLong(cells[0]), features(cells), Double.parseDouble(cells[7]),
                    Double.parseDouble(cells[8]), Double.parseDouble(cells[9])));
        }
        return expected;
    }

    private static double[] features(String[] cells) {
        return Arrays.stream(cells, 1, 7).mapToDouble(Double::parseDouble).toArray();
    }

    private static List<String[]> lines(String file) {
        String[] lines = new String(bytes(file), StandardCharsets.UTF_8).split("\n");
        List<String[]> rows = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            if (!lines[i].isBlank()) {
                rows.add(lines[i].split(","));
            }
        }
        return rows;
    }
}
