package io.scorepipe.worker.retrain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.scorepipe.batch.DataFolders;
import io.scorepipe.config.TopicProperties;
import io.scorepipe.messages.Messages;
import io.scorepipe.messages.RetrainRequest;
import io.scorepipe.registry.ChampionRule;
import io.scorepipe.registry.ModelNames;
import io.scorepipe.registry.ModelRegistry;
import io.scorepipe.registry.ModelStatus;
import io.scorepipe.registry.ModelVersion;
import io.scorepipe.registry.RetrainProperties;
import io.scorepipe.registry.RetrainRuns;
import io.scorepipe.registry.ServingModels;
import io.scorepipe.registry.TrainingExamples;
import io.scorepipe.scoring.BundledSample;
import io.scorepipe.scoring.LabelledRow;
import io.scorepipe.scoring.Metrics;
import io.scorepipe.scoring.OrdinaryLeastSquares;
import io.scorepipe.testing.Served;
import io.scorepipe.testing.TestServices;
import io.scorepipe.worker.KafkaProbe;

/** Retraining against real PostgreSQL and Kafka, on the bundled sample's examples. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RetrainIT {

    static final BundledSample SAMPLE = BundledSample.diabetes();

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        TestServices.springProperties("retrain").forEach((key, value) -> registry.add(key, () -> value));
        registry.add("scorepipe.retrain.cron", () -> "-");
    }

    @Autowired
    RetrainService retrain;

    @Autowired
    TrainingExamples store;

    @Autowired
    ModelRegistry registry;

    @Autowired
    ServingModels serving;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    RetrainRuns runs;

    @Autowired
    DataFolders folders;

    @Autowired
    RetrainRunSweep sweep;

    @Autowired
    TopicProperties topics;

    @Autowired
    RetrainProperties retrainProperties;

    @Test
    @Order(1)
    void labelsThatFollowAShiftedRelationGiveAPromotedVersionThatServes() {
        // given the sample's examples with the target moved up by 50
        List<LabelledRow> shifted = SAMPLE.rows().stream().map(row -> new LabelledRow(row.features(), row.target() + 50))
                .toList();
        add(shifted, "shifted");
        double[] row = SAMPLE.rows().getFirst().features();
        double before = Served.scorer(serving).score(row);

        // when
        RetrainOutcome outcome = retrain.retrain(ModelNames.SAMPLE, "test").orElseThrow();

        // then it is promoted, serves at once, and predicts about 50 more
        assertThat(outcome.promoted()).as(outcome.reason()).isTrue();
        assertThat(outcome.reason()).contains("beats the champion v1");
        assertThat(serving.championLabel(ModelNames.SAMPLE).orElseThrow()).isEqualTo(outcome.version());
        assertThat(Served.scorer(serving).score(row) - before).isBetween(35.0, 65.0);
        ModelVersion version = registry.find(ModelNames.SAMPLE, outcome.version()).orElseThrow();
        assertThat(version.status()).isEqualTo(ModelStatus.CHAMPION);
        assertThat(version.metrics()).containsKeys("rmse", "mae", "r2", "champion", "reason");
        assertThat(version.provenance()).containsKeys("training_data_sha256", "epochs", "trigger", "tribuo_provenance");
    }

    @Test
    @Order(2)
    void aChallengerThatIsNoBetterStaysACandidateWithTheReason() {
        // given the same labels as the champion was trained on, sent again: a new model cannot beat it by 1%
        add(SAMPLE.rows().stream().map(row -> new LabelledRow(row.features(), row.target() + 50)).toList(), "again");
        RetrainOutcome outcome = retrain.retrain(ModelNames.SAMPLE, "test").orElseThrow();

        assertThat(outcome.promoted()).isFalse();
        assertThat(outcome.reason()).contains("does not beat the champion").contains("by the required 1.0%");
        assertThat(registry.find(ModelNames.SAMPLE, outcome.version()).orElseThrow().status()).isEqualTo(ModelStatus.CANDIDATE);
        assertThat(registry.find(ModelNames.SAMPLE, outcome.version()).orElseThrow().metrics()).containsEntry("decision", "not promoted");
    }

    @Test
    @Order(3)
    void twoRetrainsAskedForAtOnceRunOnce() throws Exception {
        add(SAMPLE.rows().stream().map(row -> new LabelledRow(row.features(), row.target() + 50)).toList(), "race");
        int versionsBefore = registry.list(ModelNames.SAMPLE).size();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Optional<RetrainOutcome>>> runs = new ArrayList<>();
        try (var executor = Executors.newFixedThreadPool(2)) {
            for (int i = 0; i < 2; i++) {
                runs.add(executor.submit(() -> {
                    start.await();
                    return retrain.retrain(ModelNames.SAMPLE, "race");
                }));
            }
            start.countDown();
            int ran = 0;
            for (Future<Optional<RetrainOutcome>> run : runs) {
                ran += run.get().isPresent() ? 1 : 0;
            }
            assertThat(ran).isOne();
        }
        assertThat(registry.list(ModelNames.SAMPLE)).hasSize(versionsBefore + 1);
    }

    @Test
    @Order(4)
    void aRetrainAskedForOnTheRequestTopicRunsAndIsRecorded() throws Exception {
        // given new examples, and a request as the api writes it: the shared record, in the shared JSON
        add(SAMPLE.rows().stream().map(row -> new LabelledRow(row.features(), row.target() + 50)).toList(), "request");
        UUID runId = UUID.randomUUID();
        try (KafkaProbe kafka = new KafkaProbe()) {
            kafka.send(topics.retrainRequests(), runId.toString(), Messages.write(new RetrainRequest(runId, null, "api"))).get();
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> runs.find(runId)
                .map(run -> run.status().equals("completed")).orElse(false));
        RetrainRuns.Run run = runs.find(runId).orElseThrow();
        assertThat(run.trigger()).isEqualTo("api");
        assertThat(run.version()).isNotNull();
        assertThat(run.reason()).isNotBlank();
        assertThat(registry.find(ModelNames.SAMPLE, run.version())).isPresent();
    }

    @Test
    @Order(5)
    void onTheBundledSampleTheRetrainedModelReachesOrdinaryLeastSquares() {
        // given the sample as it is, and OLS fitted on the very split the retrain uses
        add(SAMPLE.rows(), "sample");
        List<LabelledRow> train = new ArrayList<>();
        List<LabelledRow> test = new ArrayList<>();
        for (TrainingExamples.Example example : store.load(ModelNames.SAMPLE, SAMPLE.schema(), 0)) {
            (ChampionRule.of(retrainProperties).heldOut(example.id()) ? test : train).add(example.row());
        }
        double olsR2 = Metrics.evaluate(OrdinaryLeastSquares.fit(SAMPLE.schema(), train), test).r2();

        // when
        RetrainOutcome outcome = retrain.retrain(ModelNames.SAMPLE, "test").orElseThrow();

        // then
        double r2 = ((Number) registry.find(ModelNames.SAMPLE, outcome.version()).orElseThrow().metrics().get("r2")).doubleValue();
        assertThat(r2).as("retrained R² vs OLS R² %.4f", olsR2).isCloseTo(olsR2, within(0.03));
        assertThat(outcome.promoted()).as(outcome.reason()).isTrue();
    }

    @Test
    @Order(6)
    void labelsThatArePureNoiseGiveAVersionThatIsNotPromotedAndSayWhy() {
        // given targets that have nothing to do with the features
        Random random = new Random(13);
        add(SAMPLE.rows().stream().map(row -> new LabelledRow(row.features(), 152 + random.nextGaussian() * 77)).toList(),
                "noise");
        String champion = serving.championLabel(ModelNames.SAMPLE).orElseThrow();

        RetrainOutcome outcome = retrain.retrain(ModelNames.SAMPLE, "test").orElseThrow();

        assertThat(outcome.promoted()).isFalse();
        assertThat(outcome.reason()).contains("below the minimum").contains("the labels do not explain the target");
        assertThat(serving.championLabel(ModelNames.SAMPLE).orElseThrow()).isEqualTo(champion);
        assertThat(registry.find(ModelNames.SAMPLE, outcome.version()).orElseThrow().metrics()).containsEntry("decision", "not promoted");
    }

    @Test
    @Order(7)
    void aLabelsFileDroppedIntoTheInboxBecomesExamplesAndItsBadLinesAreRejectedWithTheirReason() throws Exception {
        // given the sample with its target column, three bad lines among them, one of a megabyte
        List<String> lines = new ArrayList<>();
        lines.add("target," + String.join(",", SAMPLE.schema().names()));
        for (LabelledRow row : SAMPLE.rows().subList(0, 100)) {
            StringBuilder line = new StringBuilder(Double.toString(row.target()));
            for (double value : row.features()) {
                line.append(',').append(value);
            }
            lines.add(line.toString());
        }
        lines.set(5, lines.get(5).replaceFirst(",[^,]+$", ",abc"));
        lines.set(50, "1,2,3");
        lines.set(70, "7," + "1".repeat(1024 * 1024));

        // when
        Path part = folders.labelsInbox().resolve("labels.csv.part");
        Files.write(part, lines);
        Files.move(part, folders.labelsInbox().resolve("labels.csv"));

        // then
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.sql(
                "SELECT count(*) FROM training_examples WHERE source = 'csv'").query(Integer.class).single() == 97);
        Path rejects = folders.labelRejects().resolve("labels.rejects.csv");
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(rejects) && Files.readAllLines(rejects).size() == 4);
        List<String> rejected = Files.readAllLines(rejects);
        assertThat(rejected.get(1)).startsWith("6,").contains("feature 's6'");
        assertThat(rejected.get(2)).startsWith("51,").contains("expected 11 columns, got 3");
        // the long line was never read whole: only its beginning is shown
        assertThat(rejected.get(3)).startsWith("71,").contains("line is longer than 65536 bytes (1048578 bytes)")
                .hasSizeLessThan(400);
    }

    @Test
    @Order(8)
    void aRetrainWithNoNewExamplesRegistersNothingAndSaysWhy() {
        // given that the newest version was trained on every example there is
        retrain.retrain(ModelNames.SAMPLE, "test").orElseThrow();
        int versions = registry.list(ModelNames.SAMPLE).size();

        // when
        RetrainOutcome outcome = retrain.retrain(ModelNames.SAMPLE, "schedule").orElseThrow();

        // then
        assertThat(outcome.trained()).isFalse();
        assertThat(outcome.reason()).startsWith("no new labelled examples since v");
        assertThat(registry.list(ModelNames.SAMPLE)).hasSize(versions);
    }

    @Test
    @Order(9)
    void aRunNoWorkerStartedInTimeAndARunWhoseWorkerStoppedAreFailedWithTheReason() throws Exception {
        // given a request an hour old that no worker took, one just asked for, and a run whose worker died
        UUID forgotten = UUID.randomUUID();
        UUID fresh = UUID.randomUUID();
        UUID orphaned = UUID.randomUUID();
        runs.requested(forgotten, ModelNames.SAMPLE, "api");
        runs.requested(fresh, ModelNames.SAMPLE, "api");
        runs.requested(orphaned, ModelNames.SAMPLE, "api");
        jdbc.sql("UPDATE retrain_runs SET requested_at = now() - interval '1 hour' WHERE id = ?").param(forgotten).update();
        jdbc.sql("UPDATE retrain_runs SET status = 'running', started_at = now() - interval '5 minutes' WHERE id = ?")
                .param(orphaned).update();

        // when the sweep runs (no retrain runs now, so nobody holds the retrain lock)
        sweep.sweep();

        // then
        RetrainRuns.Run timedOut = runs.find(forgotten).orElseThrow();
        assertThat(timedOut.status()).isEqualTo("failed");
        assertThat(timedOut.reason()).isEqualTo("no worker started it within 10 min: is a worker running, and does it "
                + "reach Kafka?");
        assertThat(runs.find(fresh).orElseThrow().status()).isEqualTo("requested");
        RetrainRuns.Run abandoned = runs.find(orphaned).orElseThrow();
        assertThat(abandoned.status()).isEqualTo("failed");
        assertThat(abandoned.reason()).contains("stopped before it finished");
        // and a failed run cannot be started afterwards
        assertThat(runs.running(forgotten)).isFalse();
    }

    private void add(List<LabelledRow> rows, String tag) {
        List<String> refs = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            refs.add(tag + ":" + i);
        }
        jdbc.sql("DELETE FROM training_examples").update();
        store.add(ModelNames.SAMPLE, SAMPLE.schema(), rows, "test", refs);
    }
}
