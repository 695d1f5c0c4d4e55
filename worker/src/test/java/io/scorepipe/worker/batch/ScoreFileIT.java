package io.scorepipe.worker.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.micrometer.core.instrument.MeterRegistry;
import io.scorepipe.batch.Batch;
import io.scorepipe.batch.BatchRecords;
import io.scorepipe.batch.BatchState;
import io.scorepipe.batch.DataFolders;
import io.scorepipe.registry.ModelNames;
import io.scorepipe.registry.ServingModels;
import io.scorepipe.scoring.BundledSample;
import io.scorepipe.scoring.LabelledRow;
import io.scorepipe.testing.SampleCsv;
import io.scorepipe.testing.Served;
import io.scorepipe.testing.TestServices;

/** CSV files dropped into the inbox, scored by the scoreFile job, against real PostgreSQL and Kafka. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ScoreFileIT {

    static final BundledSample SAMPLE = BundledSample.diabetes();
    static Path dataDir;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) throws IOException {
        dataDir = Files.createTempDirectory("scorepipe-data");
        Map<String, Object> properties = new HashMap<>(TestServices.springProperties("batch"));
        properties.put("scorepipe.data-dir", dataDir.toString());
        properties.put("scorepipe.batch.poll-interval", "200ms");
        properties.put("scorepipe.batch.settle", "300ms");
        properties.put("scorepipe.batch.chunk-size", "100");
        // every file here is read through the row throttle, slowly enough that its two readers must wait
        // for their blocks of 100 however fast the machine: the sample's 442 rows take at least 0.24 s
        properties.put("scorepipe.batch.max-rows-per-second", "1000");
        properties.put("scorepipe.batch.group-id", TestServices.uniqueName("batch"));
        properties.put("scorepipe.batch.stranded-after", "1s");
        properties.forEach((key, value) -> registry.add(key, () -> value));
    }

    @Autowired
    DataFolders folders;

    @Autowired
    BatchFiles files;

    @Autowired
    BatchRecords batches;

    @Autowired
    ServingModels serving;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MeterRegistry meters;

    @Test
    void theBundledSampleWithAnIdColumnIsScoredInInputOrder() throws Exception {
        // given the sample with a patient id first and the features in another order
        List<String> lines = new ArrayList<>();
        List<String> names = new ArrayList<>(SAMPLE.schema().names());
        Collections.reverse(names);
        lines.add("patient_id," + String.join(",", names));
        for (int i = 0; i < SAMPLE.rows().size(); i++) {
            double[] f = SAMPLE.rows().get(i).features();
            StringBuilder line = new StringBuilder("p-" + i);
            for (int j = f.length - 1; j >= 0; j--) {
                line.append(',').append(f[j]);
            }
            lines.add(line.toString());
        }

        double throttledBefore = meters.get("scorepipe.batch.throttled").counter().count();

        // when
        Batch batch = dropAndAwait("sample-" + UUID.randomUUID() + ".csv", lines);

        // then
        assertThat(batch.status()).as(String.valueOf(batch.error())).isEqualTo(BatchState.COMPLETED);
        List<String> results = Files.readAllLines(Path.of(batch.resultsPath()));
        assertThat(results.getFirst()).isEqualTo(lines.getFirst() + ",prediction,model_version");
        assertThat(results).hasSize(443);
        String version = serving.championLabel(ModelNames.SAMPLE).orElseThrow();
        for (int i = 0; i < 442; i++) {
            String[] cells = results.get(i + 1).split(",");
            assertThat(cells[0]).isEqualTo("p-" + i);
            LabelledRow row = SAMPLE.rows().get(i);
            assertThat(Double.parseDouble(cells[11])).isEqualTo(Served.scorer(serving).score(row.features()));
            assertThat(cells[12]).isEqualTo(version);
        }
        assertThat(auditRows(batch)).isEqualTo(442);
        assertThat(batch.rowsTotal()).isEqualTo(442L);
        assertThat(batch.rowsScored()).isEqualTo(442L);
        assertThat(Files.readAllLines(Path.of(batch.rejectsPath()))).containsExactly("line,reason,raw");
        // the two partitions' readers waited for their turns at scorepipe.batch.max-rows-per-second
        assertThat(meters.get("scorepipe.batch.throttled").counter().count()).isGreaterThan(throttledBefore);
    }

    @Test
    void badLinesGoToTheRejectsFileWithTheirReasonAndTheRestIsScored() throws Exception {
        List<String> lines = sampleLines(400);
        lines.set(10, "0.1,0.2,abc,0,0,0,0,0,0,0");
        lines.set(100, "0.1,0.2,NaN,0,0,0,0,0,0,0");
        lines.set(200, "0.1,0.2");

        Batch batch = dropAndAwait("mixed-" + UUID.randomUUID() + ".csv", lines);

        assertThat(batch.status()).as(String.valueOf(batch.error())).isEqualTo(BatchState.COMPLETED);
        assertThat(Files.readAllLines(Path.of(batch.resultsPath()))).hasSize(1 + 397);
        List<String> rejects = Files.readAllLines(Path.of(batch.rejectsPath()));
        assertThat(rejects).hasSize(4);
        assertThat(rejects.get(1)).startsWith("11,").contains("feature 'bmi' must be a finite decimal number, got 'abc'");
        assertThat(rejects.get(2)).startsWith("101,").contains("feature 'bmi'");
        assertThat(rejects.get(3)).startsWith("201,").contains("expected 10 columns, got 2");
        assertThat(auditRows(batch)).isEqualTo(397);
        assertThat(batch.rowsRejected()).isEqualTo(3);
    }

    @Test
    void aMostlyGarbageFileFailsOnTheSkipLimit() throws Exception {
        List<String> lines = sampleLines(200);
        for (int i = 1; i < lines.size(); i += 3) {
            lines.set(i, "garbage");
        }

        Batch batch = dropAndAwait("garbage-" + UUID.randomUUID() + ".csv", lines);

        assertThat(batch.status()).isEqualTo(BatchState.FAILED);
        assertThat(batch.error()).contains("over the skip limit of 1.0%");
        assertLeftProcessing(batch);
        // the error's figures are the batch's counters, and the rejected lines so far are kept with their reasons
        Batch failed = batches.find(batch.id()).orElseThrow();
        assertThat(failed.error()).startsWith(failed.rowsRejected() + " of the file's 200 lines were rejected ("
                + failed.rowsScored() + " scored before the job stopped)");
        List<String> rejects = Files.readAllLines(Path.of(failed.rejectsPath()));
        assertThat(rejects).hasSize(1 + (int) failed.rowsRejected());
        assertThat(rejects.get(1)).startsWith("2,");
        assertThat(failed.error()).contains("the first rejected lines: line 2: expected 10 columns, got 1; line 5: ")
                .containsPattern("(line \\d+: [^;]+; ){4}line \\d+: [^;]+$");
        assertThat(auditRows(failed)).isEqualTo((int) failed.rowsScored());
    }

    @Test
    void aHeaderThatDoesNotFitTheModelFailsAtOnceWithTheReason() throws Exception {
        List<String> lines = sampleLines(20);
        lines.set(0, lines.getFirst().replace("bmi", "weight"));

        Batch batch = dropAndAwait("header-" + UUID.randomUUID() + ".csv", lines);

        assertThat(batch.status()).isEqualTo(BatchState.FAILED);
        assertThat(batch.error()).contains("lacks the model's feature [bmi]");
        assertThat(auditRows(batch)).isZero();
        assertLeftProcessing(batch);
    }

    @Test
    void aLineOverTheLengthLimitIsRejectedAndTheRestScored() throws Exception {
        // given a 10 MB line without a line break among good ones
        List<String> lines = sampleLines(300);
        lines.set(150, "7".repeat(10 * 1024 * 1024));

        Batch batch = dropAndAwait("long-line-" + UUID.randomUUID() + ".csv", lines);

        assertThat(batch.status()).as(String.valueOf(batch.error())).isEqualTo(BatchState.COMPLETED);
        assertThat(batch.rowsScored()).isEqualTo(299);
        assertThat(Files.readAllLines(Path.of(batch.resultsPath()))).hasSize(1 + 299);
        List<String> rejects = Files.readAllLines(Path.of(batch.rejectsPath()));
        assertThat(rejects).hasSize(2);
        assertThat(rejects.get(1)).isEqualTo("151,line is longer than 65536 bytes (10485760 bytes); the limit is "
                + "scorepipe.batch.max-line-length," + "7".repeat(100) + "...");
    }

    @Test
    void aFileThatIsOneHugeLineFailsSayingSo() throws Exception {
        Batch batch = dropAndAwait("one-line-" + UUID.randomUUID() + ".csv", List.of("age,sex," + "x".repeat(10 * 1024 * 1024)));

        assertThat(batch.status()).isEqualTo(BatchState.FAILED);
        assertThat(batch.error()).isEqualTo("the header line is longer than 65536 bytes (10485768 bytes; the limit is "
                + "scorepipe.batch.max-line-length); expected a header line naming the model's features");
    }

    @Test
    void aHeaderOnlyFileCompletesWithNoRows() throws Exception {
        Batch batch = dropAndAwait("header-only-" + UUID.randomUUID() + ".csv", sampleLines(0));

        assertThat(batch.status()).as(String.valueOf(batch.error())).isEqualTo(BatchState.COMPLETED);
        assertThat(batch.rowsTotal()).isZero();
        assertThat(Files.readAllLines(Path.of(batch.resultsPath()))).containsExactly(
                sampleLines(0).getFirst() + ",prediction,model_version");
    }

    @Test
    void theSameFileDroppedTwiceIsScoredOnce() throws Exception {
        List<String> lines = sampleLines(50);
        String name = "twice-" + UUID.randomUUID() + ".csv";
        Batch first = dropAndAwait(name, lines);

        Batch second = dropAndAwait(name, lines);

        assertThat(first.status()).isEqualTo(BatchState.COMPLETED);
        assertThat(second.status()).isEqualTo(BatchState.DUPLICATE);
        assertThat(second.duplicateOf()).isEqualTo(first.id());
        assertThat(second.resultsPath()).isEqualTo(first.resultsPath());
        assertThat(jdbc.sql("SELECT count(*) FROM prediction_audit WHERE source_ref LIKE ?")
                .param(second.id() + ":%").query(Integer.class).single()).isZero();
    }

    @Test
    void aFileClaimedIntoProcessingButNeverRecordedIsRecordedAndScored() throws Exception {
        // given a file a worker moved into processing/ and then died (or lost the database) before recording it
        UUID batchId = UUID.randomUUID();
        Path stranded = folders.processing().resolve(DataFolders.uploadedName(batchId, "stranded.csv"));
        Files.write(stranded, SampleCsv.lines("stranded-" + batchId, 20), StandardCharsets.UTF_8);

        // then a later look at the inbox finds it, and it is scored like any other file
        Batch batch = await().atMost(Duration.ofSeconds(60)).until(() -> batches.find(batchId),
                found -> found.isPresent() && found.get().finishedAt() != null).orElseThrow();
        assertThat(batch.status()).as(String.valueOf(batch.error())).isEqualTo(BatchState.COMPLETED);
        assertThat(batch.fileName()).isEqualTo("stranded.csv");
        assertThat(Files.readAllLines(Path.of(batch.resultsPath()))).hasSize(21);
        assertThat(stranded).doesNotExist();
    }

    private Batch dropAndAwait(String name, List<String> lines) throws IOException {
        // a second drop of the same name must wait for its own batch, not see the first one
        Set<UUID> earlier = batches.recent(200).stream().map(Batch::id).collect(Collectors.toSet());
        Path part = folders.inbox().resolve(name + ".part");
        Files.write(part, lines, StandardCharsets.UTF_8);
        Files.move(part, folders.inbox().resolve(name));
        String fileName = DataFolders.sanitize(name);
        return await().atMost(Duration.ofSeconds(60)).until(() -> batches.recent(50).stream()
                .filter(b -> !earlier.contains(b.id()) && b.fileName().equals(fileName) && b.finishedAt() != null)
                .findFirst(), Optional::isPresent).orElseThrow();
    }

    /** A failed file's input is archived, as a completed one's is, and no part file stays behind. */
    private void assertLeftProcessing(Batch batch) {
        String input = DataFolders.uploadedName(batch.id(), batch.fileName());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(folders.processing().resolve(input)).doesNotExist();
            assertThat(folders.archive().resolve(input)).exists();
            assertThat(files.parts(batch.id())).doesNotExist();
            assertThat(batches.find(batch.id()).orElseThrow().inputPath())
                    .isEqualTo(folders.archive().resolve(input).toString());
        });
    }

    private int auditRows(Batch batch) {
        return jdbc.sql("SELECT count(*) FROM prediction_audit WHERE source = 'batch' AND source_ref LIKE ?")
                .param(batch.id() + ":%").query(Integer.class).single();
    }

    static List<String> sampleLines(int rows) {
        return SampleCsv.lines(rows);
    }
}
