package io.scorepipe.api.predict;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.scorepipe.api.Http;
import io.scorepipe.config.DatabaseUrl;
import io.scorepipe.testing.TcpProxy;
import io.scorepipe.testing.TestServices;

/**
 * With Kafka unreachable, answered predictions are audited straight into PostgreSQL; with
 * PostgreSQL gone as well, nothing is answered. PostgreSQL is reached through a proxy the test
 * can cut; Kafka is given an address where nothing listens.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AuditFallbackIT {

    static TcpProxy postgres;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) throws Exception {
        Map<String, Object> properties = new HashMap<>(TestServices.springProperties("fallback"));
        DatabaseUrl database = TestServices.postgres();
        URI target = URI.create(database.jdbcUrl().substring("jdbc:".length()));
        postgres = TcpProxy.to(target.getHost(), target.getPort() == -1 ? 5432 : target.getPort());
        properties.put("spring.datasource.url", properties.get("spring.datasource.url").toString()
                .replace(target.getHost() + ":" + target.getPort(), "127.0.0.1:" + postgres.port()));
        properties.put("spring.datasource.hikari.connection-timeout", "1000");
        try (ServerSocket unused = new ServerSocket(0)) {
            properties.put("spring.kafka.bootstrap-servers", "127.0.0.1:" + unused.getLocalPort());
        }
        properties.put("spring.kafka.admin.operation-timeout", "2s");
        properties.put("scorepipe.audit.kafka-timeout", "300ms");
        properties.put("scorepipe.model.bootstrap", "true");
        properties.forEach((key, value) -> registry.add(key, () -> value));
    }

    @AfterAll
    static void closeProxy() {
        postgres.close();
    }

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    @Autowired
    JdbcClient jdbc;

    @Test
    void withoutKafkaEveryAnswerIsAuditedInPostgresOnceAndWithoutEitherNothingIsAnswered() {
        Http http = new Http(port);
        Random random = new Random(3);

        // when Kafka is unreachable
        List<String> answered = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String body = Http.json(Map.of("features", PredictIT.randomRow(random), "request_id", "fallback-" + i));
            Http.Response response = http.postJson("/predict", body);
            assertThat(response.status()).as(response.body()).isEqualTo(200);
            answered.add(response.text("/prediction_id"));
        }

        // then each answered prediction has exactly one audit row, written by the api itself
        for (String id : answered) {
            assertThat(jdbc.sql("SELECT count(*) FROM prediction_audit WHERE prediction_id = ?::uuid AND source = 'api'")
                    .param(id).query(Integer.class).single()).as(id).isOne();
        }
        assertThat(Http.management(managementPort).get("/actuator/prometheus").body()).containsPattern("scorepipe_audit_fallbacks_total\\{[^}]*\\} 12\\.0");
        assertThat(http.get("/actuator/health/readiness").status()).as("Kafka is part of readiness").isEqualTo(503);

        // when PostgreSQL goes away too, the api refuses rather than answer without an audit trail
        postgres.cut();
        try {
            Http.Response refused = http.postJson("/predict", Http.json(Map.of("features", PredictIT.randomRow(random))));
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.text("/title")).isEqualTo("Audit trail unavailable");
        }
        finally {
            postgres.restore();
        }
        assertThat(jdbc.sql("SELECT count(*) FROM prediction_audit").query(Integer.class).single()).isEqualTo(12);
    }
}
