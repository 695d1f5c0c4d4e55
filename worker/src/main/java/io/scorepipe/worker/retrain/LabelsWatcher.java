package io.scorepipe.worker.retrain;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.scorepipe.batch.DataFolders;
import io.scorepipe.batch.LabelFiles;
import io.scorepipe.registry.ServingModel;
import io.scorepipe.worker.system.SettledFiles;

/**
 * Labelled examples from CSV files dropped into {@code inbox/labels/}, read by a
 * {@link LabelsReader}: good lines become training examples, bad lines go to
 * {@code rejects/labels/<name>.rejects.csv} with their line number and reason, and the file's
 * outcome goes to {@code label_files} for the api to show. The file is claimed by an atomic move,
 * so one worker reads it.
 */
class LabelsWatcher {

    private static final Logger log = LoggerFactory.getLogger(LabelsWatcher.class);

    private final DataFolders folders;
    private final LabelFiles files;
    private final ServingModel serving;
    private final SettledFiles inbox;
    private final LabelsReader reader;

    LabelsWatcher(DataFolders folders, LabelFiles files, ServingModel serving, SettledFiles inbox, LabelsReader reader) {
        this.folders = folders;
        this.files = files;
        this.serving = serving;
        this.inbox = inbox;
        this.reader = reader;
    }

    synchronized void poll() throws IOException {
        for (Path file : inbox.settled()) {
            String name = DataFolders.sanitize(file.getFileName().toString());
            UUID id = UUID.randomUUID();
            Path claimed = folders.processing().resolve("labels-" + id + "__" + name);
            if (SettledFiles.claim(file, claimed)) {
                read(id, name, claimed);
            }
        }
    }

    private void read(UUID id, String name, Path claimed) throws IOException {
        Path rejects = rejectsFile(name, id);
        files.reading(id, name, rejects.toString());
        LabelsReader.Outcome outcome;
        try {
            // lines are keyed by the claimed file's unique name: a later file of the same name is new data
            outcome = reader.read(claimed, serving.require().scorer().schema(), claimed.getFileName().toString(), rejects);
        }
        catch (IOException | RuntimeException ex) {
            files.failed(id, "the file could not be read to its end: " + ex.getMessage(), 0, 0);
            throw ex;
        }
        if (outcome.refused() == null) {
            files.completed(id, outcome.stored(), outcome.rejected());
            log.info("Labels file {}: {} examples stored, {} lines rejected", name, outcome.stored(), outcome.rejected());
        }
        else {
            files.failed(id, outcome.refused(), outcome.stored(), outcome.rejected());
            log.warn("Labels file {} refused: {}", name, outcome.refused());
        }
        Files.move(claimed, folders.archive().resolve(claimed.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    }

    /** The plain rejects name while it is free; a later file of the same name gets its id in the name. */
    private Path rejectsFile(String name, UUID id) {
        String stem = name.replaceAll("\\.csv$", "");
        Path plain = folders.labelRejects().resolve(stem + ".rejects.csv");
        return Files.exists(plain) ? folders.labelRejects().resolve(stem + "." + id + ".rejects.csv") : plain;
    }
}
