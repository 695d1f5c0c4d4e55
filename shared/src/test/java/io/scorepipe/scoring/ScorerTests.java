package io.scorepipe.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ScorerTests {

    private static BundledSample sample;
    private static TrainedModel trained;

    @BeforeAll
    static void train() {
        sample = BundledSample.diabetes();
        trained = new ModelTrainer(TrainingConfig.DEFAULT).train(sample.schema(), sample.rows());
    }

    @Test
    void linearModelsGetTheFastScorer() {
        assertThat(trained.scorer()).isInstanceOf(LinearScorer.class);
    }

    @Test
    void fastScorerEqualsTribuosOwnPredictOnRandomRows() {
        // given Tribuo's own predict as the reference
        Scorer reference = new TribuoScorer(trained.model(), sample.schema());
        Scorer fast = trained.scorer();
        double[][] rows = randomRows(10_000, 1L);

        // when
        double[] batch = fast.scoreAll(rows);

        // then: single and batch calls agree with Tribuo within 1e-9 relative
        for (int i = 0; i < rows.length; i++) {
            double expected = reference.score(rows[i]);
            assertThat(relativeError(fast.score(rows[i]), expected)).as("row %d", i).isLessThanOrEqualTo(1e-9);
            assertThat(relativeError(batch[i], expected)).as("batch row %d", i).isLessThanOrEqualTo(1e-9);
        }
    }

    @Test
    void scoringIsSafeFromManyThreads() throws Exception {
        Scorer scorer = trained.scorer();
        double[][] rows = randomRows(2_000, 2L);
        double[] expected = scorer.scoreAll(rows);

        List<Future<double[]>> results = new ArrayList<>();
        try (var pool = Executors.newFixedThreadPool(8)) {
            for (int t = 0; t < 8; t++) {
                results.add(pool.submit(() -> scorer.scoreAll(rows)));
            }
        }
        for (Future<double[]> result : results) {
            assertThat(result.get()).containsExactly(expected);
        }
    }

    @Test
    void wrongWidthIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> trained.scorer().score(new double[3]))
                .withMessage("expected 10 values, got 3");
        assertThatIllegalArgumentException().isThrownBy(() -> trained.scorer().scoreAll(new double[2][10], new double[1]));
    }

    @Test
    void aPredictionPastTheRangeOfADoubleIsTheCallersProblem() {
        // given finite features so large that the weighted sum overflows
        double[] huge = new double[10];
        Arrays.fill(huge, 1e308);
        double[] alternating = huge.clone();
        for (int i = 1; i < alternating.length; i += 2) {
            alternating[i] = -1e308;
        }

        assertThat(Double.isFinite(trained.scorer().score(huge))).isFalse();
        for (double[] row : List.of(huge, alternating)) {
            InvalidInputException ex = catchThrowableOfType(InvalidInputException.class, () -> trained.scorer().scoreFinite(row));
            assertThat(ex).hasMessageStartingWith("the features are too large for the model: their prediction is ")
                    .hasMessageContaining("not a finite number");
            assertThat(ex.errors()).singleElement().extracting(InvalidInputException.FieldError::field).isEqualTo("features");
        }
        double[] ordinary = sample.rows().getFirst().features();
        assertThat(trained.scorer().scoreFinite(ordinary)).isEqualTo(trained.scorer().score(ordinary));
    }

    private static double[][] randomRows(int count, long seed) {
        Random random = new Random(seed);
        double[][] rows = new double[count][sample.schema().size()];
        for (double[] row : rows) {
            for (int j = 0; j < row.length; j++) {
                // the sample's scale, with the odd wild value and exact zero
                row[j] = switch (random.nextInt(20)) {
                    case 0 -> 0.0;
                    case 1 -> random.nextGaussian() * 100;
                    default -> random.nextGaussian() * 0.05;
                };
            }
        }
        return rows;
    }

    private static double relativeError(double actual, double expected) {
        return Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-300);
    }
}
