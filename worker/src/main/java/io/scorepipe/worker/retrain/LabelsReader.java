package io.scorepipe.worker.retrain;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import io.scorepipe.csv.Csv;
import io.scorepipe.registry.TrainingExamples;
import io.scorepipe.scoring.FeatureSchema;
import io.scorepipe.scoring.InvalidInputException;
import io.scorepipe.scoring.LabelledRow;
import io.scorepipe.worker.system.BoundedLines;
import io.scorepipe.worker.system.FileHeader;
import io.scorepipe.worker.system.FileLayout;

/**
 * Reads one labels file into training examples of one model: its header names the model's
 * features (any order, as a scored file's does) and the target, as the column {@code target} or by
 * the name of the column the model was trained to predict; each line's numbers follow the
 * features' rules, the target's too. Bad lines go to the rejects file with their number and reason; a line over the
 * length limit is never held in memory whole. Lines are keyed by the file's claimed name and their
 * number, so reading a file again adds nothing.
 *
 * @param store where the examples go
 * @param maxLineBytes the longest line read whole
 */
record LabelsReader(TrainingExamples store, int maxLineBytes) {

    static final String TARGET = "target";
    private static final int BATCH = 1000;

    /**
     * What one file gave.
     *
     * @param stored examples stored
     * @param rejected lines rejected
     * @param refused why the whole file was refused, if it was
     */
    record Outcome(long stored, long rejected, @Nullable String refused) {
    }

    /**
     * @param model the model the examples are for
     * @param target the model's own name for its target column, when it has one
     */
    Outcome read(Path file, String model, FeatureSchema schema, @Nullable String target, String key, Path rejects)
            throws IOException {
        try (BoundedLines in = new BoundedLines(Files.newInputStream(file), maxLineBytes);
                BufferedWriter out = Files.newBufferedWriter(rejects, StandardCharsets.UTF_8)) {
            out.write("line,reason,raw\n");
            if (!in.next() || in.tooLong()) {
                String reason = in.tooLong() ? "its header line is longer than " + maxLineBytes + " bytes" : "it is empty";
                out.write("1," + Csv.quote(reason) + "," + Csv.quote(in.tooLong() ? in.beginning() : "") + "\n");
                return new Outcome(0, 1, reason);
            }
            FileHeader header = FileHeader.parse(in.text());
            String targetName = target != null && header.columns().contains(target) ? target : TARGET;
            int targetAt = header.columns().indexOf(targetName);
            FileLayout layout;
            try {
                layout = FileLayout.of(header, schema);
                if (targetAt < 0) {
                    throw new IllegalArgumentException("the header " + header.columns() + " has no '" + TARGET + "' column"
                            + (target == null || target.equals(TARGET) ? "" : " (nor '" + target + "')"));
                }
            }
            catch (IllegalArgumentException ex) {
                out.write("1," + Csv.quote(ex.getMessage()) + "," + Csv.quote(header.text()) + "\n");
                return new Outcome(0, 1, ex.getMessage());
            }
            return readLines(in, out, new Columns(model, schema, layout, targetAt, targetName), key);
        }
    }

    /** Where a line's numbers are. */
    private record Columns(String model, FeatureSchema schema, FileLayout layout, int target, String targetName) {
    }

    private Outcome readLines(BoundedLines in, BufferedWriter out, Columns columns, String key) throws IOException {
        long stored = 0;
        long rejected = 0;
        List<LabelledRow> rows = new ArrayList<>(BATCH);
        List<String> refs = new ArrayList<>(BATCH);
        for (long number = 2; in.next(); number++) {
            String line = in.tooLong() ? in.beginning() : in.text();
            try {
                if (in.tooLong()) {
                    throw new IllegalArgumentException(in.tooLongReason());
                }
                rows.add(parse(line, columns));
                refs.add(key + ":" + number);
            }
            catch (InvalidInputException | IllegalArgumentException ex) {
                out.write(number + "," + Csv.quote(String.valueOf(ex.getMessage())) + "," + Csv.quote(line) + "\n");
                rejected++;
            }
            if (rows.size() == BATCH) {
                stored += store.add(columns.model(), columns.schema(), rows, "csv", refs);
                rows.clear();
                refs.clear();
            }
        }
        stored += store.add(columns.model(), columns.schema(), rows, "csv", refs);
        return new Outcome(stored, rejected, null);
    }

    /** @throws InvalidInputException or IllegalArgumentException saying what is wrong with the line */
    private static LabelledRow parse(String line, Columns columns) {
        List<String> cells = Csv.split(line);
        if (cells.size() != columns.layout().columns().size()) {
            throw new IllegalArgumentException("expected " + columns.layout().columns().size() + " columns, got "
                    + cells.size());
        }
        int[] featureColumns = columns.layout().featureColumns();
        double[] features = new double[featureColumns.length];
        for (int i = 0; i < features.length; i++) {
            features[i] = columns.schema().parseCell(i, cells.get(featureColumns[i]));
        }
        // the target follows the features' number rules: no hexadecimal, no 8d, no NaN
        return new LabelledRow(features, FeatureSchema.parseNumber(columns.targetName(), "the target '"
                + columns.targetName() + "'", cells.get(columns.target())));
    }
}
