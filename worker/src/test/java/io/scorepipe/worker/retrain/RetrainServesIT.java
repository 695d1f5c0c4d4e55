package io.scorepipe.worker.retrain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.scorepipe.registry.ModelNames;
import io.scorepipe.registry.TrainingExamples;
import io.scorepipe.scoring.BundledSample;
import io.scorepipe.scoring.LabelledRow;
import io.scorepipe.testing.AppProcess;
import io.scorepipe.testing.TestServices;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A promoting retrain reaches the real api (its jar, as a process on the same registry and
 * topics) within 5 s, without a restart and without an answer from the old version's cache.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RetrainServesIT {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final Map<String, Object> PROPERTIES = new HashMap<>();
    static AppProcess api;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        PROPERTIES.putAll(TestServices.springProperties("serves"));
        PROPERTIES.put("scorepipe.retrain.cron", "-");
        PROPERTIES.forEach((key, value) -> registry.add(key, () -> value));
    }

    @AfterAll
    static void stopApi() throws Exception {
        if (api != null) {
            api.close();
        }
    }

    @Autowired
    RetrainService retrain;

    @Autowired
    TrainingExamples store;

    @Autowired
    JdbcClient jdbc;

    @Test
    void aPromotedRetrainServesOnTheApiWithinFiveSecondsAndNotFromTheOldCache() throws Exception {
        // given the api running beside this worker, with a row answered and cached by v1
        int port = TestServices.freePort();
        Map<String, Object> apiProperties = new HashMap<>(PROPERTIES);
        apiProperties.put("server.port", port);
        apiProperties.put("scorepipe.model.refresh-interval", "10m"); // only the announcement can explain a quick swap
        api = AppProcess.startApi("api", apiProperties);
        await().atMost(Duration.ofSeconds(120)).until(api::started);
        BundledSample sample = BundledSample.diabetes();
        String body = JSON.writeValueAsString(Map.of("features", sample.rows().getFirst().features()));
        HttpClient http = HttpClient.newHttpClient();
        URI predict = URI.create("http://127.0.0.1:" + port + "/predict");
        JsonNode first = post(http, predict, body);
        assertThat(post(http, predict, body).get("cached").asBoolean()).isTrue();

        // when labels with a shifted relation are retrained on (alone: not with the sample's rows the bootstrap stored)
        jdbc.sql("DELETE FROM training_examples").update();
        List<LabelledRow> shifted = sample.rows().stream().map(row -> new LabelledRow(row.features(), row.target() + 50))
                .toList();
        List<String> refs = new ArrayList<>();
        for (int i = 0; i < shifted.size(); i++) {
            refs.add("serves:" + i);
        }
        store.add(ModelNames.SAMPLE, sample.schema(), shifted, "test", refs);
        RetrainOutcome outcome = retrain.retrain(ModelNames.SAMPLE, "test").orElseThrow();
        assertThat(outcome.promoted()).as(outcome.reason()).isTrue();

        // then the api answers with the new version within 5 s, scored afresh
        await().atMost(Duration.ofSeconds(5)).until(() ->
                post(http, predict, body).get("model_version").asString().equals(outcome.version()));
        JsonNode after = post(http, predict, body);
        assertThat(after.get("prediction").asDouble() - first.get("prediction").asDouble()).isBetween(35.0, 65.0);
    }

    private static JsonNode post(HttpClient http, URI uri, String body) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
