package io.scorepipe.worker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

import io.scorepipe.registry.ModelNames;
import io.scorepipe.registry.ModelRegistry;
import io.scorepipe.registry.ModelStatus;
import io.scorepipe.registry.ServingModels;
import io.scorepipe.testing.TestServices;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class WorkerApplicationIT {

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        TestServices.springProperties("worker").forEach((key, value) -> registry.add(key, () -> value));
    }

    @LocalServerPort
    int port;

    @Autowired
    ModelRegistry registry;

    @Autowired
    ServingModels serving;

    @Autowired
    JdbcClient jdbc;

    @Test
    void firstStartOnAnEmptyRegistryTrainsAndServesVersionOne() {
        // then: Flyway ran, version 1 was trained from the bundled sample and serves
        assertThat(jdbc.sql("SELECT count(*) FROM flyway_schema_history WHERE success").query(Integer.class).single())
                .isGreaterThanOrEqualTo(4);
        assertThat(registry.list(ModelNames.SAMPLE)).singleElement().satisfies(version -> {
            assertThat(version.label()).isEqualTo("v1");
            assertThat(version.status()).isEqualTo(ModelStatus.CHAMPION);
        });
        assertThat(serving.championLabel(ModelNames.SAMPLE).orElseThrow()).isEqualTo("v1");

        RestClient http = RestClient.create("http://127.0.0.1:" + port);
        int readiness = http.get().uri("/actuator/health/readiness")
                .exchange((request, response) -> response.getStatusCode().value());
        assertThat(readiness).isEqualTo(200);
        assertThat(http.get().uri("/actuator/health").retrieve().body(String.class)).contains("\"version\":\"v1\"");
        String metrics = http.get().uri("/actuator/prometheus").retrieve().body(String.class);
        assertThat(metrics).contains("scorepipe_stream_scored_total", "scorepipe_stream_dead_lettered_total",
                "scorepipe_audit_rows_written_total", "kafka_consumer_fetch_manager_records_lag_max",
                "scorepipe_model_serving_version");
    }
}
