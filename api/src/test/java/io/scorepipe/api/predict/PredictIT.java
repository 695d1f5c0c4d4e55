package io.scorepipe.api.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.scorepipe.api.Http;
import io.scorepipe.config.TopicProperties;
import io.scorepipe.registry.ModelRegistry;
import io.scorepipe.registry.NewModelVersion;
import io.scorepipe.registry.ModelNames;
import io.scorepipe.registry.ServingModels;
import io.scorepipe.scoring.BundledSample;
import io.scorepipe.scoring.ModelTrainer;
import io.scorepipe.scoring.Scorer;
import io.scorepipe.scoring.TrainedModel;
import io.scorepipe.scoring.TrainingConfig;
import io.scorepipe.testing.TcpProxy;
import io.scorepipe.testing.TestServices;
import redis.clients.jedis.JedisPooled;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** /predict and /predict/batch against real PostgreSQL, Redis (through a proxy the test can cut) and Kafka. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PredictIT {

    static final String TOKEN = "test-admin-token-" + UUID.randomUUID();
    static final BundledSample SAMPLE = BundledSample.diabetes();
    static final JsonMapper JSON = JsonMapper.builder().build();
    static TcpProxy redis;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) throws Exception {
        Map<String, Object> properties = new HashMap<>(TestServices.springProperties("predict"));
        redis = TcpProxy.to(TestServices.redisUri().getHost(), TestServices.redisUri().getPort());
        properties.put("scorepipe.redis.url", "redis://127.0.0.1:" + redis.port());
        properties.put("scorepipe.redis.retry-after", "300ms");
        properties.put("scorepipe.model.bootstrap", "true");
        Path token = Files.createTempFile("admin-token", ".txt");
        Files.writeString(token, TOKEN + "\n");
        token.toFile().deleteOnExit();
        properties.put("scorepipe.admin.token-file", token.toString());
        properties.forEach((key, value) -> registry.add(key, () -> value));
    }

    @AfterAll
    static void closeProxy() {
        redis.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    ServingModels serving;

    @Autowired
    ModelRegistry registry;

    @Autowired
    TopicProperties topics;

    @Autowired
    PredictionCache cache;

    private Http http() {
        return new Http(port);
    }

    @Test
    void seedAndNamedFormsGiveTheSamePrediction() {
        double[] row = SAMPLE.rows().getFirst().features();
        Map<String, Object> named = new LinkedHashMap<>();
        for (int i = row.length - 1; i >= 0; i--) {
            named.put(SAMPLE.schema().names().get(i), row[i]);
        }

        Http.Response positional = http().postJson("/predict", Http.json(Map.of("features", row)));
        Http.Response byName = http().postJson("/predict", Http.json(Map.of("features", named, "request_id", "r-1")));

        assertThat(positional.status()).isEqualTo(200);
        assertThat(byName.status()).isEqualTo(200);
        assertThat(positional.json().get("prediction").asDouble()).isEqualTo(currentScorer().score(row));
        assertThat(byName.json().get("prediction").asDouble()).isEqualTo(positional.json().get("prediction").asDouble());
        assertThat(byName.text("/model_version")).isEqualTo(currentLabel());
        assertThat(byName.text("/model")).isEqualTo("diabetes");
        assertThat(byName.text("/request_id")).isEqualTo("r-1");
        assertThat(UUID.fromString(byName.text("/prediction_id"))).isNotEqualTo(UUID.fromString(positional.text("/prediction_id")));
    }

    @Test
    void batchReturnsOneResultPerRowInOrder() {
        double[] good = SAMPLE.rows().get(1).features();
        List<Object> rows = List.of(good, List.of(1, 2), Map.of("age", 1), SAMPLE.rows().get(2).features());

        Http.Response response = http().postJson("/predict/batch", Http.json(Map.of("rows", rows)));

        assertThat(response.status()).isEqualTo(200);
        JsonNode results = response.json().get("results");
        assertThat(results).hasSize(4);
        assertThat(results.get(0).get("prediction").asDouble()).isEqualTo(currentScorer().score(good));
        assertThat(results.get(1).at("/error/detail").asString()).isEqualTo(
                "expected 10 features (age, sex, bmi, bp, s1, s2, s3, s4, s5, s6), got 2");
        assertThat(results.get(2).at("/error/detail").asString()).contains("missing features sex, bmi");
        assertThat(results.get(3).has("prediction_id")).isTrue();
        assertThat(response.text("/model_version")).isEqualTo(currentLabel());
    }

    @Test
    void batchesOverTheRowLimitAreRefused() {
        List<double[]> rows = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            rows.add(SAMPLE.rows().get(i % 442).features());
        }

        Http.Response response = http().postJson("/predict/batch", Http.json(Map.of("rows", rows)));

        assertThat(response.status()).isEqualTo(422);
        assertThat(response.text("/detail")).isEqualTo("at most 1000 rows per call, got 1001");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            {"features": [1, 2, 3, 4]}                                     | 422 | expected 10 features (age, sex, bmi, bp, s1, s2, s3, s4, s5, s6), got 4
            {"features": {"age": 1, "weight": 2}}                          | 422 | unknown feature weight
            {"features": {"age": 1}}                                       | 422 | missing features sex, bmi, bp, s1, s2, s3, s4, s5, s6
            {"features": [NaN, 0, 0, 0, 0, 0, 0, 0, 0, 0]}                 | 422 | feature 1 (age) is NaN; expected a finite number
            {"features": [0, Infinity, 0, 0, 0, 0, 0, 0, 0, 0]}            | 422 | feature 2 (sex) is out of range
            {"features": [0, 0, 1e400, 0, 0, 0, 0, 0, 0, 0]}              | 422 | feature 3 (bmi) is out of range
            {"features": [0, 0, 0, "0.5", 0, 0, 0, 0, 0, 0]}               | 422 | feature 4 (bp) must be a number, got a string
            {"features": [0, 0, 0, 0, null, 0, 0, 0, 0, 0]}                | 422 | feature 5 (s1) is null
            {"features": "0,0,0"}                                          | 422 | features must be an array of 10 numbers
            {}                                                             | 422 | features must be an array of 10 numbers
            {"features": [1, 2                                             | 400 | the body is not valid JSON
            not json at all                                                | 400 | the body is not valid JSON
            [1, 2, 3]                                                      | 400 | the body is not valid JSON
            """)
    void badInputGetsItsStatusAndASpecificMessage(String body, int status, String message) {
        Http.Response response = http().postJson("/predict", body);

        assertThat(response.status()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.text("/detail")).contains(message);
    }

    @Test
    void oversizedBodiesGet413AndOtherMediaTypes415() {
        String huge = "{\"features\": [" + "0,".repeat(600_000) + "0]}";

        Http.Response tooLarge = http().postJson("/predict", huge);
        Http.Response notJson = http().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/predict"))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("1,2,3")));

        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.text("/detail")).contains("limit is 1048576 bytes");
        assertThat(notJson.status()).isEqualTo(415);
        assertThat(notJson.contentType()).startsWith("application/problem+json");
    }

    @Test
    void theSecondIdenticalRequestIsCachedAndAPromotionIsNotServedFromTheOldCache() {
        // given a row nobody asked for yet
        String body = Http.json(Map.of("features", randomRow(new Random())));
        Http.Response first = http().postJson("/predict", body);
        Http.Response second = http().postJson("/predict", body);
        assertThat(first.json().get("cached").asBoolean()).isFalse();
        assertThat(second.json().get("cached").asBoolean()).isTrue();
        assertThat(second.json().get("prediction").asDouble()).isEqualTo(first.json().get("prediction").asDouble());

        // when another model is promoted
        String promoted = registerAndPromote(3);

        // then the same features are scored afresh by the new version
        Http.Response afterPromotion = http().postJson("/predict", body);
        assertThat(afterPromotion.text("/model_version")).isEqualTo(promoted);
        assertThat(afterPromotion.json().get("cached").asBoolean()).isFalse();
        assertThat(afterPromotion.json().get("prediction").asDouble()).isNotEqualTo(first.json().get("prediction").asDouble());
        assertThat(http().postJson("/predict", body).json().get("cached").asBoolean()).isTrue();
    }

    @Test
    void adminCallsNeedTheRightToken() {
        String current = currentLabel();
        String path = "/models/" + current + "/promote";

        assertThat(http().postJson(path, "{}").status()).isEqualTo(401);
        assertThat(http().postJson(path, "{}", "Authorization", "Bearer wrong").status()).isEqualTo(401);
        assertThat(http().postJson(path, "{}", "Authorization", "Bearer ").status()).isEqualTo(401);
        assertThat(http().postJson(path, "{}", "Authorization", TOKEN).status()).isEqualTo(401);
        Http.Response ok = http().postJson(path, "{\"reason\": \"test\"}", "Authorization", "Bearer " + TOKEN);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.text("/status")).isEqualTo("champion");
        assertThat(http().postJson("/models/v999/promote", "{}", "Authorization", "Bearer " + TOKEN).status()).isEqualTo(404);
    }

    @Test
    void aRetrainRequestIsAcceptedForTheWorkersAndCanBePolled() {
        assertThat(http().postJson("/models/retrain", "", "Authorization", "Bearer wrong").status()).isEqualTo(401);

        Http.Response accepted = http().postJson("/models/retrain", "", "Authorization", "Bearer " + TOKEN);

        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        String id = accepted.text("/id");
        assertThat(accepted.text("/status")).isEqualTo("requested");
        Http.Response polled = http().get("/models/retrain/" + id);
        assertThat(polled.status()).isEqualTo(200);
        assertThat(polled.text("/trigger")).isEqualTo("api");
        assertThat(http().get("/models/retrain/" + UUID.randomUUID()).status()).isEqualTo(404);
    }

    @Test
    void rollbackServesTheOlderVersionAgain() {
        String before = currentLabel();
        String newer = registerAndPromote(2);
        assertThat(http().get("/models/current").text("/version")).isEqualTo(newer);

        Http.Response rollback = http().postJson("/models/" + before + "/promote", "{\"reason\": \"rollback\"}",
                "Authorization", "Bearer " + TOKEN);

        assertThat(rollback.status()).isEqualTo(200);
        assertThat(currentLabel()).isEqualTo(before);
        double[] row = SAMPLE.rows().get(5).features();
        assertThat(http().postJson("/predict", Http.json(Map.of("features", row))).text("/model_version")).isEqualTo(before);
        JsonNode versions = http().get("/models/diabetes/versions").json();
        assertThat(versions.findValuesAsString("version")).contains(before, newer);
    }

    @Test
    void aScoredRowReachesRedisBehindTheAnswerForOtherInstances() {
        // given Redis answers (an earlier test's outage or timeouts may have left the breaker open)
        await().atMost(Duration.ofSeconds(10)).until(cache::ping);
        double[] row = randomRow(new Random());

        Http.Response scored = http().postJson("/predict", Http.json(Map.of("features", row)));

        // the answer did not wait for Redis, but the entry gets there: what another instance reads
        assertThat(scored.json().get("cached").asBoolean()).isFalse();
        String key = cache.key("diabetes", scored.text("/model_version"), row);
        try (JedisPooled direct = new JedisPooled(TestServices.redisUri())) {
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(direct.get(key))
                    .isEqualTo(Double.toString(scored.json().get("prediction").asDouble())));
            assertThat(direct.ttl(key)).isPositive();
        }
    }

    @Test
    void redisGoingAwayNeverFailsARequestAndCachingComesBack() {
        double[] known = randomRow(new Random());
        String body = Http.json(Map.of("features", known));
        http().postJson("/predict", body);
        assertThat(http().postJson("/predict", body).json().get("cached").asBoolean()).isTrue();

        // when Redis goes away
        redis.cut();
        try {
            for (int i = 0; i < 20; i++) {
                // a row never seen is scored, a row this instance scored is still answered from its memory
                Http.Response fresh = http().postJson("/predict", Http.json(Map.of("features", randomRow(new Random()))));
                Http.Response repeated = http().postJson("/predict", body);
                assertThat(fresh.status()).isEqualTo(200);
                assertThat(fresh.json().get("cached").asBoolean()).isFalse();
                assertThat(repeated.status()).isEqualTo(200);
                assertThat(repeated.json().get("cached").asBoolean()).isTrue();
            }
            // then the api stays ready and shows the cache as down
            assertThat(http().get("/actuator/health/readiness").status()).isEqualTo(200);
            assertThat(http().get("/actuator/health", "Authorization", "Bearer " + TOKEN).text("/components/cache/status"))
                    .isEqualTo("DOWN");
        }
        finally {
            redis.restore();
        }

        // and when it is back, what is scored reaches Redis again by itself
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> {
            double[] row = randomRow(new Random());
            Http.Response scored = http().postJson("/predict", Http.json(Map.of("features", row)));
            try (JedisPooled direct = new JedisPooled(TestServices.redisUri())) {
                String key = cache.key("diabetes", scored.text("/model_version"), row);
                await().atMost(Duration.ofSeconds(2)).until(() -> direct.get(key) != null);
            }
        });
        assertThat(http().get("/actuator/health", "Authorization", "Bearer " + TOKEN).text("/components/cache/status"))
                .isEqualTo("UP");
    }

    @Test
    void everyAnsweredPredictionHasExactlyOneAuditEvent() {
        // given
        Random random = new Random(11);
        List<String> answered = new ArrayList<>();
        String repeated = Http.json(Map.of("features", randomRow(random)));
        for (int i = 0; i < 30; i++) {
            String body = i % 3 == 0 ? repeated : Http.json(Map.of("features", randomRow(random)));
            answered.add(http().postJson("/predict", body).text("/prediction_id"));
        }
        JsonNode batch = http().postJson("/predict/batch",
                Http.json(Map.of("rows", List.of(randomRow(random), List.of(1), randomRow(random))))).json();
        answered.add(batch.at("/results/0/prediction_id").asString());
        answered.add(batch.at("/results/2/prediction_id").asString());

        // then each answered prediction is on the audit topic exactly once
        Map<String, Integer> seen = readAuditTopic(answered);
        for (String id : answered) {
            assertThat(seen.get(id)).as("audit events for %s", id).isEqualTo(1);
        }
    }

    @Test
    void concurrentRequestsAcrossAModelSwapEachGetOneWholeVersion() throws Exception {
        // given distinct rows and each candidate version's exact answers for them
        Random random = new Random(5);
        double[][] rows = new double[200][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = randomRow(random);
        }
        String before = currentLabel();
        Scorer old = currentScorer();
        TrainedModel next = new ModelTrainer(TrainingConfig.DEFAULT.withEpochs(4)).train(SAMPLE.schema(), SAMPLE.rows());
        String nextLabel = registry.register(ModelNames.SAMPLE, NewModelVersion.of(next, Map.of(), SAMPLE.rows().size()))
                .label();

        // when 200 requests run at once and the new version is promoted in their midst
        List<Future<Http.Response>> responses = new ArrayList<>();
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < rows.length; i++) {
                String body = Http.json(Map.of("features", rows[i]));
                responses.add(executor.submit(() -> http().postJson("/predict", body)));
                if (i == 100) {
                    executor.submit(() -> http().postJson("/models/" + nextLabel + "/promote", "{}", "Authorization",
                            "Bearer " + TOKEN));
                }
            }
        }

        // then all succeed, and each answer is exactly what its stated version gives
        Map<String, Integer> byVersion = new HashMap<>();
        for (int i = 0; i < rows.length; i++) {
            Http.Response response = responses.get(i).get();
            assertThat(response.status()).as(response.body()).isEqualTo(200);
            String version = response.text("/model_version");
            double expected = version.equals(nextLabel) ? next.scorer().score(rows[i]) : old.score(rows[i]);
            assertThat(version).isIn(before, nextLabel);
            assertThat(response.json().get("prediction").asDouble()).as("row %d by %s", i, version).isEqualTo(expected);
            byVersion.merge(version, 1, Integer::sum);
        }
        assertThat(currentLabel()).isEqualTo(nextLabel);
        assertThat(byVersion.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(200);
    }

    private String registerAndPromote(int epochs) {
        TrainedModel model = new ModelTrainer(TrainingConfig.DEFAULT.withEpochs(epochs)).train(SAMPLE.schema(), SAMPLE.rows());
        String label = registry.register(ModelNames.SAMPLE, NewModelVersion.of(model, Map.of(), SAMPLE.rows().size()))
                .label();
        Http.Response promoted = http().postJson("/models/" + label + "/promote", "{}", "Authorization", "Bearer " + TOKEN);
        assertThat(promoted.status()).as(promoted.body()).isEqualTo(200);
        return label;
    }

    private Map<String, Integer> readAuditTopic(List<String> expected) {
        Map<String, Integer> seen = new HashMap<>();
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestServices.kafkaBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, TestServices.uniqueName("audit-reader"),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topics.audit()));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline && !seen.keySet().containsAll(expected)) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> seen.merge(predictionId(record), 1, Integer::sum));
            }
            // a little longer, so that a duplicate delivered late would be seen too
            consumer.poll(Duration.ofSeconds(1)).forEach(record -> seen.merge(predictionId(record), 1, Integer::sum));
        }
        return seen;
    }

    /** The record's prediction id; audit records travel without a key (the audit needs no order). */
    private static String predictionId(ConsumerRecord<String, String> record) {
        assertThat(record.key()).isNull();
        return JSON.readTree(record.value()).get("prediction_id").asString();
    }

    static double[] randomRow(Random random) {
        double[] row = new double[10];
        Arrays.setAll(row, i -> random.nextGaussian() * 0.05);
        return row;
    }

    private String currentLabel() {
        return serving.championLabel(ModelNames.SAMPLE).orElseThrow();
    }

    private Scorer currentScorer() {
        try (ServingModels.Lease lease = serving.champion(ModelNames.SAMPLE)) {
            return lease.scorer();
        }
    }
}
