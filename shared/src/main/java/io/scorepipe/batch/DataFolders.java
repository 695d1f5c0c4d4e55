package io.scorepipe.batch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * The folders under {@code SCOREPIPE_DATA_DIR}: {@code inbox/} (drop files here),
 * {@code processing/} (claimed files), {@code outbox/} (results), {@code rejects/} (bad rows)
 * and {@code archive/} (inputs that were scored). Also the one place that turns a caller's
 * file name into a safe one: no path ever leaves the data folder.
 *
 * @param root the data folder
 */
public record DataFolders(Path root) {

    /**
     * Inbox names the api writes: the batch id, two underscores, the sanitised name; and the names
     * of claimed files, which may carry the model of the folder they were dropped in between the two
     * (a sanitised name never holds two underscores, and a model name holds none).
     */
    private static final Pattern UPLOADED = Pattern.compile(
            "([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})__(?:([a-z][a-z0-9-]*)__)?(.+)");
    private static final int MAX_NAME = 100;

    public DataFolders {
        root = root.toAbsolutePath().normalize();
    }

    public Path inbox() {
        return root.resolve("inbox");
    }

    public Path processing() {
        return root.resolve("processing");
    }

    public Path outbox() {
        return root.resolve("outbox");
    }

    public Path rejects() {
        return root.resolve("rejects");
    }

    public Path archive() {
        return root.resolve("archive");
    }

    /** Labelled examples for retraining: CSV files with the model's features and {@code target}. */
    public Path labelsInbox() {
        return inbox().resolve("labels");
    }

    /**
     * Where CSV files to score with {@code model} are dropped: {@code inbox/NAME/}. Files directly
     * in the inbox go to the default model.
     */
    public Path inbox(String model) {
        return inbox().resolve(model);
    }

    /** Where labels files of {@code model} are dropped: {@code inbox/labels/NAME/}. */
    public Path labelsInbox(String model) {
        return labelsInbox().resolve(model);
    }

    public Path labelRejects() {
        return rejects().resolve("labels");
    }

    /** Creates the folders that are missing. */
    public DataFolders create() {
        try {
            for (Path folder : new Path[] {inbox(), processing(), outbox(), rejects(), archive(), labelsInbox(),
                    labelRejects()}) {
                Files.createDirectories(folder);
            }
            return this;
        }
        catch (IOException ex) {
            throw new UncheckedIOException("cannot create the data folders under " + root, ex);
        }
    }

    /**
     * A safe CSV file name from whatever a caller sent: the last path segment only, letters,
     * digits, dot, dash and underscore, no leading dots, at most 100 characters, ending in .csv.
     * {@code ../../etc/passwd} becomes {@code passwd.csv}.
     */
    public static String sanitize(@Nullable String name) {
        String base = name == null ? "" : name.replace('\\', '/');
        base = base.substring(base.lastIndexOf('/') + 1);
        base = base.replaceAll("[^A-Za-z0-9._-]", "_").replaceAll("_+", "_").replaceAll("^[._]+", "");
        if (base.toLowerCase(Locale.ROOT).endsWith(".csv")) {
            base = base.substring(0, base.length() - 4);
        }
        base = base.replaceAll("[.]+$", "");
        if (base.isEmpty()) {
            base = "upload";
        }
        if (base.length() > MAX_NAME) {
            base = base.substring(0, MAX_NAME);
        }
        return base + ".csv";
    }

    /** The inbox name for an uploaded file whose batch is already registered. */
    public static String uploadedName(UUID batchId, String sanitizedName) {
        return batchId + "__" + sanitizedName;
    }

    /**
     * The name of a file claimed into {@code processing/} from {@code model}'s inbox folder, so that
     * a claim its worker never recorded still says which model it is for.
     */
    public static String claimedName(UUID batchId, @Nullable String model, String sanitizedName) {
        return model == null ? uploadedName(batchId, sanitizedName) : batchId + "__" + model + "__" + sanitizedName;
    }

    /** The batch id, model folder (if any) and original name of an uploaded or claimed file's name, if it is one. */
    public static @Nullable Uploaded parseUploaded(String fileName) {
        Matcher matcher = UPLOADED.matcher(fileName);
        return matcher.matches() ? new Uploaded(UUID.fromString(matcher.group(1)), matcher.group(2), matcher.group(3))
                : null;
    }

    /**
     * Resolves {@code name} inside {@code folder}, refusing anything that would leave it.
     *
     * @throws IllegalArgumentException for a name that escapes the folder
     */
    public static Path inside(Path folder, String name) {
        Path resolved = folder.resolve(name).normalize();
        if (!resolved.getParent().equals(folder.normalize())) {
            throw new IllegalArgumentException("the name '" + name + "' leaves " + folder);
        }
        return resolved;
    }

    /**
     * An uploaded or claimed file's identity, from its name.
     *
     * @param batchId the batch registered for it
     * @param model the model of the inbox folder it was dropped in; null for the inbox itself or an upload
     * @param name the sanitised original name
     */
    public record Uploaded(UUID batchId, @Nullable String model, String name) {
    }
}
