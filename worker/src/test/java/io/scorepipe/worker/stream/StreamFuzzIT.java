package io.scorepipe.worker.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.scorepipe.audit.AuditRecord;
import io.scorepipe.audit.AuditSource;
import io.scorepipe.config.TopicProperties;
import io.scorepipe.messages.DeadLetter;
import io.scorepipe.registry.ServingModels;
import io.scorepipe.testing.Fuzz;
import io.scorepipe.testing.Served;
import io.scorepipe.testing.TestServices;
import io.scorepipe.worker.KafkaProbe;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Random and adversarial records on the requests topic, interleaved with good ones, against the
 * real worker, Kafka and PostgreSQL: every good record's result arrives (read committed), every
 * bad record is dead-lettered once with a reason that names what was wrong, and good records sent
 * after all the bad ones are scored within a bound, so no poison stalls the consumer.
 *
 * <p>A plain Spring Boot test whose one test method draws its inputs from {@link Fuzz} (see there
 * why not jqwik): Kafka is asynchronous, so the records of all tries go out first and the outcomes
 * are read back together, each matched to its record by its offset (a dead letter carries it in
 * its headers, a result in its prediction id, which is derived from it).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class StreamFuzzIT {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final int TRIES = 300;
    static final int AFTER = 50;
    /** How many of the tries send {@link #named} adversarial records. */
    static final int NAMED = 7;
    /** The value of a record at the broker's default size limit (message.max.bytes, 1 MB), less room for its key. */
    static final int AT_THE_LIMIT = 1_048_300;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        TestServices.springProperties("streamfuzz").forEach((key, value) -> registry.add(key, () -> value));
    }

    @Autowired
    TopicProperties topics;

    @Autowired
    ServingModels serving;

    @Autowired
    JdbcClient jdbc;

    /**
     * A record sent.
     *
     * @param what what kind of input it is, for messages
     * @param key its key
     * @param value its value
     * @param features its features when it is a good request (it must be scored)
     * @param reason a part of the dead letter's reason when it is surely bad (it must be dead-lettered)
     */
    record Sent(String what, @Nullable String key, byte @Nullable [] value, double @Nullable [] features, @Nullable String reason) {
    }

    @Test
    void poisonIsDeadLetteredWithItsReasonAndNeverStallsTheGoodRecords() throws Exception {
        // given good requests with random and adversarial records between them
        Fuzz fuzz = Fuzz.seeded();
        String prefix = "fuzz-" + UUID.randomUUID() + "-";
        Map<Future<RecordMetadata>, Sent> sends = new LinkedHashMap<>();
        List<String> after = new ArrayList<>();
        long afterSentAt;
        try (KafkaProbe kafka = new KafkaProbe()) {
            for (int i = 0; i < TRIES; i++) {
                double[] row = row(fuzz);
                String id = prefix + "good-" + i;
                sends.put(kafka.send(topics.requests(), id, request(id, Arrays.toString(row))),
                        new Sent("good", id, null, row, null));
                String badKey = fuzz.chance(0.5) ? prefix + "key-" + i : null;
                Sent poison = i < NAMED ? named(i, prefix + "bad-" + i, badKey) : poison(fuzz, prefix + "bad-" + i, badKey);
                sends.put(kafka.send(topics.requests(), poison.key(), poison.value()), poison);
            }
            kafka.flush();
            // when good records follow all the bad ones
            afterSentAt = System.nanoTime();
            for (int i = 0; i < AFTER; i++) {
                String id = prefix + "after-" + i;
                double[] row = row(fuzz);
                after.add(id);
                sends.put(kafka.send(topics.requests(), id, request(id, Arrays.toString(row))),
                        new Sent("good, after the bad", id, null, row, null));
            }
            kafka.flush();
        }
        Map<String, Sent> byOffset = new HashMap<>();
        for (Map.Entry<Future<RecordMetadata>, Sent> send : sends.entrySet()) {
            RecordMetadata sent;
            try {
                sent = send.getKey().get();
            }
            catch (ExecutionException ex) {
                // the test's own producer failed: say which record, so that the seed and the record replay it
                Sent what = send.getValue();
                throw new AssertionError("sending " + what.what() + " (key " + what.key() + ", "
                        + (what.value() == null ? "no value" : what.value().length + " bytes") + ") failed; seed "
                        + fuzz.seed(), ex);
            }
            byOffset.put(sent.partition() + ":" + sent.offset(), send.getValue());
        }

        // then every good record is scored, those after the bad ones within the bound: nothing stalled
        long goodCount = sends.values().stream().filter(sent -> sent.features() != null).count();
        List<ConsumerRecord<String, byte[]>> results = KafkaProbe.readCommitted(topics.results(),
                read -> read.stream().map(ConsumerRecord::key).filter(key -> key != null && key.startsWith(prefix))
                        .filter(key -> key.contains("good-") || key.contains("after-")).distinct().count() == goodCount,
                Duration.ofSeconds(45));
        double seconds = (System.nanoTime() - afterSentAt) / 1e9;
        assertThat(results.stream().map(ConsumerRecord::key).filter(after::contains).distinct())
                .as("results of the good records sent after the bad ones").hasSize(AFTER);
        assertThat(seconds).as("seconds until the last good record was scored").isLessThan(45);

        // and every record has exactly one outcome: a result, or a dead letter that says why
        List<ConsumerRecord<String, byte[]>> letters = KafkaProbe.readCommitted(topics.deadLetter(),
                read -> read.size() >= sends.size() - results.size(), Duration.ofSeconds(30));
        Map<String, JsonNode> resultByOffset = new HashMap<>();
        Map<String, Integer> resultsPerId = new HashMap<>();
        for (ConsumerRecord<String, byte[]> result : results) {
            JsonNode json = JSON.readTree(result.value());
            resultByOffset.put(json.get("prediction_id").asString(), json);
            resultsPerId.merge(json.get("prediction_id").asString(), 1, Integer::sum);
        }
        assertThat(resultsPerId.values()).as("results per request").containsOnly(1);
        Map<String, List<ConsumerRecord<String, byte[]>>> lettersByOffset = letters.stream().collect(Collectors.groupingBy(
                letter -> header(letter, DeadLetter.SOURCE_PARTITION) + ":" + header(letter, DeadLetter.SOURCE_OFFSET)));
        for (Map.Entry<String, Sent> record : byOffset.entrySet()) {
            Sent sent = record.getValue();
            String[] partitionOffset = record.getKey().split(":");
            UUID predictionId = AuditRecord.idFor(AuditSource.STREAM,
                    topics.requests() + ":" + partitionOffset[0] + ":" + partitionOffset[1]);
            JsonNode result = resultByOffset.get(predictionId.toString());
            List<ConsumerRecord<String, byte[]>> letter = lettersByOffset.getOrDefault(record.getKey(), List.of());
            String reason = letter.isEmpty() ? null : header(letter.getFirst(), DeadLetter.REASON);
            String context = sent.what() + " at " + record.getKey() + " (seed " + fuzz.seed() + "): "
                    + (sent.value() == null ? "" : Fuzz.shown(sent.value()));
            if (sent.features() != null) {
                fuzz.check(() -> {
                    assertThat(reason).as(context).isNull();
                    assertThat(result).as(context).isNotNull();
                    assertThat(result.get("prediction").asDouble()).as(context)
                            .isEqualTo(Served.scorer(serving).score(sent.features()));
                });
            }
            else {
                fuzz.check(() -> {
                    assertThat(result == null ^ reason == null).as("one outcome, result %s, reason %s: %s", result, reason,
                            context).isTrue();
                    if (sent.reason() != null) {
                        assertThat(reason).as(context).contains(sent.reason());
                    }
                    if (reason != null) {
                        assertThat(letter).as("one dead letter: %s", context).hasSize(1);
                        assertThat(reason).as(context).hasSizeGreaterThan(15);
                        // too large to forward with its headers: cut, and saying so
                        assertThat(header(letter.getFirst(), DeadLetter.VALUE_CUT_FROM)).as(context)
                                .isEqualTo(sent.value() != null && sent.value().length == AT_THE_LIMIT
                                        ? String.valueOf(AT_THE_LIMIT) : null);
                    }
                });
            }
        }
        fuzz.assertNoFindings();
        assertThat(jdbc.sql("SELECT count(*) FROM prediction_audit WHERE source = 'stream' AND request_id LIKE ?")
                .param(prefix + "%").query(Integer.class).single()).isGreaterThanOrEqualTo(TRIES + AFTER);
    }

    /** The adversarial records every run sends, whatever the seed draws. */
    private static Sent named(int which, String id, @Nullable String key) {
        String good = "[0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09, 0.1]";
        return switch (which) {
            case 0 -> new Sent("a value at the broker's size limit", key, filled(AT_THE_LIMIT, (byte) 'x'), null,
                    "not a JSON object");
            case 1 -> new Sent("a 1 MB request", key, utf8(request(id, "[" + "0.1, ".repeat(200_000) + "0.1]")), null,
                    "expected 10 features (age, sex, bmi, bp, s1, s2, s3, s4, s5, s6), got 200001");
            case 2 -> new Sent("NUL in request_id", key, utf8(request(id + "\u0000", good)), null,
                    "request_id must not contain control characters, got U+0000");
            case 3 -> new Sent("a blank feature name", key, utf8(request(id, "{\"\": 1, \"age\": 0}")), null,
                    "unknown feature ''");
            case 4 -> new Sent("features too large for the model", key, utf8(request(id, "[1e308, -1e308, 1e308, 1e308, "
                    + "1e308, 1e308, 1e308, 1e308, 1e308, 1e308]")), null, "the features are too large for the model");
            case 5 -> new Sent("no request_id and no key", null, utf8("{\"features\": " + good + "}"), null,
                    "request_id is missing");
            default -> new Sent("NaN", key, utf8(request(id, "[NaN, 0, 0, 0, 0, 0, 0, 0, 0, 0]")), null,
                    "feature 1 (age) is NaN");
        };
    }

    /** A record that must be dead-lettered (or, for a mutant of a good one, may be scored). */
    private static Sent poison(Fuzz fuzz, String id, @Nullable String key) {
        String quotedId = Fuzz.quote(id);
        String good = "[0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09, 0.1]";
        return switch (fuzz.between(0, 17)) {
            case 0 -> new Sent("random bytes", key, bytes(fuzz, fuzz.bytes(2000)), null, null);
            case 1 -> new Sent("a mutant of a good request", key, utf8(fuzz.mutate(request(id, good))), null, null);
            case 2 -> new Sent("corrupted bytes", key, fuzz.corrupt(utf8(request(id, good))), null, null);
            case 3 -> new Sent("no value", key, fuzz.chance(0.5) ? new byte[0] : null, null, "no value");
            case 4 -> new Sent("JSON null", key, utf8("null"), null, "JSON null");
            case 5 -> {
                String features = fuzz.oneOf("\"0.1,0.2\"", "true", "7", "{}", "null");
                yield new Sent("features of another type", key, utf8("{\"request_id\": " + quotedId + ", \"features\": "
                        + features + "}"), null, features.equals("{}") ? "missing features age, sex" : "features must be an array");
            }
            case 6 -> {
                String value = fuzz.chance(0.5) ? fuzz.oneOf("NaN", "Infinity", "-Infinity", "1e999", "1e400")
                        : Fuzz.quote(fuzz.oneOf(Fuzz.NON_NUMBERS));
                yield new Sent("a non-number " + value, key, utf8(request(id, "[" + value + ", 0, 0, 0, 0, 0, 0, 0, 0, 0]")), null,
                        "feature 1 (age)");
            }
            case 7 -> new Sent("a wrong type in the features", key, utf8(request(id, "[0, 0, 0, 0, " + fuzz.oneOf("true", "null",
                    "[1]", "{\"a\": 1}", "\"x\"") + ", 0, 0, 0, 0, 0]")), null, "feature 5 (s1)");
            case 8 -> {
                int count = fuzz.oneOf(0, 1, 9, 11, 1000);
                yield new Sent(count + " features", key, utf8(request(id, "[" + String.join(",", Collections.nCopies(count,
                        "0.1")) + "]")), null, "expected 10 features (age, sex, bmi, bp, s1, s2, s3, s4, s5, s6), got " + count);
            }
            case 9 -> {
                // a random name may not even be text (a broken surrogate pair): then the JSON is what is wrong
                boolean random = fuzz.chance(0.3);
                String name = random ? Fuzz.quote(fuzz.text(30)) : fuzz.oneOf("\"\"", "\" \"", "\"weight\"", "\"AGE\"");
                yield new Sent("unknown and blank names", key, utf8(request(id, "{" + name + ": 1}")), null,
                        random ? null : "unknown feature");
            }
            case 10 -> new Sent("no request_id and no key", null, utf8("{\"features\": " + good + "}"), null,
                    "request_id is missing");
            case 11 -> new Sent("a control character in request_id", key, utf8("{\"request_id\": " + Fuzz.quote(id + fuzz.oneOf(
                    "\u0000", "\n", "\u001b[2K", "\u0085")) + ", \"features\": " + good + "}"), null,
                    "request_id must not contain control characters");
            case 12 -> new Sent("a long request_id", key, utf8(request(id + "x".repeat(300), good)), null,
                    "request_id must be at most 200 characters");
            case 13 -> new Sent("a request_id of another type", key, utf8("{\"request_id\": " + fuzz.oneOf("{}", "[1]") + ", "
                    + "\"features\": " + good + "}"), null, "not a JSON object of the form");
            case 14 -> new Sent("features too large for the model", key, utf8(request(id, "[1e308, 1e308, 1e308, 1e308, 1e308, "
                    + "1e308, 1e308, 1e308, 1e308, 1e308]")), null, "the features are too large for the model");
            case 15 -> new Sent("10,000 nested arrays", key, utf8(request(id, "[".repeat(10_000) + "]".repeat(10_000))), null,
                    "nesting depth");
            case 16 -> new Sent("random JSON", key, utf8(fuzz.jsonValue(3)), null, null);
            default -> fuzz.chance(0.05)
                    ? new Sent("up to 1 MB of random bytes", key, bytes(fuzz, fuzz.bytes(1_000_000)), null, null)
                    : new Sent("random text", key, utf8(fuzz.text(300)), null, null);
        };
    }

    private static String request(String id, String features) {
        return "{\"request_id\": " + Fuzz.quote(id) + ", \"features\": " + features + "}";
    }

    private static byte[] filled(int size, byte value) {
        byte[] bytes = new byte[size];
        Arrays.fill(bytes, value);
        return bytes;
    }

    private static byte[] bytes(Fuzz fuzz, byte[] bytes) {
        // random bytes that happen to start a JSON object are rarer than the other ways in; keep them garbage
        return bytes.length > 0 && bytes[0] == '{' ? fuzz.corrupt(bytes) : bytes;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static double[] row(Fuzz fuzz) {
        double[] row = new double[10];
        for (int i = 0; i < row.length; i++) {
            row[i] = fuzz.between(-2000, 2000) / 10_000.0;
        }
        return row;
    }

    private static @Nullable String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : KafkaProbe.text(header.value());
    }
}
