package io.scorepipe.worker.batch;

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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.scorepipe.testing.ApiContract;
import io.scorepipe.testing.AppProcess;
import io.scorepipe.testing.TestServices;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The batch API end to end: the api jar runs as its own process on the same database, topics
 * and data folder as this worker; a CSV uploaded to it is scored here and downloaded from it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class BatchApiIT {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final Map<String, Object> PROPERTIES = new HashMap<>();
    static Path dataDir;
    static AppProcess api;
    static int apiPort;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) throws IOException {
        dataDir = Files.createTempDirectory("scorepipe-data");
        PROPERTIES.putAll(TestServices.springProperties("batchapi"));
        PROPERTIES.put("scorepipe.data-dir", dataDir.toString());
        PROPERTIES.put("scorepipe.batch.poll-interval", "200ms");
        PROPERTIES.put("scorepipe.batch.settle", "300ms");
        PROPERTIES.put("scorepipe.batch.group-id", TestServices.uniqueName("batch"));
        PROPERTIES.forEach((key, value) -> registry.add(key, () -> value));
    }

    @AfterAll
    static void stopApi() throws Exception {
        if (api != null) {
            api.close();
        }
    }

    /** The api running beside this worker, on the same database, topics and data folder; once the context exists. */
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

    @Test
    void uploadPollAndDownloadAndNoNameLeavesTheDataFolder() throws Exception {
        // given the api
        await().atMost(Duration.ofSeconds(120)).until(api::started);
        HttpClient http = HttpClient.newHttpClient();

        // when a CSV with a hostile name and one bad line is uploaded
        List<String> lines = ScoreFileIT.sampleLines(300);
        lines.set(5, "1,2,3");
        HttpResponse<String> upload = checked(http.send(HttpRequest.newBuilder(uri("/batches?name=../../etc/passwd"))
                .header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofString(String.join("\n", lines)))
                .build(), HttpResponse.BodyHandlers.ofString()));

        // then it is accepted, stored inside the data folder, scored, and downloadable
        assertThat(upload.statusCode()).as(upload.body()).isEqualTo(202);
        String location = upload.headers().firstValue("Location").orElseThrow();
        assertThat(JSON.readTree(upload.body()).get("file_name").asString()).isEqualTo("passwd.csv");
        await().atMost(Duration.ofSeconds(60)).until(() -> status(http, location).get("status").asString().equals("completed"));
        JsonNode done = status(http, location);
        assertThat(done.get("rows_total").asLong()).isEqualTo(300);
        assertThat(done.get("rows_scored").asLong()).isEqualTo(299);
        assertThat(done.get("rows_rejected").asLong()).isEqualTo(1);
        assertThat(done.get("percent_done").asDouble()).isEqualTo(100.0);
        assertThat(done.get("model_version").asString()).isEqualTo("v1");

        HttpResponse<String> results = checked(http.send(HttpRequest.newBuilder(uri(location + "/results")).build(),
                HttpResponse.BodyHandlers.ofString()));
        assertThat(results.statusCode()).isEqualTo(200);
        assertThat(results.body().lines().count()).isEqualTo(300);
        HttpResponse<String> rejects = checked(http.send(HttpRequest.newBuilder(uri(location + "/rejects")).build(),
                HttpResponse.BodyHandlers.ofString()));
        assertThat(rejects.body().lines().toList()).hasSize(2).last().asString().startsWith("6,\"expected 10 columns, got 3\"");
        try (Stream<Path> files = Files.walk(dataDir.getParent(), 1)) {
            assertThat(files.map(Path::getFileName).map(Path::toString)).doesNotContain("passwd", "passwd.csv");
        }
        assertThat(Path.of("/etc/passwd.csv")).doesNotExist();

        // and unknown batches and unfinished files answer clearly
        assertThat(checked(http.send(HttpRequest.newBuilder(uri("/batches/00000000-0000-0000-0000-000000000000")).build(),
                HttpResponse.BodyHandlers.ofString())).statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(checked(http.send(HttpRequest.newBuilder(uri("/batches")).build(),
                HttpResponse.BodyHandlers.ofString())).body()).findValuesAsString("file_name")).contains("passwd.csv");
    }

    @Test
    void aFileOverTheSkipLimitFailsWithFiguresThatAgreeAndItsRejectedLinesAreServed() throws Exception {
        // given the api, and a file with ten bad lines in 300, over the 1% that a file may have
        await().atMost(Duration.ofSeconds(120)).until(api::started);
        HttpClient http = HttpClient.newHttpClient();
        List<String> lines = ScoreFileIT.sampleLines(300);
        for (int line = 10; line <= 300; line += 30) {
            lines.set(line - 1, "1,2,3");
        }

        // when it is uploaded
        HttpResponse<String> upload = checked(http.send(HttpRequest.newBuilder(uri("/batches?name=bad.csv"))
                .header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofString(String.join("\n", lines)))
                .build(), HttpResponse.BodyHandlers.ofString()));
        String location = upload.headers().firstValue("Location").orElseThrow();
        await().atMost(Duration.ofSeconds(60)).until(() -> status(http, location).get("status").asString().equals("failed"));

        // then the error's figures are the batch's own, and it quotes the first five rejected lines
        JsonNode failed = status(http, location);
        long rejected = failed.get("rows_rejected").asLong();
        long scored = failed.get("rows_scored").asLong();
        assertThat(rejected).isEqualTo(10);
        assertThat(scored).isEqualTo(290);
        assertThat(failed.get("error").asString()).startsWith("10 of the file's 300 lines were rejected (290 scored "
                + "before the job stopped), over the skip limit of 1.0% (3 lines); the first rejected lines: "
                + "line 10: expected 10 columns, got 3; line 40: expected 10 columns, got 3; line 70: ")
                .endsWith("line 130: expected 10 columns, got 3");
        assertThat(failed.has("results")).isFalse();
        assertThat(failed.get("rejects").asString()).isEqualTo(location + "/rejects");
        // its results are refused as failed, not as "not ready"; its rejects are served
        HttpResponse<String> results = checked(http.send(HttpRequest.newBuilder(uri(location + "/results")).build(),
                HttpResponse.BodyHandlers.ofString()));
        assertThat(results.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(results.body()).get("title").asString()).isEqualTo("Batch failed");
        HttpResponse<String> rejects = checked(http.send(HttpRequest.newBuilder(uri(location + "/rejects")).build(),
                HttpResponse.BodyHandlers.ofString()));
        assertThat(rejects.statusCode()).isEqualTo(200);
        assertThat(rejects.body().lines().toList()).hasSize(11).element(1).asString()
                .isEqualTo("10,\"expected 10 columns, got 3\",\"1,2,3\"");
    }

    /** Every answer is one the api's OpenAPI description documents for the operation that gave it. */
    private static HttpResponse<String> checked(HttpResponse<String> response) {
        ApiContract.of(uri("").toString()).assertDocumented(response.request().method(), response.request().uri(),
                response.statusCode());
        return response;
    }

    private static JsonNode status(HttpClient http, String location) throws Exception {
        return JSON.readTree(checked(http.send(HttpRequest.newBuilder(uri(location)).build(), HttpResponse.BodyHandlers.ofString()))
                .body());
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + apiPort + path);
    }
}
