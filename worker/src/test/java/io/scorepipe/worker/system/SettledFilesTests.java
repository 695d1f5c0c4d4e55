package io.scorepipe.worker.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettledFilesTests {

    @TempDir
    Path inbox;

    @Test
    void aFileJustWrittenWaitsForTheSettlePeriod() throws Exception {
        SettledFiles files = new SettledFiles(inbox, "*.csv", Duration.ofHours(1));
        Files.writeString(inbox.resolve("fresh.csv"), "a,b\n1,2\n");

        assertThat(files.settled()).isEmpty();
        assertThat(files.settled()).isEmpty();
    }

    @Test
    void aFileNotWrittenForTheSettlePeriodIsTakenAtFirstSight() throws Exception {
        // given a file written two hours ago and moved in whole, with its time
        SettledFiles files = new SettledFiles(inbox, "*.csv", Duration.ofHours(1));
        Path moved = Files.writeString(inbox.resolve("moved.csv"), "a,b\n1,2\n");
        Files.setLastModifiedTime(moved, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        Path hidden = Files.writeString(inbox.resolve(".moved.csv"), "a,b\n1,2\n");
        Files.setLastModifiedTime(hidden, FileTime.from(Instant.now().minus(Duration.ofHours(2))));

        // then the first look offers it, and never a hidden one
        assertThat(files.settled()).containsExactly(moved);
    }

    @Test
    void aFileStampedInTheFutureSettlesByWatchingItAlone() throws Exception {
        // given a clock an hour behind the file system's, so that every file looks written later than now
        SettledFiles files = new SettledFiles(inbox, "*.csv", Duration.ofMillis(200),
                Clock.offset(Clock.systemUTC(), Duration.ofHours(-1)));
        Path file = Files.writeString(inbox.resolve("skewed.csv"), "a,b\n1,2\n");
        assertThat(files.settled()).isEmpty();

        // when it changes (a longer size), the wait starts again
        Files.writeString(file, "a,b\n1,2\n3,4\n");
        assertThat(files.settled()).isEmpty();
        assertThat(files.settled()).isEmpty();

        // and once it stays unchanged for the period, it is offered, and not before
        long changed = System.nanoTime();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> files.settled().contains(file));
        assertThat(Duration.ofNanos(System.nanoTime() - changed)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
    }
}
