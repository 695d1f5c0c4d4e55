package io.scorepipe.worker.batch;

import java.util.List;

import org.springframework.batch.infrastructure.item.ItemProcessor;

import io.scorepipe.scoring.InvalidInputException;
import io.scorepipe.scoring.Scorer;
import io.scorepipe.worker.system.Csv;
import io.scorepipe.worker.system.FileLayout;

/**
 * Validates and scores one line with the job's pinned model. A bad line is not an error: it
 * becomes a rejected outcome with its reason, and the step goes on.
 */
class LineScorer implements ItemProcessor<Lines.Raw, Lines.Outcome> {

    private final Scorer scorer;
    private final FileLayout layout;

    LineScorer(Scorer scorer, FileLayout layout) {
        this.scorer = scorer;
        this.layout = layout;
    }

    @Override
    public Lines.Outcome process(Lines.Raw line) {
        String unreadable = line.unreadable();
        if (unreadable != null) {
            return Lines.Outcome.rejected(line, unreadable);
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
}
