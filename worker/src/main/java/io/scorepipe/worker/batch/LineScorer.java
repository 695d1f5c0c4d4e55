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
 * becomes a rejected outcome with its reason, and the step goes on.
 */
class LineScorer implements ItemProcessor<Lines.Raw, Lines.Outcome>, AutoCloseable {

    private final Scorer scorer;
    private final FileLayout layout;
    private final ServingModels.@Nullable Lease lease;

    LineScorer(Scorer scorer, FileLayout layout) {
        this(scorer, layout, null);
    }

    private LineScorer(Scorer scorer, FileLayout layout, ServingModels.@Nullable Lease lease) {
        this.scorer = scorer;
        this.layout = layout;
        this.lease = lease;
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
