package io.scorepipe.worker.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The inbox's file-system events, on the machine's real file system. */
class InboxEventsTests {

    @TempDir
    Path data;

    @Test
    void aFileMovedInOrIntoAModelFolderMadeLaterStartsALook() throws Exception {
        Path inbox = Files.createDirectories(data.resolve("inbox"));
        Files.createDirectories(inbox.resolve("houses"));
        AtomicInteger looks = new AtomicInteger();
        InboxEvents events = new InboxEvents(inbox, looks::incrementAndGet);
        events.start();
        try {
            assertThat(events.isRunning()).isTrue();

            // a finished file moved into the inbox
            Files.move(Files.writeString(data.resolve("a.csv"), "x\n1\n"), inbox.resolve("a.csv"));
            await().atMost(Duration.ofSeconds(10)).until(() -> looks.get() >= 1);

            // into a model folder that existed at start
            int before = looks.get();
            Files.move(Files.writeString(data.resolve("b.csv"), "x\n1\n"), inbox.resolve("houses").resolve("b.csv"));
            await().atMost(Duration.ofSeconds(10)).until(() -> looks.get() > before);

            // and into one made after
            Files.createDirectories(inbox.resolve("prices"));
            await().atMost(Duration.ofSeconds(10)).until(() -> looks.get() > before + 1);
            int made = looks.get();
            Files.move(Files.writeString(data.resolve("c.csv"), "x\n1\n"), inbox.resolve("prices").resolve("c.csv"));
            await().atMost(Duration.ofSeconds(10)).until(() -> looks.get() > made);
        }
        finally {
            events.stop();
        }
        assertThat(events.isRunning()).isFalse();
    }
}
