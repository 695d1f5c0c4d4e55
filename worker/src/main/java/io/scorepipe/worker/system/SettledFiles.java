package io.scorepipe.worker.system;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The files in a folder that are complete: not written for the settle period. That is either seen
 * at least twice with a size and modification time unchanged for the period, or, at once, a file
 * whose modification time is already that far in the past (one written elsewhere and moved or copied
 * in whole with its time, as {@code mv}, {@code cp -p} and {@code rsync -t} do). Hidden files (a
 * leading dot) are never offered, so writers may write under a hidden or {@code .part} name and
 * rename when done. Not thread-safe: one poller.
 */
public final class SettledFiles {

    private final Path folder;
    private final String glob;
    private final long settleNanos;
    private final Clock clock;
    private final Map<Path, Seen> seen = new HashMap<>();

    public SettledFiles(Path folder, String glob, Duration settle) {
        this(folder, glob, settle, Clock.systemUTC());
    }

    SettledFiles(Path folder, String glob, Duration settle, Clock clock) {
        this.folder = folder;
        this.glob = glob;
        this.settleNanos = settle.toNanos();
        this.clock = clock;
    }

    private record Seen(long size, long modified, long since) {
    }

    /**
     * Claims a settled file: moves it to {@code target} atomically. With several workers on one
     * folder, one move succeeds and the others find the file gone.
     *
     * @return false when another worker claimed it first
     * @throws IOException also when the two folders are not on one file system (no atomic claims there)
     */
    public static boolean claim(Path file, Path target) throws IOException {
        try {
            Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
            return true;
        }
        catch (NoSuchFileException ex) {
            return false;
        }
        catch (AtomicMoveNotSupportedException ex) {
            throw new IOException("the inbox and processing/ must be on one file system for atomic claims", ex);
        }
    }

    /** One look at the folder: the files that have settled since earlier looks. */
    public List<Path> settled() throws IOException {
        List<Path> ready = new ArrayList<>();
        Map<Path, Seen> current = new HashMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, glob)) {
            for (Path file : files) {
                if (file.getFileName().toString().startsWith(".") || !Files.isRegularFile(file)) {
                    continue;
                }
                long size;
                long modified;
                try {
                    size = Files.size(file);
                    modified = Files.getLastModifiedTime(file).toMillis();
                }
                catch (NoSuchFileException ex) {
                    continue;
                }
                Seen before = seen.get(file);
                long now = System.nanoTime();
                if (TimeUnit.MILLISECONDS.toNanos(clock.millis() - modified) >= settleNanos) {
                    // not written for the settle period by the file system's own account
                    ready.add(file);
                }
                else if (before == null || before.size() != size || before.modified() != modified) {
                    current.put(file, new Seen(size, modified, now));
                }
                else if (now - before.since() >= settleNanos) {
                    ready.add(file);
                }
                else {
                    current.put(file, before);
                }
            }
        }
        seen.clear();
        seen.putAll(current);
        return ready;
    }
}
