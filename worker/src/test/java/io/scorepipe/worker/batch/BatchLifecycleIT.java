package io.scorepipe.worker.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.zaxxer.hikari.HikariDataSource;

import io.scorepipe.batch.Batch;
import io.scorepipe.batch.BatchRecords;
import io.scorepipe.batch.BatchState;
import io.scorepipe.batch.DataFolders;
import io.scorepipe.testing.TestDatabases;

/**
 * The lifecycle of one batch between two workers on real PostgreSQL: the one that lost its claim
 * (it stopped beating, and the other took the batch over) can no longer change the batch, nor
 * move a file the other now works with; and an unexpected error queues a batch again only so
 * many times.
 */
class BatchLifecycleIT {

    HikariDataSource database;
    BatchRecords records;
    DataFolders folders;
    BatchFiles files;
    BatchLifecycle first;
    BatchLifecycle second;

    @BeforeEach
    void twoWorkersOnOneDatabase() throws Exception {
        database = TestDatabases.migrated("lifecycle");
        records = new BatchRecords(JdbcClient.create(database));
        folders = new DataFolders(Files.createTempDirectory("scorepipe-lifecycle")).create();
        files = new BatchFiles(folders, 2);
        first = new BatchLifecycle(records, files, "worker-1");
        second = new BatchLifecycle(records, files, "worker-2");
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void aRunnerThatLostItsClaimCannotMarkTheBatchCompletedOrFailedNorMoveItsFiles() throws Exception {
        // given a batch the first worker claimed and started
        UUID batchId = UUID.randomUUID();
        Path input = queued(batchId);
        assertThat(first.claimQueued(batchId)).isTrue();
        first.started(batchId, "v1", 10);
        BatchFiles.Outputs outputs = files.reserve(batchId, "patients.csv");
        files.createParts(batchId);
        Files.writeString(files.rejectsPart(batchId, 0), "3,\"bad\",\"x\"\n");

        // when it stops beating and the second worker takes the batch over
        JdbcClient.create(database).sql("UPDATE batches SET heartbeat = now() - interval '1 hour' WHERE id = ?")
                .param(batchId).update();
        assertThat(records.claimAbandoned("worker-2", Duration.ofSeconds(30))).containsExactly(batchId);

        // then the first can write neither progress nor completion nor failure
        assertThatThrownBy(() -> first.progress(batchId, 5, 0)).isInstanceOf(BatchLifecycle.ClaimLostException.class)
                .hasMessageContaining("another worker took it over");
        assertThatThrownBy(() -> first.completed(batchId, outputs, input))
                .isInstanceOf(BatchLifecycle.ClaimLostException.class);
        assertThat(first.failed(batchId, "patients.csv", "it broke", Optional.of(outputs), input)).isFalse();
        Batch batch = records.find(batchId).orElseThrow();
        assertThat(batch.status()).isEqualTo(BatchState.RUNNING);
        assertThat(batch.rowsScored()).isZero();
        assertThat(batch.error()).isNull();
        // nor touch the input, the parts or the reserved names the second one now works with
        assertThat(input).exists();
        assertThat(files.rejectsPart(batchId, 0)).exists();
        assertThat(outputs.rejects()).doesNotExist();

        // and the second can
        assertThat(second.progress(batchId, 10, 0)).isZero();
        second.completed(batchId, outputs, input);
        assertThat(records.find(batchId).orElseThrow().status()).isEqualTo(BatchState.COMPLETED);
        assertThat(input).doesNotExist();
        assertThat(folders.archive().resolve(input.getFileName())).exists();
    }

    @Test
    void aFailedBatchKeepsItsRejectedLinesArchivesItsInputAndFreesItsNames() throws Exception {
        // given a running batch with a rejected line in its parts
        UUID batchId = UUID.randomUUID();
        Path input = queued(batchId);
        first.claimQueued(batchId);
        BatchFiles.Outputs outputs = files.reserve(batchId, "patients.csv");
        files.createParts(batchId);
        Files.writeString(files.rejectsPart(batchId, 1), "7,\"expected 10 columns, got 3\",\"1,2,3\"\n");

        // when it fails
        assertThat(first.failed(batchId, "patients.csv", "too many rejects", Optional.of(outputs), input)).isTrue();

        // then
        Batch batch = records.find(batchId).orElseThrow();
        assertThat(batch.status()).isEqualTo(BatchState.FAILED);
        assertThat(batch.error()).isEqualTo("too many rejects");
        assertThat(Files.readAllLines(Path.of(batch.rejectsPath()))).containsExactly("line,reason,raw",
                "7,\"expected 10 columns, got 3\",\"1,2,3\"");
        assertThat(batch.inputPath()).isEqualTo(folders.archive().resolve(input.getFileName()).toString());
        assertThat(files.parts(batchId)).doesNotExist();
        assertThat(files.reserve(UUID.randomUUID(), "patients.csv").results())
                .as("the plain name is free again").isEqualTo(outputs.results());
    }

    @Test
    void anUnexpectedErrorQueuesTheBatchAgainUntilItsLastAttemptThenFailsIt() throws Exception {
        UUID batchId = UUID.randomUUID();
        queued(batchId);
        for (int attempt = 1; attempt < 3; attempt++) {
            assertThat(first.claimQueued(batchId)).as("attempt %d", attempt).isTrue();
            assertThat(first.requeue(batchId, "the job could not run: boom", 3)).isEqualTo(BatchRecords.Requeue.QUEUED);
            Batch batch = records.find(batchId).orElseThrow();
            assertThat(batch.status()).isEqualTo(BatchState.QUEUED);
            assertThat(second.requeue(batchId, "not mine", 3)).isEqualTo(BatchRecords.Requeue.NOT_OWNER);
        }
        assertThat(first.claimQueued(batchId)).isTrue();
        assertThat(first.requeue(batchId, "the job could not run: boom", 3)).isEqualTo(BatchRecords.Requeue.GAVE_UP);
        Batch batch = records.find(batchId).orElseThrow();
        assertThat(batch.status()).isEqualTo(BatchState.FAILED);
        assertThat(batch.error()).isEqualTo("the job could not run: boom");
        assertThat(first.claimQueued(batchId)).isFalse();
    }

    private Path queued(UUID batchId) throws Exception {
        Path input = folders.processing().resolve(DataFolders.uploadedName(batchId, "patients.csv"));
        Files.write(input, List.of("age,sex", "1,2"));
        assertThat(first.queued(batchId, "diabetes", "patients.csv", UUID.randomUUID().toString(), input)).isPresent();
        return input;
    }
}
