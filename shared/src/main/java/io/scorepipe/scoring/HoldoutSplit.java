package io.scorepipe.scoring;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * A training set and the held-out rows a model is judged on.
 *
 * @param train rows to learn from
 * @param test rows kept apart for evaluation
 */
public record HoldoutSplit(List<LabelledRow> train, List<LabelledRow> test) {

    public HoldoutSplit {
        train = List.copyOf(train);
        test = List.copyOf(test);
        if (train.isEmpty() || test.isEmpty()) {
            throw new IllegalArgumentException("a split needs rows on both sides, got " + train.size()
                    + " to train and " + test.size() + " to test");
        }
    }

    /**
     * Shuffles with {@code seed} and holds out {@code testFraction} of the rows: the same rows
     * and seed always give the same split.
     */
    public static HoldoutSplit random(List<LabelledRow> rows, double testFraction, long seed) {
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("testFraction must be between 0 and 1, got " + testFraction);
        }
        List<LabelledRow> shuffled = new ArrayList<>(rows);
        Collections.shuffle(shuffled, new Random(seed));
        int testSize = (int) Math.round(rows.size() * testFraction);
        return new HoldoutSplit(shuffled.subList(testSize, shuffled.size()), shuffled.subList(0, testSize));
    }
}
