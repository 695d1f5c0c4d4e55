package io.scorepipe.worker.retrain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.scorepipe.batch.DataFolders;
import io.scorepipe.registry.ModelNames;
import io.scorepipe.registry.ModelRegistry;
import io.scorepipe.registry.ModelStatus;
import io.scorepipe.scoring.BundledSample;
import io.scorepipe.scoring.LabelledRow;
import io.scorepipe.testing.ApiContract;
import io.scorepipe.testing.AppProcess;
import io.scorepipe.testing.TestServices;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Retraining as a user drives it: the api jar runs as its own process beside this worker, on the
 * same database and topics; every step starts with an HTTP call to the api (or a labels file in the
 * inbox) and ends with what the api shows, with no hand-made Kafka message in between.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RetrainApiIT {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String TOKEN = "retrain-token-" + UUID.randomUUID();
    static final BundledSample SAMPLE = BundledSample.diabetes();
    static final Map<String, Object> PROPERTIES = new HashMap<>();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static AppProcess api;
    static int apiPort;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) throws IOException {
        PROPERTIES.putAll(TestServices.springProperties("retrainapi"));
        PROPERTIES.put("scorepipe.retrain.cron", "-");
        PROPERTIES.put("scorepipe.batch.poll-interval", "200ms");
        PROPERTIES.put("scorepipe.batch.settle", "300ms");
        PROPERTIES.put("scorepipe.batch.group-id", TestServices.uniqueName("batch"));
        PROPERTIES.put("scorepipe.admin.token-file", TestServices.adminTokenFile(TOKEN));
        PROPERTIES.forEach((key, value) -> registry.add(key, () -> value));
    }

    /** Once the worker's context (and so the properties) exists: the api on the same database and topics. */
    @BeforeEach
    void startApi() {
        if (api != null) {
            return;
        }
        apiPort = TestServices.freePort();
        Map<String, Object> apiProperties = new HashMap<>(PROPERTIES);
        apiProperties.put("server.port", apiPort);
        api = AppProcess.startApi("retrain-api", apiProperties);
        await().atMost(Duration.ofSeconds(120)).until(() -> api.started() && get("/models/current").statusCode() == 200);
    }

    @AfterAll
    static void stopApi() throws Exception {
        if (api != null) {
            api.close();
        }
    }

    @Autowired
    ModelRegistry registry;

    @Autowired
    DataFolders folders;

    @Test
    @Order(1)
    void aRetrainAskedForThroughTheApiRegistersAVersionAndASecondOneWithNoNewExamplesIsSkipped() throws Exception {
        // given the bootstrap model, whose sample rows are the first labelled examples
        assertThat(post("/models/retrain", "Bearer wrong").statusCode()).isEqualTo(401);

        // when the api is asked for a retrain
        HttpResponse<String> accepted = post("/models/retrain", "Bearer " + TOKEN);

        // then it answers at once with the run to poll, and a worker trains and registers a version
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String location = accepted.headers().firstValue("Location").orElseThrow();
        // as it stands: a worker may have started it already
        assertThat(JSON.readTree(accepted.body()).get("status").asString()).isIn("requested", "running");
        JsonNode run = awaitEnded(location);
        assertThat(run.get("status").asString()).as(run.toString()).isEqualTo("completed");
        String version = run.get("version").asString();
        assertThat(version).isEqualTo("v2");
        assertThat(registry.find(ModelNames.SAMPLE, version)).isPresent();
        assertThat(run.get("reason").asString()).contains("champion v1");
        JsonNode registered = JSON.readTree(get("/models/" + version).body());
        assertThat(registered.get("provenance").get("trigger").asString()).isEqualTo("api");
        assertThat(registered.get("decision").asString()).isEqualTo(run.get("promoted").asBoolean() ? "promoted"
                : "not promoted");

        // when it is asked again with nothing new to learn from
        JsonNode again = awaitEnded(post("/models/retrain", "Bearer " + TOKEN).headers().firstValue("Location")
                .orElseThrow());

        // then nothing is registered, and the run says why
        assertThat(again.get("status").asString()).isEqualTo("skipped");
        assertThat(again.get("reason").asString()).startsWith("no new labelled examples since v2 was trained");
        assertThat(again.has("version")).isFalse();
        assertThat(registry.list(ModelNames.SAMPLE)).hasSize(2);

        // and the runs are listed newest first, one page at a time
        JsonNode page = JSON.readTree(get("/models/retrain?size=1").body());
        assertThat(page.get("total").asLong()).isEqualTo(2);
        assertThat(page.get("size").asInt()).isEqualTo(1);
        assertThat(page.get("items")).hasSize(1);
        assertThat(page.get("items").get(0).get("id").asString()).isEqualTo(again.get("id").asString());
        JsonNode second = JSON.readTree(get("/models/retrain?page=1&size=1").body());
        assertThat(second.get("items").get(0).get("id").asString()).isEqualTo(run.get("id").asString());
        assertThat(get("/models/retrain?size=0").statusCode()).isEqualTo(422);
    }

    @Test
    @Order(2)
    void aLabelsFileShowsItsOutcomeThroughTheApiAndTheNextRetrainLearnsFromIt() throws Exception {
        // given a labels file with the sample's rows, their target moved, and two bad lines
        List<String> lines = new ArrayList<>();
        lines.add(String.join(",", SAMPLE.schema().names()) + ",target");
        for (LabelledRow row : SAMPLE.rows()) {
            StringBuilder line = new StringBuilder();
            for (double value : row.features()) {
                line.append(value).append(',');
            }
            lines.add(line.append(row.target() + 40).toString());
        }
        lines.set(3, "1,2,3");
        lines.set(7, lines.get(7).replaceFirst(",[^,]+$", ",0x1p3"));

        // when it is dropped into the labels inbox
        Path part = folders.labelsInbox().resolve("shifted.csv.part");
        Files.write(part, lines);
        Files.move(part, folders.labelsInbox().resolve("shifted.csv"));

        // then the api shows what it gave and what it refused, with the reasons
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode files = JSON.readTree(get("/models/labels").body()).get("items");
            return !files.isEmpty() && files.get(0).get("status").asString().equals("completed");
        });
        JsonNode file = JSON.readTree(get("/models/labels").body()).get("items").get(0);
        assertThat(file.get("file_name").asString()).isEqualTo("shifted.csv");
        assertThat(file.get("examples_stored").asLong()).isEqualTo(SAMPLE.rows().size() - 2);
        assertThat(file.get("lines_rejected").asLong()).isEqualTo(2);
        assertThat(JSON.readTree(get("/models/labels/" + file.get("id").asString()).body()).get("lines_rejected")
                .asLong()).isEqualTo(2);
        List<String> rejects = get(file.get("rejects").asString()).body().lines().toList();
        assertThat(rejects).hasSize(3);
        assertThat(rejects.get(1)).startsWith("4,").contains("expected 11 columns, got 3");
        assertThat(rejects.get(2)).startsWith("8,").contains("target");

        // and the next retrain learns from the new examples, beats the champion and is promoted
        JsonNode run = awaitEnded(post("/models/retrain", "Bearer " + TOKEN).headers().firstValue("Location")
                .orElseThrow());
        assertThat(run.get("status").asString()).as(run.toString()).isEqualTo("completed");
        assertThat(run.get("promoted").asBoolean()).as(run.get("reason").asString()).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> JSON.readTree(get("/models/current").body()).get("version")
                .asString().equals(run.get("version").asString()));
    }

    @Test
    @Order(3)
    void aVersionPromotedByHandSaysSoAndTheHistoryShowsWhoPromotedWhat() throws Exception {
        // given v2, which its retrain did not promote
        assertThat(registry.find(ModelNames.SAMPLE, "v2").orElseThrow().status()).isNotEqualTo(ModelStatus.CHAMPION);
        String champion = JSON.readTree(get("/models/current").body()).get("version").asString();

        // when it is promoted by hand
        HttpResponse<String> promoted = post("/models/v2/promote", "Bearer " + TOKEN);

        // then its view says promoted, by the api, and the history lists every promotion newest first
        assertThat(promoted.statusCode()).as(promoted.body()).isEqualTo(200);
        JsonNode v2 = JSON.readTree(get("/models/v2").body());
        assertThat(v2.get("status").asString()).isEqualTo("champion");
        assertThat(v2.get("decision").asString()).isEqualTo("promoted");
        assertThat(v2.get("promoted_by").asString()).isEqualTo("api");
        assertThat(v2.get("metrics").has("decision")).as("the retrain's own verdict is not shown as a figure").isFalse();
        JsonNode history = JSON.readTree(get("/models/promotions").body());
        assertThat(history.get("total").asLong()).isEqualTo(3);
        JsonNode newest = history.get("items").get(0);
        assertThat(newest.get("version").asString()).isEqualTo("v2");
        assertThat(newest.get("previous_version").asString()).isEqualTo(champion);
        assertThat(newest.get("promoted_by").asString()).isEqualTo("api");
        List<String> promoters = new ArrayList<>();
        history.get("items").forEach(item -> promoters.add(item.get("promoted_by").asString()));
        assertThat(promoters).containsExactly("api", "retrain", "bootstrap");
        Instant newestAt = Instant.parse(newest.get("promoted_at").asString());
        assertThat(newestAt).isAfter(Instant.parse(history.get("items").get(1).get("promoted_at").asString()));
        assertThat(Set.of(v2.get("reason").asString())).containsExactly("promoted through the api");
    }

    private static JsonNode awaitEnded(String location) {
        await().atMost(Duration.ofSeconds(60)).until(() -> Set.of("completed", "skipped", "failed")
                .contains(JSON.readTree(get(location).body()).get("status").asString()));
        return JSON.readTree(get(location).body());
    }

    private static HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + path)).GET());
    }

    private static HttpResponse<String> post(String path, String authorization) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + path))
                .header("Authorization", authorization).POST(HttpRequest.BodyPublishers.noBody()));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = HTTP.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            // every answer is one the api's OpenAPI description documents for the operation that gave it
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
