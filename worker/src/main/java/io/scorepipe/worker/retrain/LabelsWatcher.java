package io.scorepipe.worker.retrain;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.scorepipe.batch.DataFolders;
import io.scorepipe.batch.LabelFiles;
import io.scorepipe.registry.ServingModel;
import io.scorepipe.scoring.FeatureSchema;
import io.scorepipe.scoring.InvalidInputException;
import io.scorepipe.scoring.LabelledRow;
import io.scorepipe.worker.system.BoundedLines;
import io.scorepipe.worker.system.Csv;
import io.scorepipe.worker.system.SettledFiles;

/**
 * Labelled examples from CSV files dropped into {@code inbox/labels/}: the header names the
 * model's features (any order) and {@code target}. Good lines become training examples, keyed by
 * file and line so a re-read adds nothing; bad lines go to {@code rejects/labels/<name>.rejects.csv}
 * with their line number and reason, and the file's outcome goes to {@code label_files} for the api
 * to show. The file is claimed by an atomic move, so one worker reads it.
 */
class LabelsWatcher {

    private static final Logger log = LoggerFactory.getLogger(LabelsWatcher.class);
    private static final String TARGET = "target";
    private static final int BATCH = 1000;

    private final DataFolders folders;
    private final TrainingExampleStore store;
    private final LabelFiles files;
    private final ServingModel serving;
    private final SettledFiles inbox;
    private final int maxLineBytes;

    /**
     * @param maxLineBytes the longest line read whole ({@code scorepipe.batch.max-line-length}): a
     *     longer data line is rejected, a longer header refuses the file, and neither is ever held
     *     in memory whole
     */
    LabelsWatcher(DataFolders folders, TrainingExampleStore store, LabelFiles files, ServingModel serving,
            SettledFiles inbox, int maxLineBytes) {
        this.folders = folders;
        this.store = store;
        this.files = files;
        this.serving = serving;
        this.inbox = inbox;
        this.maxLineBytes = maxLineBytes;
    }

    synchronized void poll() throws IOException {
        for (Path file : inbox.settled()) {
            String name = DataFolders.sanitize(file.getFileName().toString());
            UUID id = UUID.randomUUID();
            Path claimed = folders.processing().resolve("labels-" + id + "__" + name);
            try {
                Files.move(file, claimed, StandardCopyOption.ATOMIC_MOVE);
            }
            catch (NoSuchFileException ex) {
                continue; // another worker took it
            }
            Path rejects = rejectsFile(name, id);
            files.reading(id, name, rejects.toString());
            Outcome outcome;
            try {
                outcome = read(claimed, name, claimed.getFileName().toString(), rejects);
            }
            catch (IOException | RuntimeException ex) {
                files.failed(id, "the file could not be read to its end: " + ex.getMessage(), 0, 0);
                throw ex;
            }
            if (outcome.refused() == null) {
                files.completed(id, outcome.stored(), outcome.rejected());
            }
            else {
                files.failed(id, outcome.refused(), outcome.stored(), outcome.rejected());
            }
            Files.move(claimed, folders.archive().resolve(claimed.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The plain rejects name while it is free; a later file of the same name gets its id in the name. */
    private Path rejectsFile(String name, UUID id) {
        String stem = name.replaceAll("\\.csv$", "");
        Path plain = folders.labelRejects().resolve(stem + ".rejects.csv");
        return Files.exists(plain) ? folders.labelRejects().resolve(stem + "." + id + ".rejects.csv") : plain;
    }

    /**
     * What one file gave.
     *
     * @param stored examples stored
     * @param rejected lines rejected
     * @param refused why the whole file was refused, if it was
     */
    private record Outcome(long stored, long rejected, @Nullable String refused) {
    }

    /** Lines are keyed by the claimed file's unique name: a later file of the same name is new data. */
    private Outcome read(Path file, String name, String key, Path rejects) throws IOException {
        FeatureSchema schema = serving.require().scorer().schema();
        int stored = 0;
        int rejected = 0;
        try (BoundedLines in = new BoundedLines(Files.newInputStream(file), maxLineBytes);
                BufferedWriter out = Files.newBufferedWriter(rejects, StandardCharsets.UTF_8)) {
            out.write("line,reason,raw\n");
            String header = in.next() ? in.text() : null;
            if (header != null && in.tooLong()) {
                out.write("1," + Csv.quote(in.tooLongReason()) + "," + Csv.quote(in.beginning()) + "\n");
                log.warn("Labels file {} refused: its header line is longer than {} bytes", name, maxLineBytes);
                return new Outcome(0, 1, "its header line is longer than " + maxLineBytes + " bytes");
            }
            List<String> columns = header == null ? List.of()
                    : Csv.split(header.replace("\uFEFF", "")).stream().map(String::strip).toList();
            int[] featureColumns = schema.names().stream().mapToInt(columns::indexOf).toArray();
            int target = columns.indexOf(TARGET);
            if (target < 0 || Arrays.stream(featureColumns).anyMatch(i -> i < 0)) {
                String reason = "the header must name the model's features " + schema.names() + " and '" + TARGET + "'";
                out.write("1," + Csv.quote(reason) + "," + Csv.quote(header == null ? "" : header) + "\n");
                log.warn("Labels file {} refused: its header {} lacks features or target", name, columns);
                return new Outcome(0, 1, reason);
            }
            List<LabelledRow> rows = new ArrayList<>(BATCH);
            List<String> refs = new ArrayList<>(BATCH);
            long number = 1;
            while (in.next()) {
                number++;
                if (in.tooLong()) {
                    out.write(number + "," + Csv.quote(in.tooLongReason()) + "," + Csv.quote(in.beginning()) + "\n");
                    rejected++;
                    continue;
                }
                String line = in.text();
                try {
                    List<String> cells = Csv.split(line);
                    if (cells.size() != columns.size()) {
                        throw new IllegalArgumentException("expected " + columns.size() + " columns, got " + cells.size());
                    }
                    double[] features = new double[featureColumns.length];
                    for (int i = 0; i < features.length; i++) {
                        features[i] = schema.parseCell(i, cells.get(featureColumns[i]));
                    }
                    // the target follows the features' number rules: no hexadecimal, no 8d, no NaN
                    double value = FeatureSchema.parseNumber(TARGET, "the target '" + TARGET + "'", cells.get(target));
                    rows.add(new LabelledRow(features, value));
                    refs.add(key + ":" + number);
                }
                catch (InvalidInputException | IllegalArgumentException ex) {
                    out.write(number + "," + Csv.quote(String.valueOf(ex.getMessage())) + "," + Csv.quote(line) + "\n");
                    rejected++;
                }
                if (rows.size() == BATCH) {
                    stored += store.add(schema, rows, "csv", refs);
                    rows.clear();
                    refs.clear();
                }
            }
            stored += store.add(schema, rows, "csv", refs);
        }
        log.info("Labels file {}: {} examples stored, {} lines rejected", name, stored, rejected);
        return new Outcome(stored, rejected, null);
    }
}
