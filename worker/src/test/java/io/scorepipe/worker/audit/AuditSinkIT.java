package io.scorepipe.worker.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.zaxxer.hikari.HikariDataSource;

import io.micrometer.core.instrument.MeterRegistry;
import io.scorepipe.audit.AuditRecord;
import io.scorepipe.audit.AuditSource;
import io.scorepipe.config.DatabaseUrl;
import io.scorepipe.config.TopicProperties;
import io.scorepipe.testing.TcpProxy;
import io.scorepipe.testing.TestDatabases;
import io.scorepipe.testing.TestServices;
import io.scorepipe.worker.KafkaProbe;
import tools.jackson.databind.json.JsonMapper;

/**
 * The audit sink against real Kafka and PostgreSQL. The worker reaches PostgreSQL through a
 * proxy the test can cut; the test itself checks the table directly.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AuditSinkIT {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static TcpProxy postgres;
    /** The test's own way to the table, around the proxy. */
    static HikariDataSource direct;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        Map<String, Object> properties = new HashMap<>(TestServices.springProperties("sink"));
        DatabaseUrl database = TestServices.postgres();
        URI target = URI.create(database.jdbcUrl().substring("jdbc:".length()));
        postgres = TcpProxy.to(target.getHost(), target.getPort());
        String directUrl = properties.get("spring.datasource.url").toString();
        direct = TestDatabases.pool(new TestServices.IsolatedSchema("sink", directUrl, database.username(),
                database.password()));
        properties.put("spring.datasource.url",
                directUrl.replace(target.getHost() + ":" + target.getPort(), "127.0.0.1:" + postgres.port()));
        properties.put("spring.datasource.hikari.connection-timeout", "1000");
        properties.put("scorepipe.audit-sink.retry-max", "1s");
        properties.forEach((key, value) -> registry.add(key, () -> value));
    }

    @AfterAll
    static void close() {
        postgres.close();
        direct.close();
    }

    @Autowired
    TopicProperties topics;

    @Autowired
    MeterRegistry meters;

    @Test
    void everyEventBecomesExactlyOneRowEvenWhenPublishedTwice() throws Exception {
        List<AuditRecord> events = events("twice", 500);

        try (KafkaProbe kafka = new KafkaProbe()) {
            publish(kafka, events);
            publish(kafka, events);
        }

        awaitRows("twice", 500);
    }

    @Test
    void postgresGoingAwayLosesNothingAndDoublesNothing() throws Exception {
        // given the database is unreachable for the worker
        postgres.cut();
        List<AuditRecord> events = events("outage", 1000);
        try (KafkaProbe kafka = new KafkaProbe()) {
            publish(kafka, events.subList(0, 600));
            // while it is away, events keep coming, and some come twice
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> rows("outage") == 0);
            publish(kafka, events.subList(400, 1000));
        }
        finally {
            // when it comes back
            postgres.restore();
        }

        // then every event is stored exactly once
        awaitRows("outage", 1000);
    }

    @Test
    void eventsPostgresRefusesAreSkippedAndTheOnesAroundThemStored() throws Exception {
        // given events a foreign producer could send, which read as audit records but PostgreSQL refuses
        List<AuditRecord> good = events("refused", 300);
        AuditRecord nul = new AuditRecord(UUID.randomUUID(), AuditSource.API, null, null, "refused-\u0000", "diabetes", "v1",
                new double[] {1, 2}, 3, false, 100, Instant.now());
        AuditRecord farFuture = new AuditRecord(UUID.randomUUID(), AuditSource.API, null, null, "refused-future", "diabetes", "v1",
                new double[] {1, 2}, 3, false, 100, Instant.parse("+300000-01-01T00:00:00Z"));
        AuditRecord endOfTime = new AuditRecord(UUID.randomUUID(), AuditSource.API, null, null, "refused-end-of-time", "diabetes", "v1",
                new double[] {1, 2}, 3, false, 100, Instant.MAX);
        double refusedBefore = meters.counter("scorepipe.audit.events.refused").count();

        // when they arrive among good ones
        try (KafkaProbe kafka = new KafkaProbe()) {
            publish(kafka, good.subList(0, 150));
            publish(kafka, List.of(nul, farFuture, endOfTime));
            publish(kafka, good.subList(150, 300));
        }

        // then the good ones are all stored, the sink went on past the refused ones, and counted them
        awaitRows("refused", 300);
        assertThat(meters.counter("scorepipe.audit.events.refused").count() - refusedBefore).isEqualTo(3);
    }

    private void awaitRows(String kind, int expected) {
        await().atMost(Duration.ofSeconds(60)).until(() -> rows(kind) >= expected);
        // and stays so: a late duplicate would show here
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> rows(kind) == expected);
    }

    private int rows(String kind) {
        return JdbcClient.create(direct).sql("SELECT count(*) FROM prediction_audit WHERE request_id LIKE ?")
                .param(kind + "-%").query(Integer.class).single();
    }

    private void publish(KafkaProbe kafka, List<AuditRecord> events) throws Exception {
        for (AuditRecord event : events) {
            kafka.send(topics.audit(), event.predictionId().toString(), JSON.writeValueAsString(event));
        }
        kafka.flush();
    }

    private static List<AuditRecord> events(String kind, int count) {
        List<AuditRecord> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            events.add(new AuditRecord(UUID.randomUUID(), AuditSource.API, null, null, kind + "-" + i, "diabetes", "v1",
                    new double[] {i, 0.5}, i * 2.0, i % 2 == 0, 100, Instant.now()));
        }
        return events;
    }
}
