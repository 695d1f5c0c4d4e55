package io.scorepipe.worker.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.zaxxer.hikari.HikariDataSource;

import io.scorepipe.registry.ModelRegistry;
import io.scorepipe.registry.NewModelVersion;
import io.scorepipe.registry.UnknownModelVersionException;
import io.scorepipe.scoring.BundledSample;
import io.scorepipe.scoring.ModelTrainer;
import io.scorepipe.scoring.TrainingConfig;
import io.scorepipe.testing.TestDatabases;

/** The versions jobs are pinned to, kept decoded only as many as {@link ModelPins#KEPT}, against a real registry. */
class ModelPinsIT {

    static final BundledSample SAMPLE = BundledSample.diabetes();

    private HikariDataSource dataSource;
    private ModelRegistry registry;

    @BeforeEach
    void registry() {
        dataSource = TestDatabases.migrated("pins");
        registry = ModelRegistry.create(dataSource);
    }

    @AfterEach
    void close() {
        dataSource.close();
    }

    @Test
    void manyVersionsKeepABoundedNumberDecodedAndAnyOfThemStillScores() {
        // given more versions than are kept, each trained differently
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < ModelPins.KEPT + 4; i++) {
            TrainingConfig config = new TrainingConfig(1 + i % 3, TrainingConfig.DEFAULT.learningRate(),
                    TrainingConfig.DEFAULT.epsilon(), TrainingConfig.DEFAULT.minibatchSize(), i);
            var trained = new ModelTrainer(config).train(SAMPLE.schema(), SAMPLE.rows());
            labels.add(registry.register(NewModelVersion.of(trained, Map.of("r2", 0.5), 442)).label());
        }
        ModelPins pins = new ModelPins(registry);
        double[] row = SAMPLE.rows().getFirst().features();

        // when every version is asked for
        for (String label : labels) {
            pins.scorer(label);
        }

        // then only the most recent ones stay decoded, and the first, let go, scores as its stored model does
        assertThat(pins.kept()).isEqualTo(ModelPins.KEPT);
        String first = labels.getFirst();
        double expected = registry.load(first).orElseThrow().scorer().score(row);
        assertThat(pins.scorer(first).score(row)).isEqualTo(expected);
        assertThat(pins.kept()).isEqualTo(ModelPins.KEPT);
        assertThatThrownBy(() -> pins.scorer("v999")).isInstanceOf(UnknownModelVersionException.class);
    }
}
