package io.scorepipe.scoring;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The diabetes data set that ships with scorepipe (see {@code sample/README.md} beside it for
 * its origin and licence): ten standardised features and a target. The first model is trained
 * from it.
 *
 * @param schema the ten features, in the file's order
 * @param rows the 442 labelled rows, in the file's order
 */
public record BundledSample(FeatureSchema schema, List<LabelledRow> rows) {

    /** Where the CSV lives on the class path. */
    public static final String RESOURCE = "/sample/diabetes.csv";

    /** The sample's target column. */
    public static final String TARGET = "target";

    public BundledSample {
        rows = List.copyOf(rows);
    }

    /** Reads the bundled diabetes CSV from the class path. */
    public static BundledSample diabetes() {
        try (InputStream in = BundledSample.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the bundled sample " + RESOURCE + " is missing from the class path");
            }
            return read(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
        }
        catch (IOException ex) {
            throw new UncheckedIOException("could not read the bundled sample " + RESOURCE, ex);
        }
    }

    private static BundledSample read(BufferedReader reader) throws IOException {
        String header = reader.readLine();
        if (header == null) {
            throw new IllegalStateException("the bundled sample is empty");
        }
        List<String> columns = Arrays.asList(header.strip().split(","));
        int target = columns.indexOf(TARGET);
        if (target != columns.size() - 1) {
            throw new IllegalStateException("the bundled sample's last column must be '" + TARGET + "': " + header);
        }
        FeatureSchema schema = FeatureSchema.of(columns.subList(0, target));
        List<LabelledRow> rows = new ArrayList<>();
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.isBlank()) {
                continue;
            }
            String[] cells = line.split(",", -1);
            double[] features = new double[schema.size()];
            for (int i = 0; i < features.length; i++) {
                features[i] = schema.parseCell(i, cells[i]);
            }
            rows.add(new LabelledRow(features, Double.parseDouble(cells[target])));
        }
        return new BundledSample(schema, rows);
    }
}
