package io.scorepipe.worker.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.scorepipe.config.TopicProperties;
import io.scorepipe.messages.DeadLetter;
import io.scorepipe.registry.ModelNames;
import io.scorepipe.registry.ServingModels;
import io.scorepipe.testing.Served;
import io.scorepipe.testing.TestServices;
import io.scorepipe.worker.KafkaProbe;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Stream scoring against real Kafka and PostgreSQL. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class StreamScoringIT {

    static final JsonMapper JSON = JsonMapper.builder().build();

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        TestServices.springProperties("stream").forEach((key, value) -> registry.add(key, () -> value));
    }

    @Autowired
    TopicProperties topics;

    @Autowired
    ServingModels serving;

    @Autowired
    JdbcClient jdbc;

    @Test
    void tenThousandRequestsGiveTenThousandResultsAndAuditRows() throws Exception {
        // given
        String prefix = "bulk-" + UUID.randomUUID() + "-";
        Random random = new Random(1);
        Map<String, double[]> sent = new HashMap<>();
        try (KafkaProbe kafka = new KafkaProbe()) {
            for (int i = 0; i < 10_000; i++) {
                double[] row = row(random);
                sent.put(prefix + i, row);
                kafka.send(topics.requests(), null, JSON.writeValueAsString(Map.of("request_id", prefix + i, "features", row)));
            }
            kafka.flush();
        }

        // when the worker has scored them
        List<ConsumerRecord<String, byte[]>> results = KafkaProbe.readCommitted(topics.results(),
                read -> read.stream().filter(r -> r.key().startsWith(prefix)).count() >= 10_000, Duration.ofSeconds(120));

        // then exactly one result per request, each what the serving model says, and one audit row each
        Map<String, Long> perRequest = results.stream().filter(r -> r.key().startsWith(prefix))
                .collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.counting()));
        assertThat(perRequest).hasSize(10_000);
        assertThat(perRequest.values()).containsOnly(1L);
        ConsumerRecord<String, byte[]> one = results.stream().filter(r -> r.key().equals(prefix + 7)).findFirst().orElseThrow();
        JsonNode result = JSON.readTree(one.value());
        assertThat(result.get("prediction").asDouble()).isEqualTo(Served.scorer(serving).score(sent.get(prefix + 7)));
        assertThat(result.get("model_version").asString()).isEqualTo(serving.championLabel(ModelNames.SAMPLE).orElseThrow());
        assertThat(auditRows(prefix)).isEqualTo(10_000);
        assertThat(jdbc.sql("SELECT count(*) FROM prediction_audit WHERE request_id = ? AND prediction_id = ?::uuid")
                .params(prefix + 7, result.get("prediction_id").asString()).query(Integer.class).single()).isOne();
    }

    @Test
    void poisonRecordsAreDeadLetteredWithTheirReasonAndTheGoodOnesAreScored() throws Exception {
        // given good requests with poison mixed in
        String prefix = "mixed-" + UUID.randomUUID() + "-";
        Random random = new Random(2);
        Map<String, String> poison = new HashMap<>();
        poison.put(prefix + "p-text", "this is not json");
        poison.put(prefix + "p-count", "{\"request_id\": \"" + prefix + "p-count\", \"features\": [1, 2, 3]}");
        poison.put(prefix + "p-nan", "{\"request_id\": \"" + prefix + "p-nan\", \"features\": [NaN,0,0,0,0,0,0,0,0,0]}");
        poison.put(prefix + "p-string", "{\"request_id\": \"" + prefix + "p-string\", \"features\": [\"a\",0,0,0,0,0,0,0,0,0]}");
        poison.put(prefix + "p-name", "{\"request_id\": \"" + prefix + "p-name\", \"features\": {\"age\": 1}}");
        poison.put(prefix + "p-empty", "");
        poison.put(prefix + "p-array", "[1, 2, 3]");
        byte[] garbage = new byte[64];
        random.nextBytes(garbage);
        int good = 0;
        try (KafkaProbe kafka = new KafkaProbe()) {
            for (int i = 0; i < 300; i++) {
                kafka.send(topics.requests(), null,
                        JSON.writeValueAsString(Map.of("request_id", prefix + i, "features", row(random))));
                good++;
                if (i % 40 == 0) {
                    poison.forEach((key, value) -> kafka.send(topics.requests(), key + "-" + random.nextInt(), value));
                    kafka.send(topics.requests(), prefix + "p-bytes-" + i, garbage);
                }
            }
            kafka.flush();
        }
        int poisonCount = 8 * (poison.size() + 1); // eight rounds of each poison kind and the random bytes

        // then every good request has its result, and every poison record a dead letter that says why
        int expectedGood = good;
        List<ConsumerRecord<String, byte[]>> results = KafkaProbe.readCommitted(topics.results(),
                read -> read.stream().filter(r -> r.key().startsWith(prefix)).count() >= expectedGood, Duration.ofSeconds(60));
        assertThat(results.stream().filter(r -> r.key().startsWith(prefix)).map(ConsumerRecord::key).distinct().count())
                .isEqualTo(good);
        List<ConsumerRecord<String, byte[]>> letters = KafkaProbe.readCommitted(topics.deadLetter(),
                read -> read.stream().filter(r -> r.key() != null && r.key().startsWith(prefix)).count() >= poisonCount,
                Duration.ofSeconds(60));
        Map<String, String> reasons = letters.stream().filter(r -> r.key() != null && r.key().startsWith(prefix))
                .collect(Collectors.toMap(ConsumerRecord::key, r -> header(r, DeadLetter.REASON), (a, b) -> a));
        assertThat(reasons).hasSize(poisonCount);
        assertThat(reasonFor(reasons, prefix + "p-text")).contains("not a JSON object");
        assertThat(reasonFor(reasons, prefix + "p-count")).isEqualTo("expected 10 features (age, sex, bmi, bp, s1, s2, s3, s4, s5, s6), got 3");
        assertThat(reasonFor(reasons, prefix + "p-nan")).contains("feature 1 (age) is NaN");
        assertThat(reasonFor(reasons, prefix + "p-string")).contains("feature 1 (age) must be a number, got a string");
        assertThat(reasonFor(reasons, prefix + "p-name")).contains("missing features sex");
        assertThat(reasonFor(reasons, prefix + "p-empty")).contains("no value");
        assertThat(reasonFor(reasons, prefix + "p-array")).contains("not a JSON object");
        assertThat(reasonFor(reasons, prefix + "p-bytes")).contains("not a JSON object");
        ConsumerRecord<String, byte[]> letter = letters.stream().filter(r -> r.key() != null
                && r.key().startsWith(prefix + "p-count")).findFirst().orElseThrow();
        assertThat(header(letter, DeadLetter.SOURCE_TOPIC)).isEqualTo(topics.requests());
        assertThat(Long.parseLong(header(letter, DeadLetter.SOURCE_OFFSET))).isNotNegative();
        assertThat(auditRows(prefix)).isEqualTo(good);
    }

    private int auditRows(String requestPrefix) {
        return jdbc.sql("SELECT count(*) FROM prediction_audit WHERE source = 'stream' AND request_id LIKE ?")
                .param(requestPrefix + "%").query(Integer.class).single();
    }

    private static String reasonFor(Map<String, String> reasons, String keyPrefix) {
        return reasons.entrySet().stream().filter(e -> e.getKey().startsWith(keyPrefix)).map(Map.Entry::getValue)
                .findFirst().orElseThrow(() -> new AssertionError("no dead letter for " + keyPrefix));
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? "" : KafkaProbe.text(header.value());
    }

    static double[] row(Random random) {
        double[] row = new double[10];
        for (int i = 0; i < row.length; i++) {
            row[i] = random.nextGaussian() * 0.05;
        }
        return row;
    }
}
