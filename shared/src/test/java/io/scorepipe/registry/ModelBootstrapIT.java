package io.scorepipe.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.zaxxer.hikari.HikariDataSource;

import io.scorepipe.scoring.BundledSample;
import io.scorepipe.scoring.ModelException;
import io.scorepipe.scoring.ModelTrainer;
import io.scorepipe.scoring.TrainedModel;
import io.scorepipe.scoring.TrainingConfig;
import io.scorepipe.testing.TestDatabases;
import io.scorepipe.testing.TestServices;

class ModelBootstrapIT {

    @Test
    void processesStartingAtOnceMakeExactlyOneVersionOne() throws Exception {
        // given an empty registry and four starters, each with its own pool as separate processes have
        TestServices.IsolatedSchema schema = TestServices.isolatedSchema("bootstrap");
        int starters = 4;
        List<HikariDataSource> pools = new ArrayList<>();
        for (int i = 0; i < starters; i++) {
            pools.add(TestDatabases.pool(schema));
        }
        TestDatabases.flyway(pools.getFirst()).migrate();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Optional<ModelVersion>>> outcomes = new ArrayList<>();
        try (var executor = Executors.newFixedThreadPool(starters)) {
            for (HikariDataSource pool : pools) {
                ModelBootstrap bootstrap = new ModelBootstrap(ModelRegistry.create(pool), new TrainingExamples(pool), TrainingConfig.DEFAULT);
                outcomes.add(executor.submit(() -> {
                    start.await();
                    return bootstrap.ensureChampion();
                }));
            }
            // when
            start.countDown();
            List<Optional<ModelVersion>> created = new ArrayList<>();
            for (Future<Optional<ModelVersion>> outcome : outcomes) {
                created.add(outcome.get());
            }

            // then exactly one starter created v1, and the registry holds exactly it, as champion
            assertThat(created).filteredOn(Optional::isPresent).hasSize(1);
            ModelRegistry registry = ModelRegistry.create(pools.getFirst());
            assertThat(registry.list(ModelNames.SAMPLE)).singleElement().satisfies(version -> {
                assertThat(version.label()).isEqualTo("v1");
                assertThat(version.status()).isEqualTo(ModelStatus.CHAMPION);
                assertThat(version.metrics()).containsKeys("rmse", "mae", "r2");
                assertThat((Double) version.metrics().get("r2")).isGreaterThan(0.3);
                assertThat(version.trainingRows()).isEqualTo(354);
            });
            assertThat(JdbcClient.create(pools.getFirst()).sql("SELECT count(*) FROM model_promotions")
                    .query(Integer.class).single()).isOne();
        }
        finally {
            pools.forEach(HikariDataSource::close);
        }
    }

    @Test
    void aFilledRegistryIsLeftAlone() {
        try (HikariDataSource dataSource = TestDatabases.migrated("bootstrap")) {
            ModelRegistry registry = ModelRegistry.create(dataSource);
            ModelBootstrap bootstrap = new ModelBootstrap(registry, new TrainingExamples(dataSource), TrainingConfig.DEFAULT.withEpochs(3));
            ModelVersion first = bootstrap.ensureChampion().orElseThrow();

            assertThat(bootstrap.ensureChampion()).isEmpty();
            assertThat(registry.list(ModelNames.SAMPLE)).hasSize(1);
            // registered after it was trained, not at the start of the transaction it was trained in
            Matcher trainedAt = Pattern.compile("trained-at = (\\S+)")
                    .matcher(String.valueOf(first.provenance().get("tribuo_provenance")));
            assertThat(trainedAt.find()).isTrue();
            assertThat(first.createdAt()).isAfterOrEqualTo(Instant.parse(trainedAt.group(1)));
            assertThat(first.promotedAt()).isAfterOrEqualTo(first.createdAt());
            // and the sample's rows became the first labelled examples, once
            assertThat(JdbcClient.create(dataSource).sql("SELECT count(*) FROM training_examples WHERE source = 'sample'")
                    .query(Integer.class).single()).isEqualTo(BundledSample.diabetes().rows().size());
        }
    }

    @Test
    void theServedModelsFollowTheirChampions() {
        try (HikariDataSource dataSource = TestDatabases.migrated("serving");
                ServingModels serving = new ServingModels(ModelRegistry.create(dataSource), 4)) {
            // given
            ModelRegistry registry = ModelRegistry.create(dataSource);
            double[] row = BundledSample.diabetes().rows().getFirst().features();

            // then: nothing to serve yet
            assertThat(serving.refresh()).isFalse();
            assertThat(serving.champions()).isEmpty();
            assertThatThrownBy(() -> serving.champion(ModelNames.SAMPLE))
                    .isInstanceOf(UnknownModelException.class)
                    .hasMessageContaining("no model named 'diabetes'");

            // when the first model arrives
            new ModelBootstrap(registry, new TrainingExamples(dataSource), TrainingConfig.DEFAULT.withEpochs(3))
                    .ensureChampion();

            // then
            assertThat(serving.refresh()).isTrue();
            assertThat(serving.refresh()).isFalse();
            double first;
            try (ServingModels.Lease lease = serving.champion(ModelNames.SAMPLE)) {
                assertThat(lease.label()).isEqualTo("v1");
                first = lease.scorer().score(row);
            }

            // when a different model is promoted, while a caller still holds v1
            ServingModels.Lease held = serving.champion(ModelNames.SAMPLE);
            BundledSample sample = BundledSample.diabetes();
            TrainedModel other = new ModelTrainer(TrainingConfig.DEFAULT.withEpochs(1)).train(sample.schema(), sample.rows());
            ModelVersion second = registry.register(ModelNames.SAMPLE, NewModelVersion.of(other, Map.of(),
                    sample.rows().size()));
            registry.promote(ModelNames.SAMPLE, second.label(), "test", "test");

            // then the next caller gets v2, and the holder keeps scoring with v1
            assertThat(serving.refresh()).isTrue();
            try (ServingModels.Lease lease = serving.champion(ModelNames.SAMPLE)) {
                assertThat(lease.label()).isEqualTo("v2");
                assertThat(lease.scorer().score(row)).isNotEqualTo(first);
            }
            assertThat(held.label()).isEqualTo("v1");
            assertThat(held.scorer().score(row)).isEqualTo(first);
            held.close();
        }
    }

    @Test
    void aModelWithoutAChampionIsNamedAsSuch() {
        try (HikariDataSource dataSource = TestDatabases.migrated("serving");
                ServingModels serving = new ServingModels(ModelRegistry.create(dataSource), 4)) {
            ModelRegistry.create(dataSource).createModel(new NewModel("houses", List.of("sqft"), "price", "csv"), () -> { });

            assertThatThrownBy(() -> serving.champion("houses")).isInstanceOf(ModelException.class)
                    .hasMessageStartingWith("model 'houses' has no champion yet");
            assertThat(serving.knows("houses")).isTrue();
        }
    }
}
