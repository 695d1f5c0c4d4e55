package io.scorepipe.worker.system;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.scorepipe.registry.ModelNames;

/**
 * The settled CSV files of an inbox and of its model folders: a file directly in the inbox is the
 * default model's, a file in {@code NAME/} is model NAME's. A folder whose name cannot be a model's
 * is passed over (and said so once); the folders given to skip (another inbox inside this one) too.
 * Not thread-safe: one poller.
 */
public final class ModelInboxes {

    private static final Logger log = LoggerFactory.getLogger(ModelInboxes.class);

    private final Path inbox;
    private final Duration settle;
    private final Set<Path> skip;
    private final Map<Path, SettledFiles> folders = new HashMap<>();
    private final Set<Path> named = new HashSet<>();

    public ModelInboxes(Path inbox, Duration settle, Set<Path> skip) {
        this.inbox = inbox;
        this.settle = settle;
        this.skip = Set.copyOf(skip);
    }

    /**
     * A settled file and the model it is for.
     *
     * @param file the file
     * @param model the model of the folder it is in; null for the inbox itself (the default model)
     */
    public record Settled(Path file, @Nullable String model) {
    }

    /** One look at the inbox and its model folders: the files that have settled since earlier looks. */
    public List<Settled> settled() throws IOException {
        List<Settled> settled = new ArrayList<>();
        for (Path file : settled(inbox)) {
            settled.add(new Settled(file, null));
        }
        try (DirectoryStream<Path> models = Files.newDirectoryStream(inbox, Files::isDirectory)) {
            for (Path folder : models) {
                String model = folder.getFileName().toString();
                if (skip.contains(folder) || model.startsWith(".")) {
                    continue;
                }
                if (!ModelNames.isValid(model)) {
                    if (named.add(folder)) {
                        log.warn("Files in {} are passed over: '{}' is not a model name", folder, model);
                    }
                    continue;
                }
                for (Path file : settled(folder)) {
                    settled.add(new Settled(file, model));
                }
            }
        }
        folders.keySet().removeIf(folder -> !Files.isDirectory(folder));
        return settled;
    }

    private List<Path> settled(Path folder) throws IOException {
        return folders.computeIfAbsent(folder, path -> new SettledFiles(path, "*.csv", settle)).settled();
    }
}
