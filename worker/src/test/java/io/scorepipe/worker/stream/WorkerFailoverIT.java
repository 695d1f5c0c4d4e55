package io.scorepipe.worker.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.zaxxer.hikari.HikariDataSource;

import io.scorepipe.testing.AppProcess;
import io.scorepipe.testing.TestDatabases;
import io.scorepipe.testing.TestServices;
import io.scorepipe.worker.KafkaProbe;
import tools.jackson.databind.json.JsonMapper;

/** Two worker processes in one consumer group; one is killed with SIGKILL while requests flow. */
class WorkerFailoverIT {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final int REQUESTS = 20_000;

    @Test
    void aKilledWorkersRequestsAreScoredExactlyOnceByTheOther() throws Exception {
        // given two workers sharing one schema, one set of topics and one consumer group
        TestServices.IsolatedSchema schema = TestServices.isolatedSchema("failover");
        Map<String, Object> properties = new HashMap<>(TestServices.springProperties("failover"));
        properties.put("spring.datasource.url", schema.jdbcUrl());
        properties.put("scorepipe.stream.session-timeout", "6s");
        properties.put("scorepipe.stream.transaction-timeout", "6s");
        properties.put("scorepipe.stream.max-batch", "200");
        String requests = properties.get("scorepipe.topics.requests").toString();
        String results = properties.get("scorepipe.topics.results").toString();
        String prefix = "failover-" + UUID.randomUUID() + "-";
        try (AppProcess first = AppProcess.start("first", properties);
                AppProcess second = AppProcess.start("second", properties);
                KafkaProbe kafka = new KafkaProbe();
                HikariDataSource database = TestDatabases.pool(schema)) {
            await().atMost(Duration.ofSeconds(120)).until(() -> first.started() && second.started());
            JdbcClient jdbc = JdbcClient.create(database);

            // when requests flow and the first worker is killed after it has scored some of them
            Random random = new Random(9);
            for (int i = 0; i < REQUESTS; i++) {
                kafka.send(requests, null, JSON.writeValueAsString(Map.of("request_id", prefix + i,
                        "features", StreamScoringIT.row(random))));
                if (i == REQUESTS / 4) {
                    kafka.flush();
                    await().atMost(Duration.ofSeconds(60)).until(() -> auditRows(jdbc, prefix) > 500);
                    first.kill();
                }
            }
            kafka.flush();
            assertThat(first.alive()).isFalse();

            // then every request has exactly one committed result and one audit row
            List<ConsumerRecord<String, byte[]>> scored = KafkaProbe.readCommitted(results,
                    read -> read.stream().filter(r -> r.key().startsWith(prefix)).map(ConsumerRecord::key).distinct()
                            .count() >= REQUESTS, Duration.ofSeconds(150));
            Map<String, Long> perRequest = scored.stream().filter(r -> r.key().startsWith(prefix))
                    .collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.counting()));
            assertThat(perRequest).as(second.logText()).hasSize(REQUESTS);
            assertThat(perRequest.values()).containsOnly(1L);
            await().atMost(Duration.ofSeconds(30)).until(() -> auditRows(jdbc, prefix) >= REQUESTS);
            assertThat(auditRows(jdbc, prefix)).isEqualTo(REQUESTS);
            assertThat(jdbc.sql("SELECT count(DISTINCT request_id) FROM prediction_audit WHERE request_id LIKE ?")
                    .param(prefix + "%").query(Integer.class).single()).isEqualTo(REQUESTS);
        }
    }

    private static int auditRows(JdbcClient jdbc, String prefix) {
        return jdbc.sql("SELECT count(*) FROM prediction_audit WHERE source = 'stream' AND request_id LIKE ?")
                .param(prefix + "%").query(Integer.class).single();
    }
}
