package io.scorepipe.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

/** The CSV load: a file of new rows dropped into the worker's inbox at the start of every minute. */
final class CsvDrops {

    private static final PrintStream log = System.err;

    /** The names of the files dropped so far. */
    final List<String> names = new CopyOnWriteArrayList<>();
    final LongAdder failures = new LongAdder();
    volatile String firstFailure;

    private final Path inbox;
    /** The run's tag, in the files' names. */
    private final String tag;
    private final int rows;
    private final SoakVectors vectors;

    CsvDrops(Path inbox, String tag, int rows, SoakVectors vectors) {
        this.inbox = inbox;
        this.tag = tag;
        this.rows = rows;
        this.vectors = vectors;
    }

    /** The rows of each file. */
    int rows() {
        return rows;
    }

    /**
     * Writes the files of minutes {@code first} to {@code last} (minute 0 is the warm-up's) as
     * {@code .part} files in the inbox, which the worker does not take. A drop is then only a
     * rename: the load generator formats no CSV while the load runs, where its 200,000 numbers
     * a minute took CPU from the api at the start of every minute. Each file has rows of its
     * own, since the worker does not score again a file it has scored before.
     */
    void prepare(int first, int last) throws IOException {
        for (int minute = first; minute <= last; minute++) {
            SplittableRandom random = new SplittableRandom(minute * 1_000_003L + System.nanoTime());
            StringBuilder line = new StringBuilder(400);
            try (BufferedWriter writer = Files.newBufferedWriter(part(minute), StandardCharsets.UTF_8)) {
                writer.write("row_id," + String.join(",", vectors.featureNames()) + "\n");
                for (int i = 0; i < rows; i++) {
                    line.setLength(0);
                    line.append('m').append(minute).append("-r").append(i);
                    for (double v : vectors.fresh(random)) {
                        line.append(',').append(v);
                    }
                    writer.append(line).append('\n');
                }
            }
        }
    }

    void drop(int minute) {
        String name = name(minute);
        try {
            Files.move(part(minute), inbox.resolve(name), StandardCopyOption.ATOMIC_MOVE);
            names.add(name);
        }
        catch (IOException ex) {
            failures.increment();
            firstFailure = ex.toString();
            log.println("csv: could not drop " + name + ": " + ex);
        }
    }

    private String name(int minute) {
        return String.format(Locale.ROOT, "soak-%s-%03d.csv", tag, minute);
    }

    private Path part(int minute) {
        return inbox.resolve(name(minute) + ".part");
    }
}
