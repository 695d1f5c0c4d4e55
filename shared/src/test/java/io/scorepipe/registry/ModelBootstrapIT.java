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
                ModelBootstrap bootstrap = new ModelBootstrap(ModelRegistry.create(pool), TrainingConfig.DEFAULT);
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
            assertThat(registry.list()).singleElement().satisfies(version -> {
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
            ModelBootstrap bootstrap = new ModelBootstrap(registry, TrainingConfig.DEFAULT.withEpochs(3));
            ModelVersion first = bootstrap.ensureChampion().orElseThrow();

            assertThat(bootstrap.ensureChampion()).isEmpty();
            assertThat(registry.list()).hasSize(1);
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
    void theServingModelFollowsTheChampion() {
        try (HikariDataSource dataSource = TestDatabases.migrated("serving")) {
            // given
            ModelRegistry registry = ModelRegistry.create(dataSource);
            ServingModel serving = new ServingModel(registry);
            double[] row = BundledSample.diabetes().rows().getFirst().features();

            // then: nothing to serve yet
            assertThat(serving.refresh()).isFalse();
            assertThat(serving.current()).isEmpty();
            assertThatThrownBy(serving::require)
                    .isInstanceOf(ModelException.class)
                    .hasMessage("no model is serving yet: the registry has no champion");

            // when the first model arrives
            new ModelBootstrap(registry, TrainingConfig.DEFAULT.withEpochs(3)).ensureChampion();

            // then
            assertThat(serving.refresh()).isTrue();
            assertThat(serving.refresh()).isFalse();
            assertThat(serving.require().label()).isEqualTo("v1");
            double first = serving.require().scorer().score(row);

            // when a different model is promoted
            BundledSample sample = BundledSample.diabetes();
            TrainedModel other = new ModelTrainer(TrainingConfig.DEFAULT.withEpochs(1)).train(sample.schema(), sample.rows());
            ModelVersion second = registry.register(NewModelVersion.of(other, Map.of(), sample.rows().size()));
            registry.promote(second.label(), "test", "test");

            // then
            assertThat(serving.refresh()).isTrue();
            assertThat(serving.require().label()).isEqualTo("v2");
            assertThat(serving.require().scorer().score(row)).isNotEqualTo(first);
        }
    }
}
