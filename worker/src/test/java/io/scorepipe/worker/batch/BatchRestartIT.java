package io.scorepipe.worker.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.zaxxer.hikari.HikariDataSource;

import io.scorepipe.audit.BatchLineIds;
import io.scorepipe.scoring.BundledSample;
import io.scorepipe.testing.AppProcess;
import io.scorepipe.testing.TestDatabases;
import io.scorepipe.testing.TestServices;

/** A worker killed with SIGKILL in the middle of a 200,000-line file; another start finishes it. */
class BatchRestartIT {

    static final int ROWS = 200_000;

    @Test
    void aKilledJobResumesAndEveryGoodRowIsScoredExactlyOnce() throws Exception {
        // given a worker process watching a fresh data folder, and a large file dropped into it
        Path dataDir = Files.createTempDirectory("scorepipe-data");
        TestServices.IsolatedSchema schema = TestServices.isolatedSchema("restart");
        Map<String, Object> properties = new HashMap<>(TestServices.springProperties("restart"));
        properties.put("spring.datasource.url", schema.jdbcUrl());
        properties.put("scorepipe.data-dir", dataDir.toString());
        properties.put("scorepipe.batch.poll-interval", "200ms");
        properties.put("scorepipe.batch.settle", "300ms");
        properties.put("scorepipe.batch.heartbeat", "1s");
        properties.put("scorepipe.batch.stale-after", "4s");
        properties.put("scorepipe.batch.chunk-size", "1000");
        try (HikariDataSource database = TestDatabases.pool(schema)) {
            JdbcClient jdbc = JdbcClient.create(database);
            AppProcess first = AppProcess.start("first", properties);
            await().atMost(Duration.ofSeconds(120)).until(first::started);
            writeFile(dataDir.resolve("inbox"), "big.csv");

            // when it is killed once a good part of the file is scored
            await().atMost(Duration.ofSeconds(120)).until(() -> scored(jdbc) > 30_000);
            first.kill();
            long scoredAtKill = scored(jdbc);
            assertThat(scoredAtKill).isLessThan(ROWS);

            // and a worker starts again
            try (AppProcess second = AppProcess.start("second", properties)) {
                await().atMost(Duration.ofSeconds(180)).until(() -> "completed".equals(status(jdbc)));
            }
            finally {
                first.close();
            }

            // then the results and the audit table hold every row exactly once, in input order
            String results = jdbc.sql("SELECT results_path FROM batches").query(String.class).single();
            try (var lines = Files.lines(Path.of(results))) {
                List<String> ids = lines.skip(1).map(line -> line.substring(0, line.indexOf(','))).toList();
                assertThat(ids).hasSize(ROWS);
                for (int i = 0; i < ROWS; i += 997) {
                    assertThat(ids.get(i)).isEqualTo("r" + i);
                }
                assertThat(ids.stream().distinct().count()).isEqualTo(ROWS);
            }
            assertThat(jdbc.sql("SELECT count(*) FROM prediction_audit WHERE source = 'batch'").query(Long.class).single())
                    .isEqualTo(ROWS);
            assertThat(jdbc.sql("SELECT count(DISTINCT source_ref) FROM prediction_audit").query(Long.class).single())
                    .isEqualTo(ROWS);
            assertThat(scored(jdbc)).isEqualTo(ROWS);
            // and each row's id is its line's, whichever worker wrote it: what lets a repeated chunk meet its rows
            UUID batch = jdbc.sql("SELECT id FROM batches").query(UUID.class).single();
            BatchLineIds lineIds = new BatchLineIds(batch);
            List<Map<String, Object>> sampled = jdbc.sql("""
                    SELECT prediction_id, source_ref FROM prediction_audit
                    WHERE source = 'batch' AND split_part(source_ref, ':', 2)::bigint % 991 = 0""").query().listOfRows();
            assertThat(sampled).hasSizeGreaterThan(ROWS / 1000);
            for (Map<String, Object> row : sampled) {
                String ref = (String) row.get("source_ref");
                assertThat(ref).startsWith(batch + ":");
                long line = Long.parseLong(ref.substring(ref.indexOf(':') + 1));
                assertThat(row.get("prediction_id")).as(ref).isEqualTo(lineIds.forLine(line));
            }
        }
    }

    private static long scored(JdbcClient jdbc) {
        return jdbc.sql("SELECT coalesce(sum(rows_scored), 0) FROM batches").query(Long.class).single();
    }

    private static String status(JdbcClient jdbc) {
        return jdbc.sql("SELECT status FROM batches").query(String.class).optional().orElse("none");
    }

    private static void writeFile(Path inbox, String name) throws Exception {
        BundledSample sample = BundledSample.diabetes();
        Path part = inbox.resolve(name + ".part");
        try (BufferedWriter out = Files.newBufferedWriter(part, StandardCharsets.UTF_8)) {
            out.write("row_id," + String.join(",", sample.schema().names()) + "\n");
            for (int i = 0; i < ROWS; i++) {
                double[] features = sample.rows().get(i % sample.rows().size()).features();
                out.write("r" + i);
                for (double value : features) {
                    out.write(',');
                    out.write(Double.toString(value));
                }
                out.write('\n');
            }
        }
        Files.move(part, inbox.resolve(name));
    }
}
