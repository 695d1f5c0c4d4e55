package io.scorepipe.worker.batch;

import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.batch.infrastructure.item.ItemProcessor;

import io.scorepipe.csv.Csv;
import io.scorepipe.registry.ServingModels;
import io.scorepipe.scoring.InvalidInputException;
import io.scorepipe.scoring.Scorer;
import io.scorepipe.worker.system.FileLayout;

/**
 * Validates and scores one line with the job's pinned model. A bad line is not an error: it
 * becomes a rejected outcome with its reason, and the step goes on. Not thread-safe: one per
 * partition.
 */
class LineScorer implements ItemProcessor<Lines.Raw, Lines.Outcome>, AutoCloseable {

    private final Scorer scorer;
    private final FileLayout layout;
    private final ServingModels.@Nullable Lease lease;
    /** The current line's characters, for {@link #unquoted}: a scorer serves one partition, on one thread. */
    private char[] chars = new char[256];
    /** Where each of the line's cells starts in {@link #chars}, and one past the end. */
    private final int[] starts;

    LineScorer(Scorer scorer, FileLayout layout) {
        this(scorer, layout, null);
    }

    private LineScorer(Scorer scorer, FileLayout layout, ServingModels.@Nullable Lease lease) {
        this.scorer = scorer;
        this.layout = layout;
        this.lease = lease;
        this.starts = new int[layout.columns().size() + 1];
    }

    /** Scores with a pinned version, held until {@link #close()}. */
    static LineScorer pinned(ServingModels.Lease lease, FileLayout layout) {
        return new LineScorer(lease.scorer(), layout, lease);
    }

    /** Lets go of the pinned version (the step scope calls it when the part ends). */
    @Override
    public void close() {
        if (lease != null) {
            lease.close();
        }
    }

    @Override
    public Lines.Outcome process(Lines.Raw line) {
        String unreadable = line.unreadable();
        if (unreadable != null) {
            return Lines.Outcome.rejected(line, unreadable);
        }
        String text = line.text();
        if (text.indexOf('"') < 0) {
            return unquoted(line, text);
        }
        List<String> cells;
        try {
            cells = Csv.split(line.text());
        }
        catch (IllegalArgumentException ex) {
            return Lines.Outcome.rejected(line, ex.getMessage());
        }
        if (cells.size() != layout.columns().size()) {
            return Lines.Outcome.rejected(line, "expected " + layout.columns().size() + " columns, got " + cells.size());
        }
        int[] columns = layout.featureColumns();
        double[] features = new double[columns.length];
        try {
            for (int i = 0; i < columns.length; i++) {
                features[i] = scorer.schema().parseCell(i, cells.get(columns[i]));
            }
            return Lines.Outcome.scored(line, features, scorer.scoreFinite(features));
        }
        catch (InvalidInputException ex) {
            return Lines.Outcome.rejected(line, ex.getMessage());
        }
    }

    /**
     * A line without quotes (most data lines), split and parsed in place: its characters are copied
     * once into an array this scorer keeps, and each feature is parsed from its range of it, with no
     * {@code String} per cell. Same outcomes, and the same messages, as the general path.
     */
    private Lines.Outcome unquoted(Lines.Raw line, String text) {
        int length = text.length();
        if (chars.length < length) {
            chars = new char[Math.max(length, chars.length * 2)];
        }
        text.getChars(0, length, chars, 0);
        int expected = layout.columns().size();
        // cell k is chars[starts[k], starts[k + 1] - 1): each start is one past a comma
        int cells = 1;
        starts[0] = 0;
        for (int i = 0; i < length; i++) {
            if (chars[i] == ',') {
                if (cells < expected) {
                    starts[cells] = i + 1;
                }
                cells++;
            }
        }
        if (cells != expected) {
            return Lines.Outcome.rejected(line, "expected " + expected + " columns, got " + cells);
        }
        starts[expected] = length + 1;
        int[] columns = layout.featureColumns();
        double[] features = new double[columns.length];
        try {
            for (int i = 0; i < columns.length; i++) {
                int column = columns[i];
                features[i] = scorer.schema().parseCell(i, chars, starts[column], starts[column + 1] - 1);
            }
            return Lines.Outcome.scored(line, features, scorer.scoreFinite(features));
        }
        catch (InvalidInputException ex) {
            return Lines.Outcome.rejected(line, ex.getMessage());
        }
    }
}
