package io.scorepipe.api.predict;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.scorepipe.api.Http;
import io.scorepipe.registry.ModelNames;
import io.scorepipe.registry.ServingModels;
import io.scorepipe.scoring.BundledSample;
import io.scorepipe.testing.Fuzz;
import io.scorepipe.testing.TestServices;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Random and adversarial bodies thrown at {@code /predict} and {@code /predict/batch} of the real
 * api, over HTTP, against real PostgreSQL, Redis and Kafka. Whatever comes in, the answer is a
 * prediction or a 400, 413, 415 or 422 whose problem detail says what was wrong; never a 5xx. A
 * good request sent after every try is still scored, exactly as the serving model scores it.
 *
 * <p>The generators are {@link Fuzz}'s (see there why not jqwik), seeded afresh each run; a finding
 * names its input and the seed that replays the run. The named adversarial cases are the
 * parameterized examples at the end.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PredictFuzzIT {

    static final BundledSample SAMPLE = BundledSample.diabetes();
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final List<String> NAMES = SAMPLE.schema().names();
    /** Words that say only which status it is, not what was wrong. */
    static final Set<String> GENERIC = Set.of("bad request", "unsupported media type", "content too large",
            "payload too large", "unprocessable content", "unprocessable entity", "failed to read request",
            "invalid request content.", "internal error");

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        TestServices.springProperties("fuzz").forEach((key, value) -> registry.add(key, () -> value));
        registry.add("scorepipe.model.bootstrap", () -> "true");
    }

    @LocalServerPort
    int port;

    @Autowired
    ServingModels serving;

    Fuzz fuzz;
    Http http;

    @BeforeEach
    void setUp() {
        fuzz = Fuzz.seeded();
        http = new Http(port);
    }

    @AfterEach
    void noFindings() {
        fuzz.assertNoFindings();
    }

    @Test
    void randomBytesAreRefusedClearly() {
        fuzz.tries(300, i -> {
            byte[] body = fuzz.chance(0.5) ? fuzz.bytes(2000) : fuzz.text(500).getBytes(StandardCharsets.UTF_8);
            String path = fuzz.oneOf("/predict", "/predict/batch");
            assertAnswered(post(path, "application/json", body), Fuzz.shown(body));
            assertAGoodRequestIsScored();
        });
    }

    @Test
    void brokenRequestsAreRefusedClearly() {
        fuzz.tries(300, i -> {
            String body = fuzz.mutate(fuzz.chance(0.5) ? predictBody(goodRow(), null)
                    : "{\"rows\": [" + goodRow() + ", " + goodRow() + "]}");
            assertAnswered(http.postJson(fuzz.oneOf("/predict", "/predict/batch"), body), body);
            assertAGoodRequestIsScored();
        });
    }

    @Test
    void featuresOfEveryShapeAndTypeAreScoredOrRefusedNamingTheField() {
        fuzz.tries(400, i -> {
            Row row = anyRow();
            String body = predictBody(row.json(), fuzz.chance(0.2) ? fuzz.jsonValue(1) : null);
            Http.Response response = http.postJson("/predict", body);
            assertAnswered(response, body);
            if (row.features() != null && response.status() == 200) {
                assertThat(response.json().get("prediction").asDouble()).as(body).isEqualTo(score(row.features()));
            }
            if (row.features() != null && !body.contains("request_id")) {
                assertThat(response.status()).as("a valid row is scored: %s -> %s", body, response.body()).isEqualTo(200);
            }
            assertAGoodRequestIsScored();
        });
    }

    @Test
    void batchesScoreTheGoodRowsAndGiveEachBadRowItsError() {
        fuzz.tries(150, i -> {
            List<Row> rows = new ArrayList<>();
            int count = fuzz.between(1, 30);
            for (int r = 0; r < count; r++) {
                rows.add(fuzz.chance(0.5) ? validRow() : anyRow());
            }
            String body = "{\"rows\": [" + String.join(", ", rows.stream().map(Row::json).toList()) + "]}";
            Http.Response response = http.postJson("/predict/batch", body);
            assertAnswered(response, body);
            if (response.status() != 400) { // a bare non-number (nan) makes the whole body unreadable
                assertThat(response.status()).as(response.body()).isEqualTo(200);
                JsonNode results = response.json().get("results");
                assertThat(results).as(body).hasSize(rows.size());
                for (int r = 0; r < rows.size(); r++) {
                    JsonNode result = results.get(r);
                    if (rows.get(r).features() != null) {
                        assertThat(result.get("prediction").asDouble()).as("row %d of %s", r, body)
                                .isEqualTo(score(rows.get(r).features()));
                    }
                    else if (!result.has("prediction")) {
                        assertThat(result.at("/error/detail").asString()).as("row %d of %s", r, body).isNotBlank();
                    }
                }
            }
            assertAGoodRequestIsScored();
        });
    }

    @Test
    void requestIdsAreEchoedExactlyOrRefusedByName() {
        fuzz.tries(200, i -> {
            String id = fuzz.chance(0.8) ? fuzz.jsonString(fuzz.oneOf(20, 250)) : fuzz.jsonValue(1);
            String body = predictBody(goodRow(), id);
            Http.Response response = http.postJson("/predict", body);
            assertAnswered(response, body);
            if (response.status() == 200 && id.startsWith("\"")) {
                assertThat(response.json().get("request_id")).as(body).isEqualTo(JSON.readTree(id));
            }
            else if (response.status() != 200) {
                assertThat(response.text("/detail")).as(body).contains("request_id");
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            1e400                            | {"features": [1e400, 0, 0, 0, 0, 0, 0, 0, 0, 0]}                      | 422 | feature 1 (age) is out of range
            400-digit integer                | {"features": [0, NINES, 0, 0, 0, 0, 0, 0, 0, 0]}                       | 422 | feature 2 (sex) is out of range
            1500-digit integer               | {"features": [0, MANY_NINES, 0, 0, 0, 0, 0, 0, 0, 0]}                  | 400 | Number value length (1500) exceeds the maximum allowed
            bare NaN                         | {"features": [NaN, 0, 0, 0, 0, 0, 0, 0, 0, 0]}                         | 422 | feature 1 (age) is NaN
            bare nan                         | {"features": [nan, 0, 0, 0, 0, 0, 0, 0, 0, 0]}                         | 400 | Unrecognized token 'nan'
            bare Infinity                    | {"features": [Infinity, 0, 0, 0, 0, 0, 0, 0, 0, 0]}                    | 422 | feature 1 (age) is out of range (Infinity)
            bare -Infinity                   | {"features": [-Infinity, 0, 0, 0, 0, 0, 0, 0, 0, 0]}                   | 422 | feature 1 (age) is out of range (-Infinity)
            bare 1e999                       | {"features": [0, 0, 1e999, 0, 0, 0, 0, 0, 0, 0]}                       | 422 | feature 3 (bmi) is out of range (Infinity)
            NaN spellings as strings         | {"features": ["NaN", "nan", "Infinity", "-Infinity", "1e999", 0, 0, 0, 0, 0]} | 422 | feature 5 (s1) must be a number, got a string ("1e999")
            a boolean                        | {"features": [0, 0, 0, 0, 0, true, 0, 0, 0, 0]}                        | 422 | feature 6 (s2) must be a number, got a boolean (true)
            an object                        | {"features": [0, 0, 0, 0, 0, 0, {"v": 1}, 0, 0, 0]}                    | 422 | feature 7 (s3) must be a number, got an object
            null by name                     | {"features": {"age": 0, "sex": 0, "bmi": 0, "bp": 0, "s1": 0, "s2": 0, "s3": 0, "s4": null, "s5": 0, "s6": 0}} | 422 | feature 's4' is null; expected a number
            features as a string             | {"features": "0.1, 0.2"}                                               | 422 | features must be an array of 10 numbers
            features as a number             | {"features": 7}                                                        | 422 | features must be an array of 10 numbers (age, sex, bmi, bp, s1, s2, s3, s4, s5, s6) or an object keyed by feature name, got a number (7)
            too few                          | {"features": [0, 0, 0]}                                                | 422 | expected 10 features (age, sex, bmi, bp, s1, s2, s3, s4, s5, s6), got 3
            too many                         | {"features": [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]}                        | 422 | expected 10 features (age, sex, bmi, bp, s1, s2, s3, s4, s5, s6), got 11
            unknown named feature            | {"features": {"age": 0, "sex": 0, "bmi": 0, "bp": 0, "s1": 0, "s2": 0, "s3": 0, "s4": 0, "s5": 0, "s6": 0, "weight": 1}} | 422 | unknown feature weight; expected age, sex
            blank feature name               | {"features": {"": 1, " ": 2}}                                          | 422 | unknown features '', ' '; missing features age, sex, bmi, bp, s1, s2, s3, s4, s5, s6; expected age, sex
            overflowing prediction           | {"features": [1e308, 1e308, 1e308, 1e308, 1e308, 1e308, 1e308, 1e308, 1e308, 1e308]} | 422 | the features are too large for the model
            NUL in request_id                | {"features": [0, 0, 0, 0, 0, 0, 0, 0, 0, 0], "request_id": "a\\u0000b"} | 422 | request_id must not contain control characters, got U+0000 at position 2
            request_id as an object          | {"features": [0, 0, 0, 0, 0, 0, 0, 0, 0, 0], "request_id": {"a": 1}}   | 400 | 'request_id' must be a string, got an object
            top-level array                  | [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]                                         | 400 | the body must be a JSON object, got an array
            truncated                        | {"features": [0, 0, 0                                                  | 400 | the body is not valid JSON
            trailing garbage                 | {"features": [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]} }}                        | 400 | the body is not valid JSON
            10,000 nested arrays             | {"features": DEEP}                                                     | 400 | nesting depth (501) exceeds the maximum allowed (500
            rows as a string                 | {"rows": "0,0,0"}                                                      | 400 | 'rows' must be an array, got a string
            """)
    void namedAdversarialInputsGetTheirStatusAndSayWhatIsWrong(String what, String template, int status, String detail) {
        String body = template.replace("MANY_NINES", "9".repeat(1500)).replace("NINES", "9".repeat(400))
                .replace("DEEP", "[".repeat(10_000) + "]".repeat(10_000));
        String path = body.startsWith("{\"rows\"") ? "/predict/batch" : "/predict";

        Http.Response response = http.postJson(path, body);

        assertAnswered(response, what);
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.text("/detail")).contains(detail);
        assertAGoodRequestIsScored();
    }

    @Test
    void emptyAndNonUtf8BodiesAre400() {
        Http.Response empty = post("/predict", "application/json", new byte[0]);
        byte[] latin1 = "{\"features\": [0, 0, 0, 0, 0, 0, 0, 0, 0, 0], \"request_id\": \"caf\u00e9\"}"
                .getBytes(StandardCharsets.ISO_8859_1);
        Http.Response notUtf8 = post("/predict", "application/json", latin1);

        assertAnswered(empty, "empty");
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.text("/detail")).isEqualTo("the body is missing or not JSON");
        assertAnswered(notUtf8, "Latin-1");
        assertThat(notUtf8.status()).isEqualTo(400);
        assertThat(notUtf8.text("/detail")).contains("Invalid UTF-8");
        assertAGoodRequestIsScored();
    }

    @Test
    void tenMegabyteBodiesAre413WhetherTheirLengthIsDeclaredOrNot() {
        byte[] tenMegabytes = new byte[10 * 1024 * 1024];
        Arrays.fill(tenMegabytes, (byte) ' ');

        Http.Response declared = http.send(request("/predict", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(tenMegabytes)));
        Http.Response expectingContinue = http.send(request("/predict", "application/json")
                .expectContinue(true).POST(HttpRequest.BodyPublishers.ofByteArray(tenMegabytes)));
        Http.Response chunked = http.send(request("/predict/batch", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(tenMegabytes))));

        for (Http.Response response : List.of(declared, expectingContinue)) {
            assertAnswered(response, "10 MB, Content-Length");
            assertThat(response.status()).isEqualTo(413);
            assertThat(response.text("/detail")).isEqualTo("the request body has 10485760 bytes; the limit is 1048576 bytes");
        }
        assertAnswered(chunked, "10 MB, chunked");
        assertThat(chunked.status()).isEqualTo(413);
        assertThat(chunked.text("/detail")).isEqualTo("the request body is larger than the limit of 1048576 bytes");
        assertAGoodRequestIsScored();
    }

    @Test
    void otherMediaTypesAre415NamingTheOneExpected() {
        byte[] body = predictBody(goodRow(), null).getBytes(StandardCharsets.UTF_8);

        Http.Response text = post("/predict", "text/plain", body);
        Http.Response none = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/predict"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
        Http.Response form = post("/predict/batch", "application/x-www-form-urlencoded", "rows=1".getBytes(StandardCharsets.UTF_8));

        for (Http.Response response : List.of(text, none, form)) {
            assertAnswered(response, "media type");
            assertThat(response.status()).isEqualTo(415);
            assertThat(response.text("/detail")).endsWith("; send application/json");
        }
        assertThat(text.text("/detail")).startsWith("Content-Type 'text/plain' is not supported here");
        assertAGoodRequestIsScored();
    }

    @Test
    void overLargeBatchesAreRefusedAndAMixedOneScoresItsGoodRows() {
        String good = goodRow();
        Http.Response tooMany = http.postJson("/predict/batch", "{\"rows\": [" + String.join(",", Collections.nCopies(1001, good)) + "]}");
        Http.Response tooBig = http.postJson("/predict/batch", "{\"rows\": [" + String.join(",", Collections.nCopies(20_000, good)) + "]}");
        Http.Response mixed = http.postJson("/predict/batch", "{\"rows\": [" + good + ", {\"\": 1}, [1e308, 1e308, 1e308, 1e308, "
                + "1e308, 1e308, 1e308, 1e308, 1e308, 1e308], \"x\", null, " + good + "]}");

        assertAnswered(tooMany, "1001 rows");
        assertThat(tooMany.status()).isEqualTo(422);
        assertThat(tooMany.text("/detail")).isEqualTo("at most 1000 rows per call, got 1001");
        assertAnswered(tooBig, "20,000 rows");
        assertThat(tooBig.status()).isEqualTo(413);
        assertAnswered(mixed, "mixed");
        assertThat(mixed.status()).isEqualTo(200);
        JsonNode results = mixed.json().get("results");
        assertThat(results.get(0).get("prediction").isNumber()).isTrue();
        assertThat(results.get(1).at("/error/detail").asString()).startsWith("unknown feature ''");
        assertThat(results.get(2).at("/error/detail").asString()).startsWith("the features are too large for the model");
        assertThat(results.get(3).at("/error/detail").asString()).contains("got a string (\"x\")");
        assertThat(results.get(4).at("/error/detail").asString()).contains("got null");
        assertThat(results.get(5).get("prediction").asDouble()).isEqualTo(results.get(0).get("prediction").asDouble());
    }

    /** Every answer: a prediction, or a problem in the caller's terms with a status of the caller's. */
    private void assertAnswered(Http.Response response, String input) {
        String context = "input " + Fuzz.shown(input) + " -> " + response.status() + " " + Fuzz.shown(response.body());
        assertThat(response.status()).as(context).isIn(200, 400, 413, 415, 422);
        assertThat(response.contentType()).as(context)
                .startsWith(response.status() == 200 ? "application/json" : "application/problem+json");
        JsonNode json = response.json();
        if (response.status() == 200) {
            JsonNode prediction = json.get("prediction");
            if (prediction != null) {
                assertThat(prediction.isNumber()).as(context).isTrue();
                assertThat(Double.isFinite(prediction.asDouble())).as(context).isTrue();
            }
            else {
                for (JsonNode result : json.get("results")) {
                    assertThat(result.has("prediction") ? result.get("prediction").isNumber()
                            : !result.at("/error/detail").asString().isBlank()).as(context).isTrue();
                }
            }
            return;
        }
        String detail = json.at("/detail").asString("");
        assertThat(detail).as(context).hasSizeGreaterThan(20);
        assertThat(GENERIC).as(context).doesNotContain(detail.toLowerCase(Locale.ROOT).strip());
    }

    /** A fresh valid request is answered 200 with exactly the serving model's prediction. */
    private void assertAGoodRequestIsScored() {
        double[] row = randomFeatures();
        Http.Response response = http.postJson("/predict", Http.json(Map.of("features", row)));
        assertThat(response.status()).as("a good request after the bad: %s", response.body()).isEqualTo(200);
        assertThat(response.json().get("prediction").asDouble()).isEqualTo(score(row));
    }

    private double score(double[] row) {
        try (ServingModels.Lease lease = serving.champion(ModelNames.SAMPLE)) {
            return lease.scorer().score(row);
        }
    }

    /**
     * A row as JSON, and its features when it is valid (so it must be scored).
     *
     * @param json the row
     * @param features the values, when every one is a finite number in a valid shape
     */
    record Row(String json, double @Nullable [] features) {
    }

    private Row validRow() {
        double[] features = randomFeatures();
        if (fuzz.chance(0.5)) {
            return new Row(Http.json(features), features);
        }
        StringBuilder named = new StringBuilder("{");
        List<Integer> order = new ArrayList<>(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9));
        Collections.shuffle(order, new Random(fuzz.between(0, 1 << 30)));
        for (int i : order) {
            named.append(named.length() > 1 ? ", " : "").append('"').append(NAMES.get(i)).append("\": ").append(features[i]);
        }
        return new Row(named.append('}').toString(), features);
    }

    /** Any shape: valid rows, wrong counts, wrong and awkward values, unknown and blank names, other types. */
    private Row anyRow() {
        return switch (fuzz.between(0, 4)) {
            case 0 -> validRow();
            case 1 -> new Row(fuzz.jsonValue(2), null);
            case 2 -> {
                int count = fuzz.chance(0.7) ? 10 : fuzz.between(0, 15);
                List<String> values = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    values.add(value());
                }
                yield new Row("[" + String.join(", ", values) + "]", null);
            }
            default -> {
                List<String> fields = new ArrayList<>();
                for (String name : NAMES) {
                    if (fuzz.chance(0.9)) {
                        fields.add("\"" + name + "\": " + value());
                    }
                }
                if (fuzz.chance(0.3)) {
                    fields.add(fuzz.jsonString(12) + ": " + value());
                }
                Collections.shuffle(fields, new Random(fuzz.between(0, 1 << 30)));
                yield new Row("{" + String.join(", ", fields) + "}", null);
            }
        };
    }

    /** A value where a number goes: mostly a good one, else anything at all. */
    private String value() {
        return switch (fuzz.between(0, 9)) {
            case 0 -> fuzz.jsonValue(1);
            case 1 -> fuzz.oneOf(Fuzz.NON_NUMBERS);
            case 2 -> Fuzz.quote(fuzz.oneOf(Fuzz.NON_NUMBERS));
            case 3 -> fuzz.jsonNumber();
            default -> Double.toString(fuzz.between(-1000, 1000) / 10_000.0);
        };
    }

    private String goodRow() {
        return Http.json(randomFeatures());
    }

    private double[] randomFeatures() {
        double[] row = new double[NAMES.size()];
        for (int i = 0; i < row.length; i++) {
            row[i] = fuzz.between(-2000, 2000) / 10_000.0;
        }
        return row;
    }

    private static String predictBody(String features, @Nullable String requestId) {
        return "{\"features\": " + features + (requestId == null ? "" : ", \"request_id\": " + requestId) + "}";
    }

    private Http.Response post(String path, String contentType, byte[] body) {
        return http.send(request(path, contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    private HttpRequest.Builder request(String path, String contentType) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Content-Type", contentType);
    }
}
