package io.scorepipe.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.scorepipe.api.system.ProtocolErrors;
import io.scorepipe.testing.ApiContract;
import io.scorepipe.testing.TestServices;
import tools.jackson.databind.JsonNode;

/**
 * The OpenAPI description tells the truth: every operation it lists is probed with the requests
 * that provoke each kind of answer (a plain call, unknown and malformed ids, a wrong or missing
 * token, a malformed body, a body of the wrong type, an oversized body, an Accept it cannot
 * serve), and every status that comes back must be one the operation documents, with a problem
 * body where it is an error. {@link Http} holds every other test's answers to the same rule. New
 * operations are probed as they appear, with no change here.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OpenApiContractIT {

    static final String TOKEN = "contract-token-" + UUID.randomUUID();

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) throws Exception {
        Map<String, Object> properties = TestServices.springProperties("contract");
        properties.put("scorepipe.model.bootstrap", "true");
        Path token = Files.createTempFile("admin-token", ".txt");
        Files.writeString(token, TOKEN);
        token.toFile().deleteOnExit();
        properties.put("scorepipe.admin.token-file", token.toString());
        properties.forEach((key, value) -> registry.add(key, () -> value));
    }

    @LocalServerPort
    int port;

    @Test
    void everyStatusAnOperationAnswersIsOneItDocuments() {
        Http http = new Http(port);
        List<ApiContract.Operation> operations = ApiContract.of("http://127.0.0.1:" + port).operations();
        assertThat(operations).extracting(operation -> operation.method() + " " + operation.path())
                .contains("POST /predict", "POST /predict/batch", "POST /batches", "GET /batches/{id}/results",
                        "POST /models/retrain", "GET /models/retrain", "GET /models/promotions", "GET /models/labels",
                        "POST /models/{version}/promote", "GET /actuator/health/{group}", "GET /models/{name}",
                        "POST /models/{name}/predict", "POST /models/{name}/versions", "POST /models/{name}/rollback",
                        "POST /models", "POST /v2/models/{name}/infer", "POST /v2/models/{name}/versions/{version}/infer",
                        "GET /v2/health/ready", "POST /v1/models/{name}:predict", "POST /invocations");
        Map<String, List<Integer>> seen = new TreeMap<>();
        for (ApiContract.Operation operation : operations) {
            for (Probe probe : probes(operation)) {
                // Http fails the test at once on a status the operation does not document
                Http.Response response = http.send(probe.request());
                seen.computeIfAbsent(operation.method() + " " + operation.path(), key -> new ArrayList<>())
                        .add(response.status());
                if (response.status() >= 400 && ProtocolErrors.shapeOf(operation.path()) != null) {
                    // the inference protocols answer their own error objects
                    assertThat(response.contentType()).as(probe.what() + ": " + response.body())
                            .startsWith("application/json");
                    JsonNode error = response.json();
                    assertThat(error.has("error") ? error.get("error").asString() : error.get("message").asString())
                            .as(probe.what()).isNotBlank();
                }
                else if (response.status() >= 400 && !operation.path().startsWith("/actuator/health")) {
                    assertThat(response.contentType()).as(probe.what() + ": " + response.body())
                            .startsWith("application/problem+json");
                    assertThat(response.json().get("detail").asString()).as(probe.what()).isNotBlank();
                }
            }
        }
        // the probes reached the interesting answers, not only 200s and 404s
        assertThat(seen.get("POST /predict")).contains(200, 400, 406, 413, 415);
        assertThat(seen.get("POST /models/{version}/promote")).contains(200, 401, 404);
        assertThat(seen.get("GET /batches/{id}")).contains(400, 404);
        assertThat(seen.get("GET /models/retrain")).contains(200, 422);
    }

    @Test
    void eachErrorStatusCarriesTheProblemSchemaAndTheUploadTakesBothContentTypes() {
        JsonNode docs = new Http(port).get("/v3/api-docs").json();
        docs.get("paths").properties().forEach(path -> path.getValue().properties().forEach(method -> {
            method.getValue().get("responses").properties().forEach(response -> {
                ProtocolErrors.Shape shape = ProtocolErrors.shapeOf(path.getKey());
                if (Integer.parseInt(response.getKey()) >= 400 && shape != null) {
                    assertThat(response.getValue().at("/content/application~1json/schema/$ref").asString())
                            .as(method.getKey() + " " + path.getKey() + " " + response.getKey())
                            .isEqualTo("#/components/schemas/" + (shape == ProtocolErrors.Shape.MLFLOW ? "MlflowError"
                                    : "InferenceError"));
                }
                else if (Integer.parseInt(response.getKey()) >= 400 && !path.getKey().startsWith("/actuator/health")) {
                    assertThat(response.getValue().at("/content/application~1problem+json/schema/$ref").asString())
                            .as(method.getKey() + " " + path.getKey() + " " + response.getKey())
                            .isEqualTo("#/components/schemas/Problem");
                }
            });
        }));
        JsonNode upload = docs.at("/paths/~1batches/post");
        assertThat(upload.at("/requestBody/content").propertyNames()).contains("text/csv", "multipart/form-data");
        assertThat(upload.at("/responses/202/headers/Location").isMissingNode()).isFalse();
        assertThat(docs.at("/paths/~1models~1retrain/post/responses/202/headers/Location").isMissingNode()).isFalse();
        assertThat(docs.at("/paths/~1predict/post/requestBody/content/application~1json/schema/$ref").asString())
                .isNotBlank();
    }

    /**
     * One request to send.
     *
     * @param what what it tries, for failure messages
     * @param request the request
     */
    record Probe(String what, HttpRequest.Builder request) {
    }

    private List<Probe> probes(ApiContract.Operation operation) {
        List<Probe> probes = new ArrayList<>();
        String good = operation.path().replace("{version}", "v1").replace("{id}", UUID.randomUUID().toString())
                .replace("{group}", "readiness").replace("{name}", "diabetes");
        String authorization = "Bearer " + TOKEN;
        String body = switch (operation.path()) {
            case "/predict" -> "{\"features\": [0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09, 0.1]}";
            case "/predict/batch" -> "{\"rows\": [[0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09, 0.1], [1, 2]]}";
            case "/batches" -> "age,sex,bmi,bp,s1,s2,s3,s4,s5,s6\n0.01,0.02,0.03,0.04,0.05,0.06,0.07,0.08,0.09,0.1\n";
            default -> "{}";
        };
        String type = operation.requestTypes().contains("application/json") || operation.requestTypes().isEmpty()
                ? "application/json" : operation.requestTypes().contains("text/csv") ? "text/csv"
                : operation.requestTypes().iterator().next();
        probes.add(probe(operation, "as documented", good, type, body, authorization, null));
        probes.add(probe(operation, "an unknown id", operation.path().replace("{version}", "v999")
                .replace("{id}", UUID.randomUUID().toString()).replace("{group}", "nosuchgroup")
                .replace("{name}", "no-such-model"), type, body, authorization, null));
        probes.add(probe(operation, "a malformed id", operation.path().replace("{version}", "not-a-version")
                .replace("{id}", "not-a-uuid").replace("{group}", "x").replace("{name}", "Not_A_Name"), type, body,
                authorization, null));
        probes.add(probe(operation, "no token", good, type, body, null, null));
        probes.add(probe(operation, "a wrong token", good, type, body, "Bearer wrong", null));
        probes.add(probe(operation, "an Accept it cannot serve", good, type, body, authorization, "application/xml"));
        if (operation.method().equals("POST")) {
            probes.add(probe(operation, "a malformed body", good, type, "{\"features\": [1, 2", authorization, null));
            probes.add(probe(operation, "an empty body", good, type, "", authorization, null));
            probes.add(probe(operation, "a body of the wrong type", good, "text/plain", "hello", authorization, null));
            probes.add(probe(operation, "a body over the limit", good, type,
                    "{\"features\": \"" + "x".repeat(2 * 1024 * 1024) + "\"}", authorization, null));
            probes.add(probe(operation, "a query parameter out of range", good + "?rescore=maybe", type, body,
                    authorization, null));
        }
        else {
            probes.add(probe(operation, "paging out of range", good + "?page=-1&size=0&limit=-5", type, body,
                    authorization, null));
        }
        return probes;
    }

    private Probe probe(ApiContract.Operation operation, String what, String path, String type, String body,
            String authorization, String accept) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (operation.method().equals("POST")) {
            request.header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofString(body));
        }
        else {
            request.method(operation.method(), HttpRequest.BodyPublishers.noBody());
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (accept != null) {
            request.header("Accept", accept);
        }
        return new Probe(operation.method() + " " + path + " (" + what + ")", request);
    }
}
