package io.scorepipe.worker.retrain;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.scorepipe.batch.DataFolders;
import io.scorepipe.batch.LabelFiles;
import io.scorepipe.registry.ModelInfo;
import io.scorepipe.registry.ModelRegistry;
import io.scorepipe.worker.system.ModelInboxes;
import io.scorepipe.worker.system.SettledFiles;

/**
 * Labelled examples from CSV files dropped into {@code inbox/labels/} (the default model's) or
 * {@code inbox/labels/NAME/} (the model of that name), read by a
 * {@link LabelsReader}: good lines become training examples, bad lines go to
 * {@code rejects/labels/<name>.rejects.csv} with their line number and reason, and the file's
 * outcome goes to {@code label_files} for the api to show. The file is claimed by an atomic move,
 * so one worker reads it.
 *
 * @param folders the data folders
 * @param files the {@code label_files} table
 * @param registry the models, for their features and target
 * @param inboxes the labels inbox and its model folders
 * @param reader reads one file
 * @param defaultModel the model of the files directly in the labels inbox
 */
record LabelsWatcher(DataFolders folders, LabelFiles files, ModelRegistry registry, ModelInboxes inboxes,
        LabelsReader reader, String defaultModel) {

    private static final Logger log = LoggerFactory.getLogger(LabelsWatcher.class);

    synchronized void poll() throws IOException {
        Files.createDirectories(folders.labelsInbox());
        for (ModelInboxes.Settled settled : inboxes.settled()) {
            String name = DataFolders.sanitize(settled.file().getFileName().toString());
            UUID id = UUID.randomUUID();
            Path claimed = folders.processing().resolve("labels-" + id + "__" + name);
            if (SettledFiles.claim(settled.file(), claimed)) {
                read(id, settled.model() == null ? defaultModel : settled.model(), name, claimed);
            }
        }
    }

    private void read(UUID id, String model, String name, Path claimed) throws IOException {
        Path rejects = rejectsFile(name, id);
        files.reading(id, model, name, rejects.toString());
        LabelsReader.Outcome outcome;
        try {
            Optional<ModelInfo> info = registry.model(model);
            if (info.isEmpty()) {
                outcome = new LabelsReader.Outcome(0, 0, "no model named '" + model + "' is registered");
            }
            else {
                // lines are keyed by the claimed file's unique name: a later file of the same name is new data
                outcome = reader.read(claimed, model, info.get().schema(), info.get().target(),
                        claimed.getFileName().toString(), rejects);
            }
        }
        catch (IOException | RuntimeException ex) {
            files.failed(id, "the file could not be read to its end: " + ex.getMessage(), 0, 0);
            throw ex;
        }
        if (outcome.refused() == null) {
            files.completed(id, outcome.stored(), outcome.rejected());
            log.info("Labels file {} of model {}: {} examples stored, {} lines rejected", name, model, outcome.stored(),
                    outcome.rejected());
        }
        else {
            files.failed(id, outcome.refused(), outcome.stored(), outcome.rejected());
            log.warn("Labels file {} of model {} refused: {}", name, model, outcome.refused());
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
