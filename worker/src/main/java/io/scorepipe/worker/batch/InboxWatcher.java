package io.scorepipe.worker.batch;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.scorepipe.batch.Batch;
import io.scorepipe.batch.BatchRecords;
import io.scorepipe.batch.BatchState;
import io.scorepipe.batch.DataFolders;
import io.scorepipe.messages.BatchEvent;
import io.scorepipe.messages.MessagePublisher;
import io.scorepipe.system.Sha256;
import io.scorepipe.worker.system.SettledFiles;

/**
 * Claims complete CSV files from the inbox. A file is complete when its size and time have not
 * changed for the settle period (writers may also write under a {@code .part} name and rename).
 * Claiming is an atomic move into {@code processing/}: with several workers on one folder, one
 * move succeeds and the others find the file gone. A claimed file is hashed and recorded (see
 * {@link BatchLifecycle#queued}), and a queued one is announced on {@code scoring.batches}.
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
    private final SettledFiles inbox;
    private final Duration strandedAfter;

    /**
     * @param strandedAfter longer than any claim takes to record (hashing included), so that a claim
     *     in progress is never taken for stranded
     */
    InboxWatcher(DataFolders folders, BatchRecords records, BatchLifecycle lifecycle, MessagePublisher publisher,
            String topic, SettledFiles inbox, Duration strandedAfter) {
        this.folders = folders;
        this.records = records;
        this.lifecycle = lifecycle;
        this.publisher = publisher;
        this.topic = topic;
        this.inbox = inbox;
        this.strandedAfter = strandedAfter;
    }

    /** One look at the inbox, and at {@code processing/} for stranded claims; on a schedule, never concurrently. */
    synchronized void poll() throws IOException {
        for (Path file : inbox.settled()) {
            claim(file);
        }
        recordStranded();
    }

    private void claim(Path file) throws IOException {
        String name = file.getFileName().toString();
        DataFolders.Uploaded uploaded = DataFolders.parseUploaded(name);
        UUID batchId = uploaded != null ? uploaded.batchId() : UUID.randomUUID();
        String fileName = uploaded != null ? uploaded.name() : DataFolders.sanitize(name);
        Path claimed = folders.processing().resolve(DataFolders.uploadedName(batchId, fileName));
        if (SettledFiles.claim(file, claimed)) {
            record(batchId, fileName, claimed);
        }
    }

    private void record(UUID batchId, String fileName, Path claimed) throws IOException {
        if (lifecycle.queued(batchId, fileName, Sha256.hexOf(claimed), claimed).isPresent()) {
            publisher.send(topic, batchId.toString(), new BatchEvent(batchId));
            log.info("Claimed {} as batch {}", fileName, batchId);
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
                    record(claim.batchId(), claim.name(), claimed);
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
