package io.scorepipe.worker.batch;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Stream;

import io.scorepipe.batch.DataFolders;
import io.scorepipe.csv.Csv;
import io.scorepipe.worker.system.FileHeader;

/**
 * Every file a batch has, and every move of one: the output names it reserves, the parts its
 * partitions write, the results and rejects files those parts are joined into, and where its input
 * goes when it ends. Thread-safe (no state but the folders).
 */
class BatchFiles {

    static final String REJECTS_HEADER = "line,reason,raw";

    private final DataFolders folders;
    private final int partitions;

    BatchFiles(DataFolders folders, int partitions) {
        this.folders = folders;
        this.partitions = partitions;
    }

    /**
     * Where a batch writes its results and rejects.
     *
     * @param results the results file, in {@code outbox/}
     * @param rejects the rejects file, in {@code rejects/}
     */
    record Outputs(Path results, Path rejects) {
    }

    /**
     * Reserves the output names of a batch: the plain names of its file ({@code name.scored.csv},
     * {@code name.rejects.csv}) when no other batch holds or has them, else names with its id in
     * them. The reservation is a hidden claim marker beside the results name, made atomically, so
     * two batches of one name never write to the same file; {@link #release} gives it back.
     */
    Outputs reserve(UUID batchId, String fileName) throws IOException {
        String stem = stem(fileName);
        String suffix = claim(folders.outbox().resolve(stem + ".scored.csv")) ? "" : "." + batchId;
        return new Outputs(folders.outbox().resolve(stem + suffix + ".scored.csv"),
                folders.rejects().resolve(stem + suffix + ".rejects.csv"));
    }

    /** The rejects name of a batch that failed before it reserved any. */
    Path unreservedRejects(UUID batchId, String fileName) {
        return folders.rejects().resolve(stem(fileName) + "." + batchId + ".rejects.csv");
    }

    /** Gives a reserved name back, for the next file of that name (a batch that failed has no results). */
    void release(Outputs outputs) throws IOException {
        Files.deleteIfExists(claimMarker(outputs.results()));
    }

    /** The folder of a batch's part files, created when missing. */
    Path createParts(UUID batchId) throws IOException {
        return Files.createDirectories(parts(batchId));
    }

    Path resultsPart(UUID batchId, int partition) {
        return parts(batchId).resolve("results-" + partition + ".part");
    }

    Path rejectsPart(UUID batchId, int partition) {
        return parts(batchId).resolve("rejects-" + partition + ".part");
    }

    /**
     * Joins the partitions' parts, in order, into the results file (under {@code header}, with the
     * two columns scoring adds) and the rejects file, each written beside its place and moved there
     * atomically, and gives the name's reservation back. Safe to run again: the parts stay until
     * {@link #deleteParts}.
     */
    void assemble(UUID batchId, FileHeader header, Outputs outputs) throws IOException {
        join(batchId, "results-", header.text() + ",prediction,model_version", outputs.results());
        joinRejects(batchId, outputs.rejects());
        release(outputs);
    }

    /** Joins the rejects parts as far as the partitions got: a failed batch's rejects file. */
    void joinRejects(UUID batchId, Path rejects) throws IOException {
        join(batchId, "rejects-", REJECTS_HEADER, rejects);
    }

    /**
     * The first {@code most} lines the partitions rejected, in file order, as "line N: reason"; the
     * parts hold contiguous line ranges in partition order, so the first lines are in the first parts.
     */
    List<String> firstRejects(UUID batchId, int most) {
        List<String> first = new ArrayList<>(most);
        for (int i = 0; i < partitions && first.size() < most; i++) {
            Path part = rejectsPart(batchId, i);
            if (!Files.exists(part)) {
                continue;
            }
            try (BufferedReader in = Files.newBufferedReader(part, StandardCharsets.UTF_8)) {
                String line;
                while (first.size() < most && (line = in.readLine()) != null) {
                    List<String> cells = Csv.split(line);
                    first.add("line " + cells.getFirst() + ": " + (cells.size() > 1 ? cells.get(1) : ""));
                }
            }
            catch (IOException | IllegalArgumentException ex) {
                // a part that cannot be read quotes nothing: the counts still tell what happened
            }
        }
        return first;
    }

    /**
     * Moves a batch's input from {@code processing/} to {@code archive/}, once: a second call (a
     * re-run step) finds it gone and only names where it went.
     *
     * @return where the input is now
     */
    Path archive(Path input) throws IOException {
        Path archived = archived(input);
        if (Files.exists(input)) {
            Files.move(input, archived, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        return archived;
    }

    /** Where {@link #archive} puts an input. */
    Path archived(Path input) {
        return folders.archive().resolve(input.getFileName());
    }

    /** Removes a batch's part files, once the job has ended for good. */
    void deleteParts(UUID batchId) throws IOException {
        Path folder = parts(batchId);
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** The folder of a batch's part files, in {@code processing/}. */
    Path parts(UUID batchId) {
        return folders.processing().resolve(".parts").resolve(batchId.toString());
    }

    private void join(UUID batchId, String prefix, String header, Path target) throws IOException {
        Path temporary = target.resolveSibling("." + target.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(temporary)) {
            out.write((header + "\n").getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < partitions; i++) {
                Path part = parts(batchId).resolve(prefix + i + ".part");
                if (Files.exists(part)) {
                    Files.copy(part, out);
                }
            }
        }
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Claims {@code file}'s name: atomically creates its hidden claim marker, and gives the name up
     * again if a finished file already has it.
     */
    private static boolean claim(Path file) throws IOException {
        Path marker = claimMarker(file);
        try {
            Files.createFile(marker);
        }
        catch (FileAlreadyExistsException ex) {
            return false;
        }
        if (Files.exists(file)) {
            Files.deleteIfExists(marker);
            return false;
        }
        return true;
    }

    private static Path claimMarker(Path file) {
        return file.resolveSibling("." + file.getFileName() + ".claimed");
    }

    private static String stem(String fileName) {
        return fileName.toLowerCase(Locale.ROOT).endsWith(".csv") ? fileName.substring(0, fileName.length() - 4)
                : fileName;
    }
}
