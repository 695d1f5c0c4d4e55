package io.scorepipe.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.jdbc.core.simple.JdbcClient;

import io.scorepipe.reliability.PredictLoad.Answer;
import io.scorepipe.testing.SampleCsv;

/**
 * What the suite sent and what came of it, checked against the audit table: every answered
 * prediction, every scored CSV row and every scored Kafka record has exactly one audit row, and
 * nothing has a row that was not answered.
 */
final class Ledger {

    private final Stack stack;
    private final JdbcClient jdbc;
    private final List<Answer> answers = new ArrayList<>();
    private final Set<String> streamSent = new HashSet<>();
    private final Map<String, Integer> csvFiles = new HashMap<>();

    Ledger(Stack stack) {
        this.stack = stack;
        this.jdbc = JdbcClient.create(stack.database());
    }

    void answers(List<Answer> more) {
        answers.addAll(more);
    }

    void streamSent(Set<String> requestIds) {
        streamSent.addAll(requestIds);
    }

    /** A CSV file of {@code rows} data lines dropped into the inbox, distinct from every other. */
    Path dropCsv(String name, int rows) throws Exception {
        csvFiles.put(name, rows);
        return stack.dropCsv(name, SampleCsv.lines(name, rows));
    }

    /** Waits until the sink, the stream and the batch jobs have caught up, then checks every row. */
    void assertExactlyOnce(Duration timeout) throws Exception {
        Set<String> answered = answers.stream().filter(answer -> answer.status() == 200).map(Answer::predictionId)
                .collect(Collectors.toSet());
        assertThat(answered).as("prediction ids are unique").hasSize((int) answers.stream()
                .filter(answer -> answer.status() == 200).count());

        // CSV files: scored completely, one model version each, one audit row a line
        for (var file : csvFiles.entrySet()) {
            Path scored = stack.scored(file.getKey());
            await().atMost(timeout).pollInterval(Duration.ofMillis(500)).until(() -> Files.isRegularFile(scored));
            List<String> lines = Files.readAllLines(scored);
            assertThat(lines).as(scored + " lines").hasSize(file.getValue() + 1);
            assertThat(lines.stream().skip(1).map(line -> line.substring(line.lastIndexOf(',') + 1)).distinct().toList())
                    .as(scored + ": one model version for the whole file").hasSize(1);
            String batch = jdbc.sql("select id::text from batches where file_name = ? and status = 'completed'")
                    .param(file.getKey()).query(String.class).single();
            assertThat(jdbc.sql("select count(*) from prediction_audit where source = 'batch' and source_ref like ?")
                    .param(batch + ":%").query(Long.class).single()).as(file.getKey() + " audit rows")
                    .isEqualTo(file.getValue().longValue());
        }
        long csvRows = csvFiles.values().stream().mapToLong(Integer::longValue).sum();
        assertThat(count("batch")).as("batch audit rows, all files").isEqualTo(csvRows);

        // api: each answered prediction has its row (the sink may still be catching up), and no other row exists
        await().atMost(timeout).pollInterval(Duration.ofMillis(500)).until(() -> count("api") >= answered.size());
        List<String> apiRows = jdbc.sql("select prediction_id::text from prediction_audit where source = 'api'")
                .query(String.class).list();
        assertThat(new HashSet<>(apiRows)).as("api audit rows are the answered predictions")
                .isEqualTo(answered);
        assertThat(apiRows).as("one row each").hasSize(answered.size());

        // stream: every acknowledged request scored once onto the results topic, and audited once
        Map<String, Integer> results = new HashMap<>();
        await().atMost(timeout).pollInterval(Duration.ofSeconds(1)).until(() -> {
            results.clear();
            results.putAll(readResults());
            return results.keySet().containsAll(streamSent);
        });
        assertThat(results.entrySet().stream().filter(result -> result.getValue() != 1).toList())
                .as("results delivered more than once").isEmpty();
        await().atMost(timeout).pollInterval(Duration.ofMillis(500)).until(() -> count("stream") >= results.size());
        List<String> streamRows = jdbc.sql("select request_id from prediction_audit where source = 'stream'")
                .query(String.class).list();
        assertThat(new HashSet<>(streamRows)).as("stream audit rows are the scored records").isEqualTo(results.keySet());
        assertThat(streamRows).as("one row each").hasSize(results.size());
        System.out.printf("ledger: %d answered predictions, %d CSV rows in %d files, %d stream records: one audit row "
                + "each, no other rows%n", answered.size(), csvRows, csvFiles.size(), results.size());
    }

    long count(String source) {
        return jdbc.sql("select count(*) from prediction_audit where source = ?").param(source).query(Long.class).single();
    }

    /** Every committed record on the results topic, counted by request id (the key). */
    private Map<String, Integer> readResults() {
        Map<String, Integer> seen = new HashMap<>();
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.services.kafkaBootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(StreamLoad.RESULTS).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < end.get(partition))) {
                for (var record : consumer.poll(Duration.ofMillis(500))) {
                    assertThat(new String(record.value(), StandardCharsets.UTF_8)).contains(record.key());
                    seen.merge(record.key(), 1, Integer::sum);
                }
            }
        }
        return seen;
    }
}
