package io.scorepipe.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tribuo.impl.ArrayExample;
import org.tribuo.regression.RegressionFactory;

import io.scorepipe.testing.Houses;

class ModelTrainerTests {

    private static final BundledSample SAMPLE = BundledSample.diabetes();

    @Test
    void bundledSampleHasTheDiabetesShape() {
        assertThat(SAMPLE.schema().names()).containsExactly("age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6");
        assertThat(SAMPLE.rows()).hasSize(442);
        assertThat(SAMPLE.rows().getFirst().target()).isEqualTo(151.0);
    }

    @ParameterizedTest(name = "split seed {0}")
    @ValueSource(longs = {3L, 5L, 8L, 11L})
    void reachesOrdinaryLeastSquaresOnHeldOutDiabetesRows(long splitSeed) {
        // given an 80/20 split with a fixed seed, and OLS fitted on the very same training rows
        HoldoutSplit split = HoldoutSplit.random(SAMPLE.rows(), 0.2, splitSeed);
        Metrics ols = Metrics.evaluate(OrdinaryLeastSquares.fit(SAMPLE.schema(), split.train()), split.test());

        // when
        TrainedModel trained = new ModelTrainer(TrainingConfig.DEFAULT).train(SAMPLE.schema(), split.train());
        Metrics sgd = Metrics.evaluate(trained.scorer(), split.test());

        // then
        assertThat(ols.r2()).as("OLS sanity check").isBetween(0.4, 0.6);
        assertThat(sgd.r2()).as("SGD R² vs OLS R² %.4f", ols.r2()).isCloseTo(ols.r2(), within(0.03));
        assertThat(sgd.rows()).isEqualTo(88);
    }

    @Test
    void sameDataAndSeedGiveTheSameModel() {
        var trainer = new ModelTrainer(TrainingConfig.DEFAULT.withEpochs(5));
        double[] row = SAMPLE.rows().get(3).features();

        double first = trainer.train(SAMPLE.schema(), SAMPLE.rows()).scorer().score(row);
        double second = trainer.train(SAMPLE.schema(), SAMPLE.rows()).scorer().score(row);

        assertThat(first).isEqualTo(second);
    }

    @Test
    void provenanceRecordsHowTheModelWasMade() {
        TrainedModel trained = new ModelTrainer(TrainingConfig.DEFAULT.withEpochs(2)).train(SAMPLE.schema(), SAMPLE.rows());

        assertThat(trained.provenance())
                .containsEntry("epochs", 2)
                .containsEntry("training_rows", 442)
                .containsKeys("training_data_sha256", "tribuo_provenance", "tribuo_version", "training_millis");
        assertThat(trained.provenance().get("training_data_sha256"))
                .isEqualTo(ModelTrainer.fingerprint(SAMPLE.rows()));
    }

    @ParameterizedTest(name = "split seed {0}")
    @ValueSource(longs = {3L, 5L, 8L})
    void reachesOrdinaryLeastSquaresOnRawUnscaledData(long splitSeed) {
        // given raw magnitudes (square feet in the thousands next to acres near zero) and a target
        // in the hundreds of thousands, and OLS fitted on the very same training rows
        HoldoutSplit split = HoldoutSplit.random(Houses.rows(), 0.2, splitSeed);
        Metrics ols = Metrics.evaluate(OrdinaryLeastSquares.fit(Houses.SCHEMA, split.train()), split.test());

        // when
        TrainedModel trained = new ModelTrainer(TrainingConfig.DEFAULT).train(Houses.SCHEMA, split.train());
        Metrics sgd = Metrics.evaluate(trained.scorer(), split.test());

        // then
        assertThat(ols.r2()).as("OLS sanity check").isGreaterThan(0.5);
        assertThat(sgd.r2()).as("SGD R² vs OLS R² %.4f", ols.r2()).isCloseTo(ols.r2(), within(0.03));
    }

    @Test
    void theFastScorerOfAStandardisedModelGivesTribuosOwnAnswers() {
        TrainedModel trained = new ModelTrainer(TrainingConfig.DEFAULT.withEpochs(5)).train(Houses.SCHEMA,
                Houses.rows().subList(0, 400));
        Scorer fast = trained.scorer();
        String[] names = Houses.FEATURES.toArray(String[]::new);

        assertThat(fast.getClass().getSimpleName()).isEqualTo("LinearScorer");
        for (var row : Houses.rows().subList(400, 500)) {
            double tribuo = trained.model().predict(new ArrayExample<>(RegressionFactory.UNKNOWN_REGRESSOR, names,
                    row.features())).getOutput().getValues()[0];
            assertThat(fast.score(row.features())).isEqualTo(tribuo);
        }
        // and it survives the registry's format
        Scorer decoded = Scorer.of(ModelCodec.fromBytes(trained.toBytes(), Houses.SCHEMA), Houses.SCHEMA);
        double[] row = Houses.rows().get(600).features();
        assertThat(decoded.score(row)).isEqualTo(fast.score(row));
    }

    @Test
    void constantColumnsAreNamedRatherThanLearntFrom() {
        List<LabelledRow> rows = List.of(new LabelledRow(new double[] {1, 5, 2}, 10), new LabelledRow(new double[] {2, 5, 2}, 11),
                new LabelledRow(new double[] {3, 5, 2}, 14));
        FeatureSchema schema = FeatureSchema.of("a", "b", "c");
        var trainer = new ModelTrainer(TrainingConfig.DEFAULT.withEpochs(1));

        org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(() -> trainer.train(schema, rows))
                .withMessage("features b, c have the same value in every training row, so nothing can be learnt from "
                        + "them; leave them out");
        List<LabelledRow> flat = List.of(new LabelledRow(new double[] {1}, 7), new LabelledRow(new double[] {2}, 7));
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> trainer.train(FeatureSchema.of("a"), flat))
                .withMessage("the target is 7.0 in every training row; there is nothing to predict");
    }
}
