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

    private static final String M = ModelNames.SAMPLE;

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
        registry.createModel(new NewModel(M, trained.schema().names(), "target", "sample"), () -> { });
    }

    @AfterEach
    void close() {
        dataSource.close();
    }

    @Test
    void registersNumberedCandidatesWithTheirMetadata() {
        // when
        ModelVersion first = registry.register(M, newModel(0.5));
        ModelVersion second = registry.register(M, newModel(0.6));

        // then
        assertThat(first.label()).isEqualTo("v1");
        assertThat(second.label()).isEqualTo("v2");
        assertThat(second.status()).isEqualTo(ModelStatus.CANDIDATE);
        assertThat(second.featureNames()).containsExactly("age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6");
        assertThat(second.metrics()).containsEntry("r2", 0.6);
        assertThat(second.provenance()).containsKey("training_data_sha256");
        assertThat(second.trainingRows()).isEqualTo(442);
        assertThat(second.promotedAt()).isNull();
        assertThat(registry.list(M)).extracting(ModelVersion::label).containsExactly("v2", "v1");
        assertThat(registry.champion(M)).isEmpty();
    }

    @Test
    void storedModelsLoadAndScoreLikeTheOriginal() {
        registry.register(M, newModel(0.5));
        double[] row = BundledSample.diabetes().rows().get(10).features();

        StoredModel stored = registry.load(M, "v1").orElseThrow();

        assertThat(stored.scorer().score(row)).isEqualTo(trained.scorer().score(row));
        assertThat(registry.load(M, "v9")).isEmpty();
    }

    @Test
    void promotionRetiresThePreviousChampionAndRollbackRestoresIt() {
        registry.register(M, newModel(0.5));
        registry.register(M, newModel(0.6));
        registry.promote(M, "v1", "first", "test");

        // when
        ModelVersion promoted = registry.promote(M, "v2", "better", "test");

        // then
        assertThat(promoted.status()).isEqualTo(ModelStatus.CHAMPION);
        assertThat(promoted.promotedAt()).isNotNull();
        assertThat(registry.find(M, "v1").orElseThrow().status()).isEqualTo(ModelStatus.RETIRED);
        assertThat(registry.championLabels().get(M)).contains("v2");

        // when
        ModelVersion restored = registry.rollback(M, "v2 misbehaves", "test");

        // then
        assertThat(restored.label()).isEqualTo("v1");
        assertThat(registry.championLabels().get(M)).contains("v1");
        assertThat(registry.find(M, "v2").orElseThrow().status()).isEqualTo(ModelStatus.RETIRED);
        assertThat(JdbcClient.create(dataSource).sql("SELECT reason FROM model_promotions ORDER BY id").query(String.class).list())
                .containsExactly("first", "better", "v2 misbehaves");
    }

    @Test
    void promotingTheChampionAgainChangesNothing() {
        registry.register(M, newModel(0.5));
        ModelVersion first = registry.promote(M, "v1", "first", "test");

        ModelVersion again = registry.promote(M, "v1", "again", "test");

        assertThat(again.promotedAt()).isEqualTo(first.promotedAt());
        assertThat(JdbcClient.create(dataSource).sql("SELECT count(*) FROM model_promotions").query(Integer.class).single()).isOne();
    }

    @Test
    void unknownVersionsAndEmptyHistoryAreClearErrors() {
        assertThatThrownBy(() -> registry.promote(M, "v7", "x", "test"))
                .isInstanceOf(UnknownModelVersionException.class)
                .hasMessage("model 'diabetes' has no version 'v7'");
        registry.register(M, newModel(0.5));
        registry.promote(M, "v1", "first", "test");
        assertThatIllegalStateException().isThrownBy(() -> registry.rollback(M, "x", "test"))
                .withMessageStartingWith("nothing to roll back to");
    }

    @Test
    void concurrentPromotesLeaveExactlyOneChampion() throws Exception {
        // given five versions and sixteen threads, each with its own connection pool like a process
        for (int i = 0; i < 5; i++) {
            registry.register(M, newModel(0.5));
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
                                other.promote(M, "v" + (1 + random.nextInt(5)), "race", "test");
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
        assertThat(registry.list(M)).filteredOn(v -> v.status() == ModelStatus.CHAMPION).hasSize(1);
    }

    @Test
    void theDatabaseItselfRefusesASecondChampion() {
        registry.register(M, newModel(0.5));
        registry.register(M, newModel(0.5));
        registry.promote(M, "v1", "first", "test");

        assertThatThrownBy(() -> JdbcClient.create(dataSource)
                .sql("UPDATE model_versions SET status = 'champion' WHERE version = 2").update())
                .hasMessageContaining("model_versions_one_champion");
    }

    @Test
    void modelsSideBySideHaveTheirOwnVersionsChampionsAndHistory() {
        // given a second model with a schema of its own
        registry.createModel(new NewModel("houses", List.of("sqft", "rooms"), "price", "csv"), () -> { });
        registry.register(M, newModel(0.5));
        registry.register(M, newModel(0.5));
        registry.promote(M, "v1", "first", "test");
        registry.promote(M, "v2", "second", "test");

        // when
        ModelVersion houses = registry.register("houses", newModel(0.7));
        registry.promote("houses", "v1", "its first", "test");

        // then: numbered from 1 again, one champion per model, histories apart
        assertThat(houses.model()).isEqualTo("houses");
        assertThat(houses.label()).isEqualTo("v1");
        assertThat(registry.championLabels()).containsEntry(M, java.util.Optional.of("v2"))
                .containsEntry("houses", java.util.Optional.of("v1"));
        assertThat(registry.promotions("houses", 0, 10)).extracting(Promotion::reason).containsExactly("its first");
        assertThat(registry.models()).extracting(ModelInfo::name, ModelInfo::champion, ModelInfo::versions)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(M, "v2", 2),
                        org.assertj.core.groups.Tuple.tuple("houses", "v1", 1));
        assertThat(registry.model("houses").orElseThrow().featureNames()).containsExactly("sqft", "rooms");

        // when diabetes rolls back, houses is untouched
        registry.rollback(M, "undo", "test");
        assertThat(registry.championLabels()).containsEntry(M, java.util.Optional.of("v1"))
                .containsEntry("houses", java.util.Optional.of("v1"));
        assertThatIllegalStateException().isThrownBy(() -> registry.rollback("houses", "x", "test"))
                .withMessageContaining("no version of houses was champion before");
    }

    @Test
    void aTakenNameOrAnUnknownModelIsAClearErrorAndChangesNothing() {
        boolean[] ran = {false};
        assertThatThrownBy(() -> registry.createModel(new NewModel(M, List.of("x"), null, "csv"), () -> ran[0] = true))
                .isInstanceOf(ModelNameTakenException.class).hasMessageContaining("a model named 'diabetes' exists already");
        assertThat(ran[0]).isFalse();
        assertThatThrownBy(() -> registry.register("nope", newModel(0.5))).isInstanceOf(UnknownModelException.class)
                .hasMessageContaining("no model named 'nope'");
        assertThat(registry.championLabels()).doesNotContainKey("nope");
    }

    @Test
    void aModelCreatedWithWorkThatFailsLeavesNoTrace() {
        assertThatThrownBy(() -> registry.createModel(new NewModel("houses", List.of("sqft"), "price", "csv"), () -> {
            throw new IllegalStateException("the examples could not be stored");
        })).hasMessage("the examples could not be stored");
        assertThat(registry.model("houses")).isEmpty();
    }

    private int countChampions() {
        return JdbcClient.create(dataSource).sql("SELECT count(*) FROM model_versions WHERE status = 'champion'")
                .query(Integer.class).single();
    }

    private static NewModelVersion newModel(double r2) {
        return NewModelVersion.of(trained, Map.of("r2", r2), 442);
    }
}
