package io.scorepipe.worker.batch;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.scorepipe.batch.Batch;
import io.scorepipe.batch.DataFolders;
import io.scorepipe.messages.BatchEvent;
import io.scorepipe.messages.MessagePublisher;
import io.scorepipe.system.Sha256;
import io.scorepipe.worker.system.ModelInboxes;
import io.scorepipe.worker.system.SettledFiles;

/**
 * Claims complete CSV files from the inbox: files directly in it are for the default model, files
 * in {@code inbox/NAME/} for the model of that name. A file is complete when it has not been
 * written for the settle period (see {@link SettledFiles}; writers may also write under a
 * {@code .part} name and rename). Claiming is an atomic move into {@code processing/}: with several workers on one
 * folder, one move succeeds and the others find the file gone. A claimed file is hashed and
 * recorded (see {@link BatchLifecycle#queued}), and a queued one is announced on
 * {@code scoring.batches}.
 *
 * <p>A file claimed into {@code processing/} whose recording failed (the database went away in
 * between, or the worker died) would wait there forever: each look also records such files once
 * they have lain unrecorded for a while.
 *
 * @param folders the data folders
 * @param lifecycle records claimed files
 * @param publisher announces queued batches
 * @param topic where they are announced
 * @param inboxes the inbox and its model folders
 * @param strandedClaims claims whose recording never happened
 * @param defaultModel the model of the files directly in the inbox
 */
record InboxWatcher(DataFolders folders, BatchLifecycle lifecycle, MessagePublisher publisher, String topic,
        ModelInboxes inboxes, StrandedClaims strandedClaims, String defaultModel) {

    private static final Logger log = LoggerFactory.getLogger(InboxWatcher.class);

    /**
     * One look at the inbox and its model folders, and at {@code processing/} for stranded claims;
     * on a schedule, never concurrently.
     */
    synchronized void poll() throws IOException {
        for (ModelInboxes.Settled settled : inboxes.settled()) {
            claim(settled.file(), settled.model());
        }
        recordStranded();
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

    /** Claimed files whose recording never happened: recorded now. */
    private void recordStranded() throws IOException {
        for (Map.Entry<Path, DataFolders.Uploaded> stranded : strandedClaims.find().entrySet()) {
            DataFolders.Uploaded claim = stranded.getValue();
            log.warn("{} was claimed into processing/ but never recorded; recording it now", stranded.getKey().getFileName());
            record(claim.batchId(), claim.model(), claim.name(), stranded.getKey());
        }
    }
}
