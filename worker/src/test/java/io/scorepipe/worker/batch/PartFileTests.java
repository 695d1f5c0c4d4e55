package io.scorepipe.worker.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamException;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionSynchronizationUtils;

/** The part file against Spring's own transaction synchronization, driven as a transaction manager drives it. */
class PartFileTests {

    @TempDir
    Path folder;

    @AfterEach
    void noTransactionLeft() {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.clearSynchronization();
        }
    }

    @Test
    void linesReachTheFileWhenTheChunkCommitsAndNotBefore() throws Exception {
        Path path = folder.resolve("results-0.part");
        PartFile part = new PartFile("results", path);
        ExecutionContext context = new ExecutionContext();
        part.open(context);

        begin();
        part.line("r1,1.5");
        part.line("é".getBytes(StandardCharsets.UTF_8), ",".getBytes(StandardCharsets.UTF_8),
                "2.5".getBytes(StandardCharsets.UTF_8));
        part.update(context);
        assertThat(Files.size(path)).isZero();
        end(true);

        assertThat(Files.readString(path)).isEqualTo("r1,1.5\né,2.5\n");
        assertThat(context.getLong("results.current.count")).isEqualTo(Files.size(path));
        part.close();
    }

    @Test
    void aChunkThatRollsBackBeforeItsLinesAreWrittenLeavesNothing() throws Exception {
        Path path = folder.resolve("results-0.part");
        PartFile part = new PartFile("results", path);
        part.open(new ExecutionContext());
        begin();
        part.line("kept");
        end(true);

        begin();
        part.line("lost");
        finish(TransactionSynchronization.STATUS_ROLLED_BACK);

        begin();
        part.line("next");
        end(true);
        assertThat(Files.readString(path)).isEqualTo("kept\nnext\n");
        part.close();
    }

    /**
     * A commit that fails on the way back may have committed on the server: the lines stay, the
     * part takes no more, and the restart cuts it to what the job repository recorded either way.
     */
    @Test
    void aCommitWhoseOutcomeIsUnknownLeavesItsLinesForTheRestartToSettle() throws Exception {
        Path path = folder.resolve("results-0.part");
        PartFile part = new PartFile("results", path);
        ExecutionContext beforeIt = new ExecutionContext();
        part.open(beforeIt);
        begin();
        part.line("kept");
        part.update(beforeIt);
        end(true);
        ExecutionContext withIt = new ExecutionContext();
        begin();
        part.line("maybe");
        part.update(withIt);
        TransactionSynchronizationUtils.triggerBeforeCommit(false);
        finish(TransactionSynchronization.STATUS_UNKNOWN);

        assertThat(Files.readString(path)).isEqualTo("kept\nmaybe\n");
        begin();
        assertThatExceptionOfType(ItemStreamException.class).isThrownBy(() -> part.line("more"))
                .withMessageContaining("unsettled");
        finish(TransactionSynchronization.STATUS_ROLLED_BACK);
        part.close();

        // the repository recorded the commit: the lines stay
        PartFile committed = new PartFile("results", path);
        committed.open(withIt);
        assertThat(Files.readString(path)).isEqualTo("kept\nmaybe\n");
        committed.close();
        // it did not: they go
        PartFile rolledBack = new PartFile("results", path);
        rolledBack.open(beforeIt);
        assertThat(Files.readString(path)).isEqualTo("kept\n");
        rolledBack.close();
    }

    @Test
    void aRestartCutsThePartBackToTheLastCommittedChunk() throws Exception {
        Path path = folder.resolve("results-1.part");
        ExecutionContext saved = new ExecutionContext();
        PartFile first = new PartFile("results", path);
        first.open(saved);
        begin();
        first.line("one");
        first.update(saved);
        end(true);
        // a later chunk reached the file, but the worker died before its step context was saved
        Files.writeString(path, "one\ntwo\n");
        first.close();

        PartFile again = new PartFile("results", path);
        again.open(saved);
        begin();
        again.line("two again");
        end(true);

        assertThat(Files.readString(path)).isEqualTo("one\ntwo again\n");
        again.close();
    }

    @Test
    void aFreshPartStartsEmptyAndAShortenedOneIsRefused() throws Exception {
        Path path = folder.resolve("rejects-0.part");
        Files.writeString(path, "left from an attempt that saved nothing\n");
        PartFile part = new PartFile("rejects", path);
        part.open(new ExecutionContext());
        assertThat(Files.size(path)).isZero();
        part.close();

        ExecutionContext saved = new ExecutionContext();
        saved.putLong("rejects.current.count", 100);
        assertThatExceptionOfType(ItemStreamException.class).isThrownBy(() -> new PartFile("rejects", path).open(saved))
                .withMessageContaining("holds 0 bytes, fewer than the 100 its last committed chunk left");
    }

    private static void begin() {
        TransactionSynchronizationManager.initSynchronization();
    }

    private static void end(boolean commit) {
        if (commit) {
            TransactionSynchronizationUtils.triggerBeforeCommit(false);
        }
        finish(commit ? TransactionSynchronization.STATUS_COMMITTED : TransactionSynchronization.STATUS_ROLLED_BACK);
    }

    private static void finish(int status) {
        var synchronizations = TransactionSynchronizationManager.getSynchronizations();
        TransactionSynchronizationManager.clearSynchronization();
        for (TransactionSynchronization synchronization : synchronizations) {
            synchronization.afterCompletion(status);
        }
    }
}
