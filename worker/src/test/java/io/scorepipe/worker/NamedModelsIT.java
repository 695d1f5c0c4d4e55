package io.scorepipe.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.scorepipe.batch.DataFolders;
import io.scorepipe.config.TopicProperties;
import io.scorepipe.csv.Csv;
import io.scorepipe.messages.DeadLetter;
import io.scorepipe.registry.ModelNames;
import io.scorepipe.registry.ModelRegistry;
import io.scorepipe.testing.ApiContract;
import io.scorepipe.testing.AppProcess;
import io.scorepipe.testing.Houses;
import io.scorepipe.testing.TestServices;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A second model with a schema of its own ("houses": six raw-magnitude features, a price in the
 * hundreds of thousands) goes through every path next to the sample model, driven as a user drives
 * it: the api jar runs as its own process beside this worker, every step starts with an HTTP call,
 * a file in a folder or a record on a topic, and ends with what the api, the files or the results
 * topic show. Its versions are trained here from its CSV and imported from scikit-learn's ONNX.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NamedModelsIT {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String TOKEN = "models-token-" + UUID.randomUUID();
    static final String ADMIN = "Bearer " + TOKEN;
    static final Map<String, Object> PROPERTIES = new HashMap<>();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final double TOLERANCE = 1e-5;
    static AppProcess api;
    static int apiPort;
    /** Every prediction id the api answered for houses, with the version it named. */
    static final Map<String, String> ANSWERED = new LinkedHashMap<>();

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) throws IOException {
        PROPERTIES.putAll(TestServices.springProperties("models"));
        PROPERTIES.put("scorepipe.retrain.cron", "-");
        PROPERTIES.put("scorepipe.batch.poll-interval", "200ms");
        PROPERTIES.put("scorepipe.batch.settle", "300ms");
        PROPERTIES.put("scorepipe.batch.group-id", TestServices.uniqueName("batch"));
        PROPERTIES.put("scorepipe.stream.group-id", TestServices.uniqueName("stream"));
        PROPERTIES.put("scorepipe.model.max-import-size", "200KB");
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
        api = AppProcess.startApi("models-api", apiProperties);
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

    @Autowired
    TopicProperties topics;

    @Autowired
    JdbcClient jdbc;

    @Test
    @Order(1)
    void aModelTrainedFromYourOwnCsvServesByNameAndABadFileSaysWhichColumnAndLine() throws Exception {
        // given files that cannot make a model: text in a feature column, a target the header lacks, a bad name
        String csv = Houses.csv();
        String withCity = csv.lines().map(line -> line + (line.startsWith("id,") ? ",city" : ",Springfield"))
                .collect(Collectors.joining("\n"));
        HttpResponse<String> text = postCsv("/models?name=houses&target=price&ignore=id", withCity);
        assertThat(text.statusCode()).as(text.body()).isEqualTo(422);
        assertThat(field(text)).isEqualTo("city");
        assertThat(detail(text)).contains("line 2").contains("ignore=city");
        HttpResponse<String> noTarget = postCsv("/models?name=houses&target=cost&ignore=id", csv);
        assertThat(noTarget.statusCode()).isEqualTo(422);
        assertThat(field(noTarget)).isEqualTo("target");
        assertThat(detail(noTarget)).contains("no column 'cost'").contains("price");
        HttpResponse<String> badName = postCsv("/models?name=v7&target=price&ignore=id", csv);
        assertThat(badName.statusCode()).isEqualTo(422);
        assertThat(detail(badName)).contains("looks like a version label");
        HttpResponse<String> fewRows = postCsv("/models?name=houses&target=price&ignore=id",
                String.join("\n", csv.lines().limit(11).toList()));
        assertThat(detail(fewRows)).contains("10 labelled rows; at least 50 are needed");
        assertThat(registry.model("houses")).isEmpty();

        // when the whole file is sent as a form, with the id column left out
        HttpResponse<String> accepted = postForm("/models", Map.of("name", "houses", "target", "price", "ignore", "id"),
                "houses.csv", csv.getBytes(StandardCharsets.UTF_8));

        // then a worker trains, judges and promotes version 1, and the model is listed beside the sample's
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String location = accepted.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith("/models/houses/retrain/");
        JsonNode run = awaitEnded(location);
        assertThat(run.get("status").asString()).as(run.toString()).isEqualTo("completed");
        assertThat(run.get("version").asString()).isEqualTo("v1");
        assertThat(run.get("promoted").asBoolean()).isTrue();
        JsonNode models = json(get("/models"));
        Map<String, JsonNode> byName = new HashMap<>();
        models.forEach(model -> byName.put(model.get("name").asString(), model));
        assertThat(byName.get("diabetes").get("default").asBoolean()).isTrue();
        assertThat(byName.get("houses").get("champion").asString()).isEqualTo("v1");
        assertThat(byName.get("houses").get("origin").asString()).isEqualTo("csv");
        assertThat(texts(byName.get("houses").get("features"))).containsExactlyElementsOf(Houses.FEATURES);
        JsonNode v1 = json(get("/models/houses/current"));
        assertThat(v1.get("format").asString()).isEqualTo("tribuo-protobuf");
        assertThat(v1.get("metrics").get("r2").asDouble()).as("held-out R² of a model trained on raw values")
                .isGreaterThan(0.8);
        HttpResponse<String> taken = postCsv("/models?name=houses&target=price&ignore=id", csv);
        assertThat(taken.statusCode()).isEqualTo(422);
        assertThat(detail(taken)).contains("exists already");

        // and it answers by name with raw values, positionally or by feature name
        Houses.Expected row = Houses.expected().getFirst();
        JsonNode positional = predict("houses", row.features());
        assertThat(positional.get("model").asString()).isEqualTo("houses");
        assertThat(positional.get("model_version").asString()).isEqualTo("v1");
        assertThat(positional.get("prediction").asDouble()).isBetween(row.price() * 0.5, row.price() * 1.5);
        Map<String, Double> named = new HashMap<>();
        for (int i = 0; i < Houses.FEATURES.size(); i++) {
            named.put(Houses.FEATURES.get(i), row.features()[i]);
        }
        HttpResponse<String> byFeatureName = post("/models/houses/predict", JSON.writeValueAsString(Map.of("features",
                named)), null);
        assertThat(json(byFeatureName).get("prediction").asDouble()).isEqualTo(positional.get("prediction").asDouble());
        HttpResponse<String> wrong = post("/models/houses/predict", "{\"features\": [1, 2, 3]}", null);
        assertThat(wrong.statusCode()).isEqualTo(422);
        assertThat(detail(wrong)).contains("expected 6 features (sqft, age_years, rooms, distance_km, lot_acres, "
                + "school_score)");
        assertThat(post("/models/nope/predict", "{\"features\": [1]}", null).statusCode()).isEqualTo(404);
    }

    @Test
    @Order(2)
    void anOnnxModelFromScikitLearnIsCheckedJudgedAgainstTheChampionAndServesItsOwnAnswers() throws Exception {
        // given files that cannot serve: each is refused with the runtime's reason, and nothing is stored
        byte[] gbt = Houses.bytes("houses-gbt.onnx");
        Map<String, String> refusals = new LinkedHashMap<>();
        refusals.put("truncated", detail(importFile("houses", "cut.onnx", Arrays.copyOf(gbt, gbt.length / 3), Map.of())));
        refusals.put("two inputs", detail(importFile("houses", "two.onnx", Houses.bytes("bad-two-inputs.onnx"),
                Map.of())));
        refusals.put("wrong width", detail(importFile("houses", "lin.onnx", Houses.bytes("houses-linear-f32.onnx"),
                Map.of("features", "sqft,age_years,rooms,distance_km,lot_acres"))));
        refusals.put("non-finite", detail(importFile("houses", "inf.onnx", Houses.bytes("bad-nonfinite.onnx"), Map.of())));
        byte[] big = new byte[300 * 1024];
        new Random(1).nextBytes(big);
        refusals.put("oversized", detail(importFile("houses", "big.onnx", big, Map.of())));
        assertThat(refusals.get("truncated")).startsWith("ONNX Runtime could not load the model");
        assertThat(refusals.get("two inputs")).startsWith("the model has 2 inputs");
        assertThat(refusals.get("wrong width")).contains("takes 6 features per row, but 5 feature names were given");
        assertThat(refusals.get("non-finite")).contains("is Infinity, not a finite number");
        assertThat(refusals.get("oversized")).contains("scorepipe.model.max-import-size");
        assertThat(refusals.values()).allSatisfy(reason -> assertThat(reason).endsWith("nothing was stored"));
        assertThat(registry.list("houses")).hasSize(1);

        // when scikit-learn's gradient-boosted trees are imported, to be promoted if they beat the champion
        HttpResponse<String> imported = importFile("houses", "houses-gbt.onnx", gbt, Map.of("promote", "auto"));

        // then they are judged against v1 on the same held-out examples, beat it, and serve
        assertThat(imported.statusCode()).as(imported.body()).isEqualTo(201);
        JsonNode v2 = json(imported);
        assertThat(v2.get("version").asString()).isEqualTo("v2");
        assertThat(v2.get("format").asString()).isEqualTo("onnx");
        assertThat(v2.get("metrics").get("champion").get("version").asString()).isEqualTo("v1");
        assertThat(v2.get("decision").asString()).as(v2.get("reason").asString()).isEqualTo("promoted");
        assertThat(v2.get("reason").asString()).contains("promote=auto").contains("beats the champion v1");

        // and every answer is scikit-learn's own, within 1e-5
        for (Houses.Expected row : Houses.expected().subList(0, 20)) {
            JsonNode answer = predict("houses", row.features());
            assertThat(answer.get("model_version").asString()).isEqualTo("v2");
            assertThat(relative(answer.get("prediction").asDouble(), row.gbt())).as("row %d", row.id())
                    .isLessThan(TOLERANCE);
        }

        // and a file with no model yet becomes one, with the features from its metadata
        HttpResponse<String> linear = importFile("houses-linear", "houses-linear-f64.onnx",
                Houses.bytes("houses-linear-f64.onnx"), Map.of("promote", "true"));
        assertThat(linear.statusCode()).as(linear.body()).isEqualTo(201);
        assertThat(json(linear).get("status").asString()).isEqualTo("champion");
        assertThat(json(get("/models/houses-linear")).get("origin").asString()).isEqualTo("import");
    }

    @Test
    @Order(3)
    void theCacheNeverAnswersOneModelsRequestWithAnothersValue() throws Exception {
        // given one row, sent to two models that take the same features
        Houses.Expected row = Houses.expected().get(5);

        // when each is asked twice
        JsonNode trees = predict("houses", row.features());
        JsonNode treesAgain = predict("houses", row.features());
        JsonNode line = predict("houses-linear", row.features());
        JsonNode lineAgain = predict("houses-linear", row.features());

        // then the second answer of each comes from the cache, and is that model's own
        assertThat(treesAgain.get("cached").asBoolean()).isTrue();
        assertThat(lineAgain.get("cached").asBoolean()).isTrue();
        assertThat(treesAgain.get("prediction").asDouble()).isEqualTo(trees.get("prediction").asDouble());
        assertThat(lineAgain.get("prediction").asDouble()).isEqualTo(line.get("prediction").asDouble());
        assertThat(relative(trees.get("prediction").asDouble(), row.gbt())).isLessThan(TOLERANCE);
        assertThat(relative(line.get("prediction").asDouble(), row.linear())).isLessThan(TOLERANCE);
        assertThat(trees.get("prediction").asDouble()).isNotEqualTo(line.get("prediction").asDouble());
        JsonNode batch = json(post("/models/houses/predict/batch", JSON.writeValueAsString(Map.of("rows",
                List.of(row.features(), List.of(1, 2)))), null));
        assertThat(batch.get("model").asString()).isEqualTo("houses");
        assertThat(batch.get("results").get(0).get("prediction").asDouble()).isEqualTo(trees.get("prediction").asDouble());
        assertThat(batch.get("results").get(1).get("error").get("detail").asString()).contains("expected 6 features");
        ANSWERED.put(batch.get("results").get(0).get("prediction_id").asString(), "v2");
    }

    @Test
    @Order(4)
    void csvFilesByUploadAndByFolderAreScoredByTheModelTheyAreFor() throws Exception {
        // given a file of held-out rows, with their id passing through
        List<Houses.Expected> rows = Houses.expected().subList(0, 40);
        StringBuilder file = new StringBuilder("id," + String.join(",", Houses.FEATURES) + "\n");
        for (Houses.Expected row : rows) {
            file.append(row.id());
            for (double value : row.features()) {
                file.append(',').append(value);
            }
            file.append('\n');
        }

        // when it is uploaded for houses, and dropped into inbox/houses/, and into a folder of no model
        HttpResponse<String> upload = post("/batches?model=houses&name=upload.csv", file.toString(), null, "text/csv");
        assertThat(upload.statusCode()).as(upload.body()).isEqualTo(202);
        String uploaded = json(upload).get("id").asString();
        drop(folders.inbox("houses"), "dropped.csv", file.toString() + "999,1000,10,3,5,0.5,5\n");
        drop(folders.inbox("nope"), "lost.csv", file.toString());

        // then both are scored by houses' champion, line by line as scikit-learn scores them
        JsonNode byUpload = awaitBatch(uploaded);
        JsonNode byFolder = awaitBatch(awaitBatchNamed("dropped.csv"));
        for (JsonNode batch : List.of(byUpload, byFolder)) {
            assertThat(batch.get("status").asString()).as(batch.toString()).isEqualTo("completed");
            assertThat(batch.get("model").asString()).isEqualTo("houses");
            assertThat(batch.get("model_version").asString()).isEqualTo("v2");
            List<String> results = get(batch.get("results").asString()).body().lines().toList();
            assertThat(results.getFirst()).endsWith(",prediction,model_version");
            for (int i = 0; i < rows.size(); i++) {
                List<String> cells = Csv.split(results.get(i + 1));
                assertThat(cells.getFirst()).isEqualTo(String.valueOf(rows.get(i).id()));
                assertThat(relative(Double.parseDouble(cells.get(cells.size() - 2)), rows.get(i).gbt())).isLessThan(
                        TOLERANCE);
            }
            assertThat(auditRows("batch", batch.get("id").asString() + ":%", "houses", "v2"))
                    .isEqualTo(batch.get("rows_scored").asLong());
        }
        assertThat(byFolder.get("rows_scored").asLong()).isEqualTo(rows.size() + 1);
        JsonNode lost = awaitBatch(awaitBatchNamed("lost.csv"));
        assertThat(lost.get("status").asString()).isEqualTo("failed");
        assertThat(lost.get("error").asString()).contains("no model named 'nope'");
    }

    @Test
    @Order(5)
    void streamRecordsNameTheirModelAndOneNamingNoModelIsDeadLettered() throws Exception {
        // given records for houses (one positional, the rest by name), one for the default model, one for no model
        String prefix = "houses-" + UUID.randomUUID() + "-";
        List<Houses.Expected> rows = Houses.expected().subList(60, 80);
        try (KafkaProbe kafka = new KafkaProbe()) {
            for (int i = 0; i < rows.size(); i++) {
                Object features = i == 0 ? rows.get(i).features() : named(rows.get(i).features());
                kafka.send(topics.requests(), null, JSON.writeValueAsString(Map.of("request_id", prefix + i,
                        "model", "houses", "features", features)));
            }
            kafka.send(topics.requests(), null, JSON.writeValueAsString(Map.of("request_id", prefix + "sample",
                    "features", new double[10])));
            kafka.send(topics.requests(), prefix + "nope", JSON.writeValueAsString(Map.of("request_id", prefix + "nope",
                    "model", "nope", "features", rows.getFirst().features())));
            kafka.flush();
        }

        // then each houses record has its result from houses v2, the unnamed one from the sample model
        List<ConsumerRecord<String, byte[]>> results = KafkaProbe.readCommitted(topics.results(),
                read -> read.stream().filter(r -> r.key().startsWith(prefix)).count() >= rows.size() + 1,
                Duration.ofSeconds(60));
        Map<String, JsonNode> byId = results.stream().filter(r -> r.key().startsWith(prefix))
                .collect(Collectors.toMap(ConsumerRecord::key, r -> JSON.readTree(r.value()), (a, b) -> a));
        for (int i = 0; i < rows.size(); i++) {
            JsonNode result = byId.get(prefix + i);
            assertThat(result).as("result %d", i).isNotNull();
            assertThat(result.get("model").asString()).isEqualTo("houses");
            assertThat(result.get("model_version").asString()).isEqualTo("v2");
            assertThat(relative(result.get("prediction").asDouble(), rows.get(i).gbt())).isLessThan(TOLERANCE);
            assertThat(auditRow(result.get("prediction_id").asString())).containsEntry("model", "houses")
                    .containsEntry("model_version", "v2");
        }
        assertThat(byId.get(prefix + "sample").get("model").asString()).isEqualTo(ModelNames.SAMPLE);
        // and the one naming no model is dead-lettered with the reason
        List<ConsumerRecord<String, byte[]>> letters = KafkaProbe.readCommitted(topics.deadLetter(),
                read -> read.stream().anyMatch(r -> (prefix + "nope").equals(r.key())), Duration.ofSeconds(60));
        ConsumerRecord<String, byte[]> letter = letters.stream().filter(r -> (prefix + "nope").equals(r.key()))
                .findFirst().orElseThrow();
        assertThat(KafkaProbe.text(letter.headers().lastHeader(DeadLetter.REASON).value()))
                .contains("no model named 'nope'");
    }

    @Test
    @Order(6)
    void labelsForTheModelTrainAChallengerJudgedAgainstTheImportedChampion() throws Exception {
        // given a labels file for houses, its target under the model's own name
        StringBuilder labels = new StringBuilder(String.join(",", Houses.FEATURES) + ",price\n");
        for (var row : Houses.rows().subList(0, 100)) {
            labels.append(Arrays.stream(row.features()).mapToObj(Double::toString).collect(Collectors.joining(",")))
                    .append(',').append(row.target() + 1000).append('\n');
        }
        labels.append("1,2,3\n");

        // when it is dropped into inbox/labels/houses/
        drop(folders.labelsInbox("houses"), "more.csv", labels.toString());

        // then it is read for houses, and shown by the api
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode files = json(get("/models/houses/labels")).get("items");
            return !files.isEmpty() && files.get(0).get("status").asString().equals("completed");
        });
        JsonNode file = json(get("/models/houses/labels")).get("items").get(0);
        assertThat(file.get("model").asString()).isEqualTo("houses");
        assertThat(file.get("examples_stored").asLong()).isEqualTo(100);
        assertThat(file.get("lines_rejected").asLong()).isEqualTo(1);
        assertThat(json(get("/models/labels")).get("items").findValuesAsString("model")).doesNotContain("houses");

        // when a retrain of houses is asked for
        JsonNode run = awaitEnded(post("/models/houses/retrain", "", ADMIN).headers().firstValue("Location")
                .orElseThrow());

        // then a challenger is trained here and judged against the imported trees on the same rows
        assertThat(run.get("status").asString()).as(run.toString()).isEqualTo("completed");
        assertThat(run.get("model").asString()).isEqualTo("houses");
        assertThat(run.get("reason").asString()).contains("champion v2");
        JsonNode v3 = json(get("/models/houses/versions/" + run.get("version").asString()));
        assertThat(v3.get("format").asString()).isEqualTo("tribuo-protobuf");
        assertThat(v3.get("metrics").get("champion").get("version").asString()).isEqualTo("v2");
        assertThat(json(get("/models/current")).get("version").asString()).isEqualTo("v1");
    }

    @Test
    @Order(7)
    void promotionAndRollbackChangeOneModelOnly() throws Exception {
        String sampleChampion = json(get("/models/current")).get("version").asString();
        String champion = json(get("/models/houses/current")).get("version").asString();

        // when houses' v1 is promoted by hand
        HttpResponse<String> promoted = post("/models/houses/versions/v1/promote", "{\"reason\": \"compare\"}", ADMIN);
        assertThat(promoted.statusCode()).as(promoted.body()).isEqualTo(200);

        // then houses answers with v1 and the sample model is untouched
        Houses.Expected row = Houses.expected().get(30);
        assertThat(predict("houses", row.features()).get("model_version").asString()).isEqualTo("v1");
        assertThat(json(get("/models/current")).get("version").asString()).isEqualTo(sampleChampion);

        // when it is rolled back
        HttpResponse<String> rolledBack = post("/models/houses/rollback", "{\"reason\": \"trees were better\"}", ADMIN);

        // then the champion before serves again, and the history says who did what
        assertThat(rolledBack.statusCode()).as(rolledBack.body()).isEqualTo(200);
        assertThat(json(rolledBack).get("version").asString()).isEqualTo(champion);
        assertThat(predict("houses", row.features()).get("model_version").asString()).isEqualTo(champion);
        JsonNode history = json(get("/models/houses/promotions")).get("items");
        assertThat(texts(history, "promoted_by")).startsWith("api", "api").contains("import").endsWith("retrain");
        assertThat(texts(history, "reason").getFirst()).isEqualTo("trees were better");
        HttpResponse<String> nothing = post("/models/houses-linear/rollback", "", ADMIN);
        assertThat(nothing.statusCode()).isEqualTo(409);
        assertThat(post("/models/houses/rollback", "", null).statusCode()).isEqualTo(401);
    }

    @Test
    @Order(8)
    void everyAnsweredPredictionHasExactlyOneAuditRowNamingItsModelAndVersion() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (Map.Entry<String, String> answered : ANSWERED.entrySet()) {
                assertThat(jdbc.sql("SELECT count(*) FROM prediction_audit WHERE prediction_id = ?::uuid AND model = "
                        + "'houses' AND model_version = ?").params(answered.getKey(), answered.getValue())
                        .query(Integer.class).single()).as(answered.getKey()).isOne();
            }
        });
        assertThat(ANSWERED).hasSizeGreaterThan(20);
        assertThat(jdbc.sql("SELECT count(*) FROM prediction_audit WHERE model = 'houses-linear'").query(Integer.class)
                .single()).isEqualTo(2);
    }

    // ---- helpers

    private JsonNode predict(String model, double[] features) throws Exception {
        HttpResponse<String> response = post("/models/" + model + "/predict", JSON.writeValueAsString(Map.of("features",
                features)), null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode answer = json(response);
        if (model.equals("houses")) {
            ANSWERED.put(answer.get("prediction_id").asString(), answer.get("model_version").asString());
        }
        return answer;
    }

    private static Map<String, Double> named(double[] features) {
        Map<String, Double> named = new HashMap<>();
        for (int i = 0; i < features.length; i++) {
            named.put(Houses.FEATURES.get(i), features[i]);
        }
        return named;
    }

    private long auditRows(String source, String refPattern, String model, String version) {
        return jdbc.sql("SELECT count(*) FROM prediction_audit WHERE source = ? AND source_ref LIKE ? AND model = ? "
                + "AND model_version = ?").params(source, refPattern, model, version).query(Long.class).single();
    }

    private Map<String, Object> auditRow(String predictionId) {
        return jdbc.sql("SELECT model, model_version FROM prediction_audit WHERE prediction_id = ?::uuid")
                .param(predictionId).query().singleRow();
    }

    private static void drop(Path folder, String name, String content) throws IOException {
        Files.createDirectories(folder);
        Path part = folder.resolve("." + name + ".part");
        Files.writeString(part, content);
        Files.move(part, folder.resolve(name));
    }

    private static String awaitBatchNamed(String fileName) {
        await().atMost(Duration.ofSeconds(30)).until(() -> json(get("/batches?limit=50")).findValuesAsString("file_name")
                .contains(fileName));
        for (JsonNode batch : json(get("/batches?limit=50"))) {
            if (batch.get("file_name").asString().equals(fileName)) {
                return batch.get("id").asString();
            }
        }
        throw new AssertionError("no batch " + fileName);
    }

    private static JsonNode awaitBatch(String id) {
        await().atMost(Duration.ofSeconds(60)).until(() -> Set.of("completed", "failed", "duplicate")
                .contains(json(get("/batches/" + id)).get("status").asString()));
        return json(get("/batches/" + id));
    }

    private static JsonNode awaitEnded(String location) {
        await().atMost(Duration.ofSeconds(90)).until(() -> Set.of("completed", "skipped", "failed")
                .contains(json(get(location)).get("status").asString()));
        return json(get(location));
    }

    private static double relative(double actual, double expected) {
        return Math.abs(actual - expected) / Math.abs(expected);
    }

    private static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }

    private static String detail(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
        return json(response).get("detail").asString();
    }

    private static String field(HttpResponse<String> response) {
        return json(response).get("errors").get(0).get("field").asString();
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(item -> texts.add(item.asString()));
        return texts;
    }

    private static List<String> texts(JsonNode array, String field) {
        List<String> texts = new ArrayList<>();
        array.forEach(item -> texts.add(item.get(field).asString()));
        return texts;
    }

    private static HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    private static HttpResponse<String> post(String path, String json, String authorization) {
        return post(path, json, authorization, "application/json");
    }

    private static HttpResponse<String> post(String path, String body, String authorization, String type) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return send(request);
    }

    private static HttpResponse<String> postCsv(String path, String csv) {
        return post(path, csv, ADMIN, "text/csv");
    }

    private static HttpResponse<String> importFile(String model, String fileName, byte[] bytes,
            Map<String, String> fields) {
        return postForm("/models/" + model + "/versions", fields, fileName, bytes);
    }

    /** A multipart form: the fields, then the file as the part 'file'. */
    private static HttpResponse<String> postForm(String path, Map<String, String> fields, String fileName, byte[] file) {
        String boundary = "scorepipe-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        fields.forEach((name, value) -> body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\""
                + name + "\"\r\n\r\n" + value + "\r\n").getBytes(StandardCharsets.UTF_8)));
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(file);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return send(HttpRequest.newBuilder(uri(path)).header("Authorization", ADMIN)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + apiPort + path);
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
