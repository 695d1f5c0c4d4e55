package io.scorepipe.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.baseline.DummyClassifierTrainer;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.regression.Regressor;

class ModelCodecTests {

    private static BundledSample sample;
    private static TrainedModel trained;

    @BeforeAll
    static void train() {
        sample = BundledSample.diabetes();
        trained = new ModelTrainer(TrainingConfig.DEFAULT.withEpochs(10)).train(sample.schema(), sample.rows());
    }

    @Test
    void aSerializedModelLoadsBackAndPredictsIdentically() {
        // when
        Model<Regressor> loaded = ModelCodec.fromBytes(trained.toBytes(), sample.schema());

        // then
        Scorer original = trained.scorer();
        Scorer reloaded = Scorer.of(loaded, sample.schema());
        Scorer reloadedThroughTribuo = new TribuoScorer(loaded, sample.schema());
        for (LabelledRow row : sample.rows()) {
            assertThat(reloaded.score(row.features())).isEqualTo(original.score(row.features()));
            assertThat(reloadedThroughTribuo.score(row.features()))
                    .isEqualTo(new TribuoScorer(trained.model(), sample.schema()).score(row.features()));
        }
    }

    @Test
    void garbageBytesGiveAClearError() {
        byte[] garbage = "this is not a model".getBytes();

        assertThatThrownBy(() -> ModelCodec.fromBytes(garbage, sample.schema()))
                .isInstanceOf(ModelException.class)
                .hasMessageStartingWith("the model bytes ");
    }

    @Test
    void truncatedBytesGiveAClearError() {
        byte[] bytes = trained.toBytes();
        byte[] truncated = Arrays.copyOf(bytes, bytes.length / 2);

        assertThatThrownBy(() -> ModelCodec.fromBytes(truncated, sample.schema()))
                .isInstanceOf(ModelException.class)
                .hasMessageStartingWith("the model bytes ");
    }

    @Test
    void emptyBytesGiveAClearError() {
        assertThatThrownBy(() -> ModelCodec.fromBytes(new byte[0], sample.schema()))
                .isInstanceOf(ModelException.class)
                .hasMessage("the model is empty (0 bytes)");
    }

    @Test
    void aClassificationModelIsRefused() {
        // given a real Tribuo model of the wrong output type
        var factory = new LabelFactory();
        var data = new MutableDataset<>(new SimpleDataSourceProvenance("labels", factory), factory);
        data.add(new ArrayExample<>(new Label("yes"), new String[] {"age"}, new double[] {1.0}));
        data.add(new ArrayExample<>(new Label("no"), new String[] {"age"}, new double[] {2.0}));
        byte[] bytes = DummyClassifierTrainer.createMostFrequentTrainer().train(data).serialize().toByteArray();

        assertThatThrownBy(() -> ModelCodec.fromBytes(bytes, sample.schema()))
                .isInstanceOf(ModelException.class)
                .hasMessage("the model predicts Label, but a regression model (Regressor) is required");
    }

    @Test
    void featuresOutsideTheRegisteredSchemaAreRefused() {
        FeatureSchema other = FeatureSchema.of(List.of("age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "weight"));

        assertThatThrownBy(() -> ModelCodec.fromBytes(trained.toBytes(), other))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("uses features [s6] that its registered schema");
    }
}
