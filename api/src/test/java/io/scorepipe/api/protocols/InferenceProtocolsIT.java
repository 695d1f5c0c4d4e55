package io.scorepipe.api.protocols;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.scorepipe.api.Http;
import io.scorepipe.config.TopicProperties;
import io.scorepipe.registry.ModelNames;
import io.scorepipe.registry.ModelRegistry;
import io.scorepipe.registry.NewModelVersion;
import io.scorepipe.scoring.BundledSample;
import io.scorepipe.scoring.ModelTrainer;
import io.scorepipe.scoring.TrainedModel;
import io.scorepipe.scoring.TrainingConfig;
import io.scorepipe.testing.TestServices;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The inference protocols clients already speak, against the real api: the Open Inference
 * Protocol (request and response shapes from its REST specification, adapted to the diabetes
 * model), KServe v1 and MLflow's /invocations give what /predict gives for the same row, each row
 * leaves one audit record naming its route, and errors come in each protocol's own shape.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class InferenceProtocolsIT {

    static final BundledSample SAMPLE = BundledSample.diabetes();
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String TOKEN = "protocols-token-" + UUID.randomUUID();

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) throws Exception {
        Map<String, Object> properties = new HashMap<>(TestServices.springProperties("protocols"));
        properties.put("scorepipe.model.bootstrap", "true");
        Path token = Files.createTempFile("admin-token", ".txt");
        Files.writeString(token, TOKEN);
        token.toFile().deleteOnExit();
        properties.put("scorepipe.admin.token-file", token.toString());
        properties.forEach((key, value) -> registry.add(key, () -> value));
    }

    @LocalServerPort
    int port;

    @Autowired
    TopicProperties topics;

    @Autowired
    ModelRegistry registry;

    private Http http() {
        return new Http(port);
    }

    @Test
    void theThreeProtocolsAndPredictGiveTheSamePredictionAndOneAuditRecordEach() {
        // given one row of its own for each way in, and what /predict says for each
        Random random = new Random(11);
        List<String> names = SAMPLE.schema().names();
        Map<String, double[]> rows = new LinkedHashMap<>();
        for (String route : List.of("predict", "v2-rows", "v2-features", "v1", "split", "records", "instances",
                "inputs", "csv")) {
            rows.put(route, row(random));
        }
        Map<String, Double> expected = new HashMap<>();
        rows.forEach((route, row) -> expected.put(route, http().postJson("/predict", Http.json(Map.of("features", row)))
                .json().get("prediction").asDouble()));

        // when each protocol scores its row
        Map<String, Double> answered = new LinkedHashMap<>();
        JsonNode v2 = http().postJson("/v2/models/diabetes/infer", Http.json(Map.of("id", "42", "inputs", List.of(
                Map.of("name", "input", "shape", List.of(1, 10), "datatype", "FP64", "data", rows.get("v2-rows")))))).json();
        answered.put("v2-rows", v2.at("/outputs/0/data/0").asDouble());
        List<Map<String, Object>> perFeature = new ArrayList<>();
        for (int i = names.size() - 1; i >= 0; i--) {
            perFeature.add(Map.of("name", names.get(i), "shape", List.of(1), "datatype", "FP64", "data",
                    List.of(rows.get("v2-features")[i])));
        }
        answered.put("v2-features", http().postJson("/v2/models/diabetes/infer", Http.json(Map.of("inputs",
                perFeature))).json().at("/outputs/0/data/0").asDouble());
        answered.put("v1", http().postJson("/v1/models/diabetes:predict", Http.json(Map.of("instances",
                List.of(rows.get("v1"))))).json().at("/predictions/0").asDouble());
        answered.put("split", invocations(Map.of("dataframe_split", Map.of("columns", names, "data",
                List.of(rows.get("split"))))));
        answered.put("records", invocations(Map.of("dataframe_records", List.of(named(rows.get("records"))))));
        answered.put("instances", invocations(Map.of("instances", List.of(rows.get("instances")))));
        Map<String, Object> columns = new LinkedHashMap<>();
        named(rows.get("inputs")).forEach((name, value) -> columns.put(name, List.of(value)));
        answered.put("inputs", invocations(Map.of("inputs", columns)));
        StringBuilder csv = new StringBuilder("id," + String.join(",", names) + "\nrow-1");
        for (double value : rows.get("csv")) {
            csv.append(',').append(value);
        }
        Http.Response byCsv = http().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/invocations"))
                .header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofString(csv + "\n")));
        answered.put("csv", byCsv.json().at("/predictions/0").asDouble());

        // then every protocol answers what /predict answers for that row
        answered.forEach((route, value) -> assertThat(value).as(route).isEqualTo(expected.get(route)));
        assertThat(v2.get("model_name").asString()).isEqualTo("diabetes");
        assertThat(v2.get("model_version").asString()).isEqualTo("v1");
        assertThat(v2.get("id").asString()).isEqualTo("42");
        assertThat(v2.at("/outputs/0/name").asString()).isEqualTo("prediction");
        assertThat(v2.at("/outputs/0/datatype").asString()).isEqualTo("FP64");
        assertThat(v2.at("/outputs/0/shape/0").asInt()).isEqualTo(1);

        // and each row left exactly one audit record, naming the route it came by
        Map<String, List<String>> routes = auditRoutes(rows.values().stream().map(Arrays::toString).toList());
        assertThat(routes.get(Arrays.toString(rows.get("predict")))).containsExactly("predict");
        assertThat(routes.get(Arrays.toString(rows.get("v2-rows")))).containsExactly("predict", "v2");
        assertThat(routes.get(Arrays.toString(rows.get("v2-features")))).containsExactly("predict", "v2");
        assertThat(routes.get(Arrays.toString(rows.get("v1")))).containsExactly("predict", "v1");
        for (String mlflow : List.of("split", "records", "instances", "inputs", "csv")) {
            assertThat(routes.get(Arrays.toString(rows.get(mlflow)))).as(mlflow).containsExactly("invocations", "predict");
        }
    }

    @Test
    void aThousandRowsThroughTheOpenInferenceProtocolGiveWhatPredictBatchGives() {
        Random random = new Random(12);
        List<double[]> rows = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            rows.add(row(random));
        }

        JsonNode batch = http().postJson("/predict/batch", Http.json(Map.of("rows", rows))).json();
        JsonNode tensor = http().postJson("/v2/models/diabetes/infer", Http.json(Map.of("inputs", List.of(Map.of(
                "name", "input", "shape", List.of(1000, 10), "datatype", "FP64", "data", rows))))).json();

        assertThat(tensor.at("/outputs/0/shape/0").asInt()).isEqualTo(1000);
        for (int i = 0; i < 1000; i++) {
            assertThat(tensor.at("/outputs/0/data/" + i).asDouble()).as("row %d", i)
                    .isEqualTo(batch.at("/results/" + i + "/prediction").asDouble());
        }
    }

    @Test
    void aVersionInThePathScoresWithThatVersionChampionOrNot() {
        // given a candidate, registered but not promoted
        TrainedModel candidate = new ModelTrainer(TrainingConfig.DEFAULT.withEpochs(2)).train(SAMPLE.schema(),
                SAMPLE.rows());
        String label = registry.register(ModelNames.SAMPLE, NewModelVersion.of(candidate, Map.of(), 442)).label();
        double[] row = row(new Random(13));

        // when it is asked for by version
        JsonNode answer = http().postJson("/v2/models/diabetes/versions/" + label + "/infer", Http.json(Map.of("inputs",
                List.of(Map.of("name", "input", "shape", List.of(1, 10), "datatype", "FP64", "data", row))))).json();

        // then it answers, and the champion still serves the unversioned route
        assertThat(answer.get("model_version").asString()).isEqualTo(label);
        assertThat(answer.at("/outputs/0/data/0").asDouble()).isEqualTo(candidate.scorer().score(row));
        assertThat(http().postJson("/v2/models/diabetes/infer", Http.json(Map.of("inputs", List.of(Map.of("name",
                "input", "shape", List.of(1, 10), "datatype", "FP64", "data", row))))).json().get("model_version")
                .asString()).isEqualTo("v1");
        JsonNode metadata = http().get("/v2/models/diabetes/versions/" + label).json();
        assertThat(metadata.get("versions").get(0).asString()).isEqualTo(label);
    }

    @Test
    void metadataAndHealthAnswerAsTheSpecificationShapesThem() {
        JsonNode server = http().get("/v2").json();
        assertThat(server.get("name").asString()).isEqualTo("scorepipe");
        assertThat(server.get("extensions").isArray()).isTrue();
        assertThat(http().get("/v2/health/live").json().get("live").asBoolean()).isTrue();
        Http.Response ready = http().get("/v2/health/ready");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.json().get("ready").asBoolean()).isTrue();
        JsonNode model = http().get("/v2/models/diabetes").json();
        assertThat(model.get("name").asString()).isEqualTo("diabetes");
        assertThat(model.get("platform").asString()).isEqualTo("tribuo");
        assertThat(model.at("/inputs/0/name").asString()).isEqualTo("input");
        assertThat(model.at("/inputs/0/datatype").asString()).isEqualTo("FP64");
        assertThat(model.at("/inputs/0/shape/1").asInt()).isEqualTo(10);
        assertThat(model.at("/outputs/0/name").asString()).isEqualTo("prediction");
        assertThat(model.get("features").get(2).asString()).isEqualTo("bmi");
        assertThat(model.get("versions").toString()).contains("\"v1\"");
        assertThat(http().get("/v2/models/diabetes/ready").json().get("ready").asBoolean()).isTrue();
        JsonNode v1 = http().get("/v1/models/diabetes").json();
        assertThat(v1.get("name").asString()).isEqualTo("diabetes");
        assertThat(v1.get("ready").asBoolean()).isTrue();
        assertThat(http().get("/ping").status()).isEqualTo(200);
    }

    @Test
    void errorsComeInEachProtocolsOwnShape() {
        // Open Inference Protocol: {"error": ...}, 400 for a request that does not fit, 404 for an unknown model
        Http.Response shape = http().postJson("/v2/models/diabetes/infer", Http.json(Map.of("inputs", List.of(Map.of(
                "name", "input", "shape", List.of(2, 10), "datatype", "FP64", "data", new double[19])))));
        assertThat(shape.status()).isEqualTo(400);
        assertThat(shape.contentType()).startsWith("application/json");
        assertThat(shape.json().get("error").asString())
                .isEqualTo("input 'input' has shape [2, 10], which holds 20 values, but its data has 19");
        Http.Response datatype = http().postJson("/v2/models/diabetes/infer", Http.json(Map.of("inputs", List.of(Map.of(
                "name", "input", "shape", List.of(1, 10), "datatype", "BYTES", "data", new double[10])))));
        assertThat(datatype.json().get("error").asString()).contains("datatype 'BYTES'");
        Http.Response output = http().postJson("/v2/models/diabetes/infer", Http.json(Map.of("inputs", List.of(Map.of(
                "name", "input", "shape", List.of(1, 10), "datatype", "FP64", "data", new double[10])), "outputs",
                List.of(Map.of("name", "probabilities")))));
        assertThat(output.json().get("error").asString()).startsWith("unknown output 'probabilities'");
        Http.Response unknownModel = http().postJson("/v2/models/nope/infer", "{\"inputs\": []}");
        assertThat(unknownModel.status()).isEqualTo(404);
        assertThat(unknownModel.json().get("error").asString()).contains("no model named 'nope'");
        Http.Response unknownVersion = http().get("/v2/models/diabetes/versions/v99");
        assertThat(unknownVersion.status()).isEqualTo(404);
        assertThat(unknownVersion.json().has("error")).isTrue();
        Http.Response malformed = http().postJson("/v2/models/diabetes/infer", "{\"inputs\": [");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().has("error")).isTrue();

        // KServe v1: {"error": ...}, naming the instance
        Http.Response instance = http().postJson("/v1/models/diabetes:predict", Http.json(Map.of("instances",
                List.of(new double[10], List.of(1, 2)))));
        assertThat(instance.status()).isEqualTo(400);
        assertThat(instance.json().get("error").asString()).startsWith("instance 1: expected 10 features");

        // MLflow: {"error_code": ..., "message": ...}
        Http.Response missing = http().postJson("/invocations", Http.json(Map.of("dataframe_split", Map.of("columns",
                List.of("age"), "data", List.of(List.of(1))))));
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().get("error_code").asString()).isEqualTo("BAD_REQUEST");
        assertThat(missing.json().get("message").asString()).contains("missing features sex, bmi");
        Http.Response unknown = http().postJson("/invocations?model=nope", Http.json(Map.of("instances",
                List.of(new double[10]))));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("error_code").asString()).isEqualTo("RESOURCE_DOES_NOT_EXIST");
        Http.Response two = http().postJson("/invocations", Http.json(Map.of("instances", List.of(), "inputs",
                List.of())));
        assertThat(two.json().get("message").asString()).contains("exactly one of");

        // and scorepipe's own routes keep their problem details
        assertThat(http().postJson("/predict", "{\"features\": [1]}").contentType()).startsWith("application/problem+json");
    }

    private double invocations(Map<String, Object> body) {
        Http.Response response = http().postJson("/invocations", Http.json(body));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json().at("/predictions/0").asDouble();
    }

    private static Map<String, Double> named(double[] row) {
        Map<String, Double> named = new LinkedHashMap<>();
        for (int i = 0; i < row.length; i++) {
            named.put(SAMPLE.schema().names().get(i), row[i]);
        }
        return named;
    }

    private static double[] row(Random random) {
        double[] row = new double[10];
        for (int i = 0; i < row.length; i++) {
            row[i] = Math.round(random.nextGaussian() * 0.05 * 1e6) / 1e6;
        }
        return row;
    }

    /** The routes of the audit records of each row (by its features), as the audit topic has them. */
    private Map<String, List<String>> auditRoutes(List<String> rows) {
        Map<String, List<String>> routes = new HashMap<>();
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestServices.kafkaBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, TestServices.uniqueName("audit-reader"),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topics.audit()));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            long quietUntil = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, quietUntil)) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    JsonNode audit = JSON.readTree(record.value());
                    double[] features = new double[audit.get("features").size()];
                    for (int i = 0; i < features.length; i++) {
                        features[i] = audit.get("features").get(i).asDouble();
                    }
                    String key = Arrays.toString(features);
                    if (rows.contains(key)) {
                        routes.computeIfAbsent(key, k -> new ArrayList<>()).add(audit.get("route").asString());
                    }
                });
                if (quietUntil == Long.MAX_VALUE && routes.keySet().containsAll(rows)
                        && routes.values().stream().mapToInt(List::size).sum() >= 2 * rows.size() - 1) {
                    // a little longer, so that a duplicate delivered late would be seen too
                    quietUntil = System.nanoTime() + Duration.ofSeconds(1).toNanos();
                }
            }
        }
        routes.values().forEach(list -> list.sort(null));
        return routes;
    }
}
