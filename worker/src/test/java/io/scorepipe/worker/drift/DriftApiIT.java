package io.scorepipe.worker.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.scorepipe.scoring.BundledSample;
import io.scorepipe.scoring.LabelledRow;
import io.scorepipe.testing.ApiContract;
import io.scorepipe.testing.AppProcess;
import io.scorepipe.testing.TestServices;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Drift from where it starts to where it is seen: predictions asked of the api (as its own process)
 * with one feature moved, audited through Kafka by this worker, compared by this worker's drift job
 * with what version 1 learnt from, and read back from the api and from this worker's Prometheus page.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DriftApiIT {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String TOKEN = "drift-token-" + UUID.randomUUID();
    static final BundledSample SAMPLE = BundledSample.diabetes();
    static final Map<String, Object> PROPERTIES = new HashMap<>();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static AppProcess api;
    static int apiPort;

    @LocalServerPort
    int workerPort;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) throws IOException {
        PROPERTIES.putAll(TestServices.springProperties("drift"));
        PROPERTIES.put("scorepipe.retrain.cron", "-");
        PROPERTIES.put("scorepipe.drift.interval", "1s");
        PROPERTIES.put("scorepipe.drift.min-rows", "300");
        PROPERTIES.put("scorepipe.admin.token-file", TestServices.adminTokenFile(TOKEN));
        PROPERTIES.forEach((key, value) -> registry.add(key, () -> value));
    }

    @BeforeEach
    void startApi() {
        if (api != null) {
            return;
        }
        apiPort = TestServices.freePort();
        Map<String, Object> apiProperties = new HashMap<>(PROPERTIES);
        apiProperties.put("server.port", apiPort);
        api = AppProcess.startApi("api", apiProperties);
    }

    @AfterAll
    static void stopApi() throws Exception {
        if (api != null) {
            api.close();
        }
    }

    @Test
    void aMovedFeatureIsMarkedInTheReportAndTheGaugeAndTheReportNeedsTheToken() throws Exception {
        await().atMost(Duration.ofSeconds(120)).until(api::started);

        // the report shows what callers sent: not without the token, and not with a wrong one
        assertThat(get("/models/diabetes/drift", null).statusCode()).isEqualTo(401);
        assertThat(get("/models/diabetes/drift", "Bearer wrong").statusCode()).isEqualTo(401);
        assertThat(get("/models/nobody/drift", "Bearer " + TOKEN).statusCode()).isEqualTo(404);
        JsonNode before = JSON.readTree(get("/models/diabetes/drift", "Bearer " + TOKEN).body());
        assertThat(before.get("status").asString()).isEqualTo("waiting");
        assertThat(before.get("champion").asString()).isEqualTo("v1");

        // when every row of the sample is asked for with bmi moved up by 0.1 (its values lie within about ±0.1)
        int bmi = SAMPLE.schema().names().indexOf("bmi");
        List<LabelledRow> rows = SAMPLE.rows();
        for (LabelledRow row : rows) {
            double[] features = row.features().clone();
            features[bmi] += 0.1;
            HttpResponse<String> answer = send(HttpRequest.newBuilder(uri("/predict"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("features", features)))));
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        }

        // then the worker's job reports bmi shifted, and only bmi, over the audited predictions
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            JsonNode drift = JSON.readTree(get("/models/diabetes/drift", "Bearer " + TOKEN).body());
            return drift.get("status").asString().equals("computed")
                    && drift.get("report").get("rows").asLong() == rows.size();
        });
        JsonNode report = JSON.readTree(get("/models/diabetes/drift", "Bearer " + TOKEN).body()).get("report");
        assertThat(report.get("version").asString()).isEqualTo("v1");
        assertThat(report.get("basis").asString()).contains("rows of the bundled sample it was trained on");
        for (JsonNode feature : report.get("features")) {
            String name = feature.get("name").asString();
            assertThat(feature.get("shifted").asBoolean()).as(name + " psi " + feature.get("psi"))
                    .isEqualTo(name.equals("bmi"));
            assertThat(feature.get("recent").get("shares").size()).isEqualTo(feature.get("reference").get("edges").size() + 1);
        }
        JsonNode bmiDrift = report.get("features").get(bmi);
        assertThat(bmiDrift.get("psi").asDouble()).isGreaterThan(0.2);
        assertThat(bmiDrift.get("recent").get("mean").asDouble())
                .isGreaterThan(bmiDrift.get("reference").get("mean").asDouble() + 0.05);

        // and Prometheus sees the same index
        String metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + workerPort
                + "/actuator/prometheus")).build(), HttpResponse.BodyHandlers.ofString()).body();
        String gauge = metrics.lines().filter(line -> line.startsWith("scorepipe_feature_drift_psi{")
                && line.contains("feature=\"bmi\"") && line.contains("model=\"diabetes\"")).findFirst().orElseThrow();
        assertThat(Double.parseDouble(gauge.substring(gauge.lastIndexOf(' ') + 1))).isGreaterThan(0.2);
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + apiPort + path);
    }

    private static HttpResponse<String> get(String path, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return send(request);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = HTTP.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            ApiContract.of("http://127.0.0.1:" + apiPort).assertDocumented(response.request().method(),
                    response.request().uri(), response.statusCode());
            return response;
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }
}
