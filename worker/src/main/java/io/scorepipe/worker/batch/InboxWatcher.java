package io.scorepipe.worker.batch;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.scorepipe.batch.Batch;
import io.scorepipe.batch.BatchRecords;
import io.scorepipe.batch.BatchState;
import io.scorepipe.batch.DataFolders;
import io.scorepipe.messages.BatchEvent;
import io.scorepipe.messages.MessagePublisher;
import io.scorepipe.registry.ModelNames;
import io.scorepipe.system.Sha256;
import io.scorepipe.worker.system.SettledFiles;

/**
 * Claims complete CSV files from the inbox: files directly in it are for the default model, files
 * in {@code inbox/NAME/} for the model of that name. A file is complete when its size and time
 * have not changed for the settle period (writers may also write under a {@code .part} name and
 * rename). Claiming is an atomic move into {@code processing/}: with several workers on one
 * folder, one move succeeds and the others find the file gone. A claimed file is hashed and
 * recorded (see {@link BatchLifecycle#queued}), and a queued one is announced on
 * {@code scoring.batches}.
 *
 * <p>A file claimed into {@code processing/} whose recording failed (the database went away in
 * between, or the worker died) would wait there forever: each look also records such files once
 * they have lain unrecorded for a while.
 */
class InboxWatcher {

    private static final Logger log = LoggerFactory.getLogger(InboxWatcher.class);
    private final DataFolders folders;
    private final BatchRecords records;
    private final BatchLifecycle lifecycle;
    private final MessagePublisher publisher;
    private final String topic;
    private final Duration settle;
    private final Duration strandedAfter;
    private final String defaultModel;
    /** Each inbox folder's files as seen so far: the inbox's own, and each model folder's. */
    private final Map<Path, SettledFiles> inboxes = new HashMap<>();
    private final Set<Path> named = new HashSet<>();

    /**
     * @param settle how long a file must stay unchanged to count as complete
     * @param strandedAfter longer than any claim takes to record (hashing included), so that a claim
     *     in progress is never taken for stranded
     * @param defaultModel the model of the files directly in the inbox
     */
    InboxWatcher(DataFolders folders, BatchRecords records, BatchLifecycle lifecycle, MessagePublisher publisher,
            String topic, Duration settle, Duration strandedAfter, String defaultModel) {
        this.folders = folders;
        this.records = records;
        this.lifecycle = lifecycle;
        this.publisher = publisher;
        this.topic = topic;
        this.settle = settle;
        this.strandedAfter = strandedAfter;
        this.defaultModel = defaultModel;
    }

    /**
     * One look at the inbox and its model folders, and at {@code processing/} for stranded claims;
     * on a schedule, never concurrently.
     */
    synchronized void poll() throws IOException {
        for (Path file : settled(folders.inbox())) {
            claim(file, null);
        }
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(this.folders.inbox(), Files::isDirectory)) {
            for (Path folder : folders) {
                String model = folder.getFileName().toString();
                if (folder.equals(this.folders.labelsInbox()) || model.startsWith(".")) {
                    continue;
                }
                if (!ModelNames.isValid(model)) {
                    if (named.add(folder)) {
                        log.warn("Files in inbox/{}/ are not scored: '{}' is not a model name", model, model);
                    }
                    continue;
                }
                for (Path file : settled(folder)) {
                    claim(file, model);
                }
            }
        }
        inboxes.keySet().removeIf(folder -> !Files.isDirectory(folder));
        recordStranded();
    }

    private List<Path> settled(Path folder) throws IOException {
        return inboxes.computeIfAbsent(folder, path -> new SettledFiles(path, "*.csv", settle)).settled();
    }

    /** @param model the model folder the file was dropped in; null for the inbox itself */
    private void claim(Path file, @Nullable String model) throws IOException {
        String name = file.getFileName().toString();
        DataFolders.Uploaded uploaded = model == null ? DataFolders.parseUploaded(name) : null;
        UUID batchId = uploaded != null ? uploaded.batchId() : UUID.randomUUID();
        String fileName = uploaded != null ? uploaded.name() : DataFolders.sanitize(name);
        Path claimed = folders.processing().resolve(DataFolders.claimedName(batchId, model, fileName));
        if (SettledFiles.claim(file, claimed)) {
            record(batchId, model, fileName, claimed);
        }
    }

    private void record(UUID batchId, @Nullable String model, String fileName, Path claimed) throws IOException {
        String scoredBy = model != null ? model : defaultModel;
        Optional<Batch> queued = lifecycle.queued(batchId, scoredBy, fileName, Sha256.hexOf(claimed), claimed);
        if (queued.isPresent()) {
            publisher.send(topic, batchId.toString(), new BatchEvent(batchId));
            log.info("Claimed {} as batch {} of model {}", fileName, batchId, queued.get().model());
        }
    }

    /** Claimed files with no batch queued for them (or only the upload's row), unchanged for a while. */
    private void recordStranded() throws IOException {
        Instant before = Instant.now().minus(strandedAfter);
        try (DirectoryStream<Path> claims = Files.newDirectoryStream(folders.processing(), "*__*")) {
            for (Path claimed : claims) {
                DataFolders.Uploaded claim = DataFolders.parseUploaded(claimed.getFileName().toString());
                if (claim == null || !Files.isRegularFile(claimed) || changedSince(claimed, before)) {
                    continue;
                }
                Batch batch = records.find(claim.batchId()).orElse(null);
                if (batch == null || batch.status() == BatchState.UPLOADED) {
                    log.warn("{} was claimed into processing/ but never recorded; recording it now", claimed.getFileName());
                    record(claim.batchId(), claim.model(), claim.name(), claimed);
                }
            }
        }
    }

    /** The change time, which a rename sets: when the file arrived in {@code processing/}. */
    private static boolean changedSince(Path file, Instant instant) throws IOException {
        FileTime changed;
        try {
            changed = (FileTime) Files.getAttribute(file, "unix:ctime");
        }
        catch (UnsupportedOperationException | IllegalArgumentException ex) {
            changed = Files.getLastModifiedTime(file); // no change time here: the last write is the best guess
        }
        return changed.toInstant().isAfter(instant);
    }
}
