package io.scorepipe.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

import io.scorepipe.registry.ModelBootstrap;
import io.scorepipe.registry.ServingModels;
import io.scorepipe.testing.TestServices;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ApiApplicationIT {

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        TestServices.springProperties("api").forEach((key, value) -> registry.add(key, () -> value));
    }

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    @Autowired
    ModelBootstrap bootstrap;

    @Autowired
    ServingModels serving;

    @Test
    void readinessFollowsTheServingModel() {
        RestClient http = RestClient.create("http://127.0.0.1:" + port);
        RestClient management = RestClient.create("http://127.0.0.1:" + managementPort);

        // given an empty registry: alive, but not ready, and the model component says why
        assertThat(status(http, "/actuator/health/liveness")).isEqualTo(200);
        assertThat(status(http, "/actuator/health/readiness")).isEqualTo(503);
        assertThat(status(management, "/actuator/health/readiness")).isEqualTo(503);
        JsonNode health = json(management, "/actuator/health");
        assertThat(health.at("/components/model/status").asString()).isEqualTo("DOWN");
        assertThat(health.at("/components/model/details/reason").asString())
                .contains("the default model diabetes has no champion yet");
        Http.Response noModel = new Http(port).postJson("/predict", "{\"features\": [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]}");
        assertThat(noModel.status()).isEqualTo(503);
        assertThat(noModel.text("/detail")).isEqualTo("no model is serving yet: the default model diabetes has no "
                + "champion yet (the first worker trains it)");
        assertThat(new Http(port).get("/health").body()).isEqualTo("{\"status\":\"healthy\"}");
        // no ADMIN_TOKEN_FILE here: admin calls are refused whatever they carry, never open
        Http.Response refused = new Http(port).postJson("/models/v1/promote", "{}", "Authorization", "Bearer anything");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.text("/detail")).contains("no admin token is configured");

        // when the first model is registered (as the worker does) and the api picks it up
        bootstrap.ensureChampion();
        serving.refresh();

        // then
        assertThat(status(http, "/actuator/health/readiness")).isEqualTo(200);
        assertThat(json(management, "/actuator/health").at("/components/model/details/version").asString())
                .isEqualTo("v1");
        assertThat(body(management, "/actuator/prometheus")).contains("jvm_memory_used_bytes");
        assertThat(new Http(port).get("/v3/api-docs").text("/paths/~1predict/post/summary"))
                .isEqualTo("Score one record with the default model");
    }

    @Test
    void aStrangerOnThePublicPortSeesTheStatusOnlyAndNoMetrics() {
        Http http = new Http(port);

        // the health answers carry the status and nothing about the components behind it
        for (String path : new String[] {"/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness"}) {
            Http.Response health = http.get(path);
            assertThat(health.json().propertyNames()).as(path).containsExactly("status");
        }
        // nothing else of the actuator is there: it lives on the management port
        for (String path : new String[] {"/actuator/prometheus", "/actuator/info", "/actuator/env", "/actuator"}) {
            assertThat(http.get(path).status()).as(path).isEqualTo(404);
        }
        assertThat(http.get("/actuator/health/nosuchgroup").status()).isEqualTo(404);
        // and every answer tells browsers not to sniff it and caches not to keep it
        Http.Response answer = http.postJson("/predict", "{\"features\": [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]}");
        assertThat(answer.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(answer.header("Cache-Control")).isEqualTo("no-store");
        assertThat(http.get("/models").header("Cache-Control")).isEqualTo("no-store");
    }

    private static int status(RestClient http, String path) {
        return http.get().uri(path).exchange((request, response) -> response.getStatusCode().value());
    }

    private static JsonNode json(RestClient http, String path) {
        return JsonMapper.builder().build().readTree(body(http, path));
    }

    private static String body(RestClient http, String path) {
        return http.get().uri(path).exchange((request, response) -> new String(response.getBody().readAllBytes()));
    }
}
