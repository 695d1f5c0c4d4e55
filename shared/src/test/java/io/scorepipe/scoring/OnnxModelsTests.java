package io.scorepipe.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tribuo.MutableDataset;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.sgd.linear.LinearSGDModel;
import org.tribuo.regression.sgd.linear.LinearSGDTrainer;
import org.tribuo.regression.sgd.objectives.SquaredLoss;

import io.scorepipe.testing.Houses;

/** ONNX Runtime behind the Scorer interface, against scikit-learn's own predictions and Tribuo's export. */
class OnnxModelsTests {

    private static final double TOLERANCE = 1e-5;

    @ParameterizedTest(name = "{0}")
    @CsvSource({"houses-gbt.onnx, gbt", "houses-linear-f64.onnx, linear"})
    void predictsWhatScikitLearnPredicted(String file, String column) {
        // given a model that names its features in its metadata
        ToDoubleFunction<Houses.Expected> expected = column.equals("gbt") ? Houses.Expected::gbt : Houses.Expected::linear;
        List<Houses.Expected> rows = Houses.expected();

        // when
        try (Scorer scorer = OnnxModels.open(Houses.bytes(file), null)) {
            double[] batch = scorer.scoreAll(rows.stream().map(Houses.Expected::features).toArray(double[][]::new));

            // then: as one batch and row by row, within 1e-5 relative of scikit-learn
            assertThat(scorer.schema().names()).containsExactlyElementsOf(Houses.FEATURES);
            for (int i = 0; i < rows.size(); i++) {
                double want = expected.applyAsDouble(rows.get(i));
                assertThat(relative(batch[i], want)).as("row %d batch", rows.get(i).id()).isLessThan(TOLERANCE);
                assertThat(relative(scorer.score(rows.get(i).features()), want)).as("row %d alone", rows.get(i).id())
                        .isLessThan(TOLERANCE);
            }
        }
    }

    @Test
    void aFloatModelWithoutMetadataTakesTheFeaturesTheCallerNames() {
        List<Houses.Expected> rows = Houses.expected();

        assertThatThrownBy(() -> OnnxModels.open(Houses.bytes("houses-linear-f32.onnx"), null))
                .isInstanceOf(ModelException.class).hasMessageContaining("does not name its features")
                .hasMessageContaining("features=a,b,c");
        try (Scorer scorer = OnnxModels.open(Houses.bytes("houses-linear-f32.onnx"), Houses.FEATURES)) {
            for (Houses.Expected row : rows) {
                assertThat(relative(scorer.score(row.features()), row.linear())).isLessThan(TOLERANCE);
            }
        }
    }

    @Test
    void aModelRegisteredUnderAnotherFeatureOrderGetsItsColumnsRightAnyway() {
        // given the model's schema in another order than the file's input columns
        List<String> reversed = new ArrayList<>(Houses.FEATURES).reversed();
        Houses.Expected row = Houses.expected().getFirst();
        double[] reorderedRow = new double[row.features().length];
        for (int i = 0; i < reorderedRow.length; i++) {
            reorderedRow[i] = row.features()[Houses.FEATURES.indexOf(reversed.get(i))];
        }

        try (Scorer scorer = OnnxModels.scorer(Houses.bytes("houses-gbt.onnx"), FeatureSchema.of(reversed),
                Houses.FEATURES)) {
            assertThat(relative(scorer.score(reorderedRow), row.gbt())).isLessThan(TOLERANCE);
        }
    }

    @Test
    void aTribuoModelExportedToOnnxByTribuoPredictsTheSameWhenImportedBack() {
        // given a linear model trained by Tribuo on raw data, and Tribuo's own ONNX export of it
        var factory = new RegressionFactory();
        var dataset = new MutableDataset<>(new SimpleDataSourceProvenance("houses", factory), factory);
        String[] names = Houses.FEATURES.toArray(String[]::new);
        List<double[]> features = new ArrayList<>();
        for (var row : Houses.rows().subList(0, 640)) {
            dataset.add(new ArrayExample<>(new Regressor("price", row.target()), names, row.features()));
            features.add(row.features());
        }
        LinearSGDModel model = new LinearSGDTrainer(new SquaredLoss(), new AdaGrad(0.5, 0.1), 5, 1L).train(dataset);
        byte[] onnx = model.exportONNXModel("io.scorepipe.test", 1).toByteArray();
        List<String> inTribuoOrder = ModelCodec.featureNames(model);

        // when
        try (Scorer imported = OnnxModels.open(onnx, inTribuoOrder)) {
            Scorer tribuo = Scorer.of(model, FeatureSchema.of(inTribuoOrder));
            // then
            for (double[] row : features.subList(0, 50)) {
                double[] ordered = new double[row.length];
                for (int i = 0; i < ordered.length; i++) {
                    ordered[i] = row[Houses.FEATURES.indexOf(inTribuoOrder.get(i))];
                }
                assertThat(relative(imported.score(ordered), tribuo.score(ordered))).isLessThan(TOLERANCE);
            }
        }
    }

    @Test
    void filesThatDoNotFitAreRefusedWithTheReason() {
        byte[] gbt = Houses.bytes("houses-gbt.onnx");
        assertThatThrownBy(() -> OnnxModels.open(Arrays.copyOf(gbt, gbt.length / 2), null))
                .isInstanceOf(ModelException.class).hasMessageStartingWith("ONNX Runtime could not load the model");
        assertThatThrownBy(() -> OnnxModels.open(new byte[0], null)).hasMessage("the model file is empty (0 bytes)");
        assertThatThrownBy(() -> OnnxModels.open(Houses.bytes("bad-two-inputs.onnx"), null))
                .isInstanceOf(ModelException.class).hasMessageStartingWith("the model has 2 inputs ('a' FLOAT [N, 3], 'b'");
        assertThatThrownBy(() -> OnnxModels.open(Houses.bytes("bad-two-outputs.onnx"), null))
                .isInstanceOf(ModelException.class).hasMessageStartingWith("the model has 2 outputs");
        assertThatThrownBy(() -> OnnxModels.open(Houses.bytes("bad-string-input.onnx"), null))
                .isInstanceOf(ModelException.class).hasMessageContaining("STRING").hasMessageContaining("float or double");
        assertThatThrownBy(() -> OnnxModels.open(gbt, Houses.FEATURES.subList(0, 5)))
                .isInstanceOf(ModelException.class)
                .hasMessage("the model's input 'input' takes 6 features per row, but 5 feature names were given: "
                        + Houses.FEATURES.subList(0, 5));
        assertThatThrownBy(() -> OnnxModels.open(gbt, List.of("a", "b", "c", "d", "e", "a")))
                .isInstanceOf(ModelException.class).hasMessageContaining("feature 'a' is named twice");
    }

    @Test
    void aProbeFindsAModelWhoseAnswersAreNotNumbers() {
        try (Scorer nonFinite = OnnxModels.open(Houses.bytes("bad-nonfinite.onnx"), null);
                Scorer gbt = OnnxModels.open(Houses.bytes("houses-gbt.onnx"), null)) {
            assertThatThrownBy(() -> ModelFiles.probe(nonFinite, ModelFiles.plainProbes(6)))
                    .isInstanceOf(ModelException.class)
                    .hasMessage("the model's prediction for probe row 1 of 3 is Infinity, not a finite number");
            ModelFiles.probe(gbt, ModelFiles.plainProbes(6));
        }
    }

    @Test
    void theFormatIsTakenFromTheCallerTheNameOrTheBytes() {
        byte[] tribuo = ModelCodec.toBytes(new ModelTrainer(TrainingConfig.DEFAULT.withEpochs(1))
                .train(Houses.SCHEMA, Houses.rows().subList(0, 50)).model());

        assertThat(ModelFormat.of(null, "model.onnx", new byte[] {1})).isEqualTo(ModelFormat.ONNX);
        assertThat(ModelFormat.of(null, "model.bin", tribuo)).isEqualTo(ModelFormat.TRIBUO);
        assertThat(ModelFormat.of(null, null, Houses.bytes("houses-gbt.onnx"))).isEqualTo(ModelFormat.ONNX);
        assertThat(ModelFormat.of("tribuo", "x.onnx", new byte[0])).isEqualTo(ModelFormat.TRIBUO);
        assertThatThrownBy(() -> ModelFormat.of("pickle", null, new byte[0])).isInstanceOf(InvalidInputException.class)
                .hasMessage("format must be onnx or tribuo, got 'pickle'");
    }

    private static double relative(double actual, double expected) {
        return Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-12);
    }
}
