package io.scorepipe.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.zaxxer.hikari.HikariDataSource;

import io.scorepipe.scoring.ModelFormat;
import io.scorepipe.scoring.Scorer;
import io.scorepipe.testing.Houses;
import io.scorepipe.testing.TestDatabases;

/** Decoded models are bounded: the least recently used is let go, and its ONNX session closed once nobody holds it. */
class ServingModelsIT {

    private HikariDataSource dataSource;
    private ModelRegistry registry;

    @BeforeEach
    void registry() {
        dataSource = TestDatabases.migrated("serving-models");
        registry = ModelRegistry.create(dataSource);
    }

    @AfterEach
    void close() {
        dataSource.close();
    }

    @Test
    void beyondItsCapacityTheLeastRecentlyUsedIsLetGoAndClosedOnceItsLastLeaseEnds() {
        // given four ONNX versions and room for two decoded ones
        byte[] gbt = Houses.bytes("houses-gbt.onnx");
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            labels.add(registry.registerCreating(new NewModel("houses", Houses.FEATURES, null, "import"),
                    new NewModelVersion(Houses.FEATURES, Map.of(), Map.of(), 0, ModelFormat.ONNX, gbt)).label());
        }
        Houses.Expected row = Houses.expected().getFirst();
        try (ServingModels serving = new ServingModels(registry, 2)) {
            // when v1 is held while three others are decoded
            ServingModels.Lease held = serving.version("houses", labels.get(0));
            Scorer first = held.scorer();
            for (String label : labels.subList(1, 4)) {
                try (ServingModels.Lease lease = serving.version("houses", label)) {
                    assertThat(lease.scorer().score(row.features())).isCloseTo(row.gbt(),
                            Percentage.withPercentage(1e-3));
                }
            }

            // then no more than two stay decoded, and v1, let go, still scores for its holder
            assertThat(serving.decodedCount()).isEqualTo(2);
            assertThat(first.score(row.features())).isCloseTo(row.gbt(), Percentage.withPercentage(1e-3));

            // when its holder lets go, its session is closed
            held.close();
            assertThatThrownBy(() -> first.score(row.features())).hasMessageContaining("closed");

            // and asking for it again decodes it afresh
            try (ServingModels.Lease again = serving.version("houses", labels.get(0))) {
                assertThat(again.scorer()).isNotSameAs(first);
                assertThat(again.scorer().score(row.features())).isCloseTo(row.gbt(),
                        Percentage.withPercentage(1e-3));
            }
            assertThat(serving.decodedCount()).isEqualTo(2);
            assertThatThrownBy(() -> serving.version("houses", "v99")).isInstanceOf(UnknownModelVersionException.class);
        }
    }
}
