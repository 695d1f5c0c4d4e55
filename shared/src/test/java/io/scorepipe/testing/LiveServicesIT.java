package io.scorepipe.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

import redis.clients.jedis.JedisPooled;

/** The test services are real and reachable: each round trip here goes through the actual server. */
class LiveServicesIT {

    @Test
    void redisStoresAndExpiresUnderAUniquePrefix() {
        URI uri = TestServices.redisUri();
        String key = TestServices.uniqueName("test-services") + ":probe";
        try (JedisPooled redis = new JedisPooled(uri.getHost(), uri.getPort())) {
            redis.setex(key, 30, "ok");

            assertThat(redis.get(key)).isEqualTo("ok");
            assertThat(redis.ttl(key)).isBetween(1L, 30L);
            redis.del(key);
        }
    }

    @Test
    void kafkaCarriesARecordThroughAFreshTopic() throws Exception {
        String servers = TestServices.kafkaBootstrapServers();
        String topic = TestServices.uniqueName("test-services");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers))) {
            admin.createTopics(Set.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "key", "hello")).get();
        }
        List<ConsumerRecord<String, String>> received = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
                ConsumerConfig.GROUP_ID_CONFIG, topic, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (received.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(received::add);
            }
        }
        assertThat(received).singleElement().satisfies(record -> {
            assertThat(record.key()).isEqualTo("key");
            assertThat(record.value()).isEqualTo("hello");
        });
    }

    @Test
    void postgresGivesEachContextItsOwnSchema() {
        TestServices.IsolatedSchema first = TestServices.isolatedSchema("probe");
        TestServices.IsolatedSchema second = TestServices.isolatedSchema("probe");

        assertThat(first.name()).isNotEqualTo(second.name()).startsWith("t_probe_");
        try (var dataSource = TestDatabases.pool(first)) {
            assertThat(JdbcClient.create(dataSource)
                    .sql("SELECT current_schema()").query(String.class).single()).isEqualTo(first.name());
        }
    }
}
