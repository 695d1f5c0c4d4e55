package io.scorepipe.worker.retrain;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.scorepipe.batch.DataFolders;
import io.scorepipe.batch.LabelFiles;
import io.scorepipe.registry.ModelInfo;
import io.scorepipe.registry.ModelNames;
import io.scorepipe.registry.ModelRegistry;
import io.scorepipe.worker.system.SettledFiles;

/**
 * Labelled examples from CSV files dropped into {@code inbox/labels/} (the default model's) or
 * {@code inbox/labels/NAME/} (the model of that name), read by a
 * {@link LabelsReader}: good lines become training examples, bad lines go to
 * {@code rejects/labels/<name>.rejects.csv} with their line number and reason, and the file's
 * outcome goes to {@code label_files} for the api to show. The file is claimed by an atomic move,
 * so one worker reads it.
 */
class LabelsWatcher {

    private static final Logger log = LoggerFactory.getLogger(LabelsWatcher.class);

    private final DataFolders folders;
    private final LabelFiles files;
    private final ModelRegistry registry;
    private final Duration settle;
    private final LabelsReader reader;
    private final String defaultModel;
    private final Map<Path, SettledFiles> inboxes = new HashMap<>();

    LabelsWatcher(DataFolders folders, LabelFiles files, ModelRegistry registry, Duration settle, LabelsReader reader,
            String defaultModel) {
        this.folders = folders;
        this.files = files;
        this.registry = registry;
        this.settle = settle;
        this.reader = reader;
        this.defaultModel = defaultModel;
    }

    synchronized void poll() throws IOException {
        Files.createDirectories(folders.labelsInbox());
        poll(folders.labelsInbox(), defaultModel);
        try (DirectoryStream<Path> models = Files.newDirectoryStream(folders.labelsInbox(), Files::isDirectory)) {
            for (Path folder : models) {
                String model = folder.getFileName().toString();
                if (ModelNames.isValid(model)) {
                    poll(folder, model);
                }
            }
        }
        inboxes.keySet().removeIf(folder -> !Files.isDirectory(folder));
    }

    private void poll(Path folder, String model) throws IOException {
        SettledFiles inbox = inboxes.computeIfAbsent(folder, path -> new SettledFiles(path, "*.csv", settle));
        for (Path file : inbox.settled()) {
            String name = DataFolders.sanitize(file.getFileName().toString());
            UUID id = UUID.randomUUID();
            Path claimed = folders.processing().resolve("labels-" + id + "__" + name);
            if (SettledFiles.claim(file, claimed)) {
                read(id, model, name, claimed);
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
