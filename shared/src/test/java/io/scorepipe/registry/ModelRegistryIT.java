package io.scorepipe.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.zaxxer.hikari.HikariDataSource;

import io.scorepipe.scoring.BundledSample;
import io.scorepipe.scoring.ModelTrainer;
import io.scorepipe.scoring.TrainedModel;
import io.scorepipe.scoring.TrainingConfig;
import io.scorepipe.testing.TestDatabases;
import io.scorepipe.testing.TestServices;

class ModelRegistryIT {

    private static TrainedModel trained;
    private TestServices.IsolatedSchema schema;
    private HikariDataSource dataSource;
    private ModelRegistry registry;

    @BeforeAll
    static void train() {
        BundledSample sample = BundledSample.diabetes();
        trained = new ModelTrainer(TrainingConfig.DEFAULT.withEpochs(5)).train(sample.schema(), sample.rows());
    }

    @BeforeEach
    void freshRegistry() {
        schema = TestServices.isolatedSchema("registry");
        dataSource = TestDatabases.pool(schema);
        TestDatabases.flyway(dataSource).migrate();
        registry = ModelRegistry.create(dataSource);
    }

    @AfterEach
    void close() {
        dataSource.close();
    }

    @Test
    void registersNumberedCandidatesWithTheirMetadata() {
        // when
        ModelVersion first = registry.register(newModel(0.5));
        ModelVersion second = registry.register(newModel(0.6));

        // then
        assertThat(first.label()).isEqualTo("v1");
        assertThat(second.label()).isEqualTo("v2");
        assertThat(second.status()).isEqualTo(ModelStatus.CANDIDATE);
        assertThat(second.featureNames()).containsExactly("age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6");
        assertThat(second.metrics()).containsEntry("r2", 0.6);
        assertThat(second.provenance()).containsKey("training_data_sha256");
        assertThat(second.trainingRows()).isEqualTo(442);
        assertThat(second.promotedAt()).isNull();
        assertThat(registry.list()).extracting(ModelVersion::label).containsExactly("v2", "v1");
        assertThat(registry.champion()).isEmpty();
    }

    @Test
    void storedModelsLoadAndScoreLikeTheOriginal() {
        registry.register(newModel(0.5));
        double[] row = BundledSample.diabetes().rows().get(10).features();

        StoredModel stored = registry.load("v1").orElseThrow();

        assertThat(stored.scorer().score(row)).isEqualTo(trained.scorer().score(row));
        assertThat(registry.load("v9")).isEmpty();
    }

    @Test
    void promotionRetiresThePreviousChampionAndRollbackRestoresIt() {
        registry.register(newModel(0.5));
        registry.register(newModel(0.6));
        registry.promote("v1", "first", "test");

        // when
        ModelVersion promoted = registry.promote("v2", "better", "test");

        // then
        assertThat(promoted.status()).isEqualTo(ModelStatus.CHAMPION);
        assertThat(promoted.promotedAt()).isNotNull();
        assertThat(registry.find("v1").orElseThrow().status()).isEqualTo(ModelStatus.RETIRED);
        assertThat(registry.championLabel()).contains("v2");

        // when
        ModelVersion restored = registry.rollback("v2 misbehaves", "test");

        // then
        assertThat(restored.label()).isEqualTo("v1");
        assertThat(registry.championLabel()).contains("v1");
        assertThat(registry.find("v2").orElseThrow().status()).isEqualTo(ModelStatus.RETIRED);
        assertThat(JdbcClient.create(dataSource).sql("SELECT reason FROM model_promotions ORDER BY id").query(String.class).list())
                .containsExactly("first", "better", "v2 misbehaves");
    }

    @Test
    void promotingTheChampionAgainChangesNothing() {
        registry.register(newModel(0.5));
        ModelVersion first = registry.promote("v1", "first", "test");

        ModelVersion again = registry.promote("v1", "again", "test");

        assertThat(again.promotedAt()).isEqualTo(first.promotedAt());
        assertThat(JdbcClient.create(dataSource).sql("SELECT count(*) FROM model_promotions").query(Integer.class).single()).isOne();
    }

    @Test
    void unknownVersionsAndEmptyHistoryAreClearErrors() {
        assertThatThrownBy(() -> registry.promote("v7", "x", "test"))
                .isInstanceOf(UnknownModelVersionException.class)
                .hasMessage("no model version 'v7' is registered");
        registry.register(newModel(0.5));
        registry.promote("v1", "first", "test");
        assertThatIllegalStateException().isThrownBy(() -> registry.rollback("x", "test"))
                .withMessageStartingWith("nothing to roll back to");
    }

    @Test
    void concurrentPromotesLeaveExactlyOneChampion() throws Exception {
        // given five versions and sixteen threads, each with its own connection pool like a process
        for (int i = 0; i < 5; i++) {
            registry.register(newModel(0.5));
        }
        int threads = 16;
        CountDownLatch start = new CountDownLatch(1);
        List<HikariDataSource> pools = new ArrayList<>();
        List<Future<?>> results = new ArrayList<>();
        try {
            // every pool before any thread: a pool that fails to open must not leave threads waiting at the start
            for (int t = 0; t < threads; t++) {
                pools.add(TestDatabases.pool(schema));
            }
            try (var executor = Executors.newFixedThreadPool(threads)) {
                try {
                    for (int t = 0; t < threads; t++) {
                        ModelRegistry other = ModelRegistry.create(pools.get(t));
                        Random random = new Random(t);
                        results.add(executor.submit(() -> {
                            start.await();
                            for (int i = 0; i < 20; i++) {
                                other.promote("v" + (1 + random.nextInt(5)), "race", "test");
                                assertThat(countChampions()).isOne();
                            }
                            return null;
                        }));
                    }
                }
                finally {
                    // when (and also if submitting failed: the executor's close waits for the submitted ones)
                    start.countDown();
                }
                for (Future<?> result : results) {
                    result.get();
                }
            }
        }
        finally {
            pools.forEach(HikariDataSource::close);
        }

        // then
        assertThat(countChampions()).isOne();
        assertThat(registry.list()).filteredOn(v -> v.status() == ModelStatus.CHAMPION).hasSize(1);
    }

    @Test
    void theDatabaseItselfRefusesASecondChampion() {
        registry.register(newModel(0.5));
        registry.register(newModel(0.5));
        registry.promote("v1", "first", "test");

        assertThatThrownBy(() -> JdbcClient.create(dataSource)
                .sql("UPDATE model_versions SET status = 'champion' WHERE version = 2").update())
                .hasMessageContaining("model_versions_one_champion");
    }

    private int countChampions() {
        return JdbcClient.create(dataSource).sql("SELECT count(*) FROM model_versions WHERE status = 'champion'")
                .query(Integer.class).single();
    }

    private static NewModelVersion newModel(double r2) {
        return NewModelVersion.of(trained, Map.of("r2", r2), 442);
    }
}
