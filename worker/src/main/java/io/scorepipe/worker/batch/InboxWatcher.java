package io.scorepipe.worker.batch;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;

import io.scorepipe.batch.Batch;
import io.scorepipe.batch.BatchRepository;
import io.scorepipe.batch.DataFolders;
import io.scorepipe.config.TopicProperties;
import io.scorepipe.worker.system.SettledFiles;

/**
 * Claims complete CSV files from the inbox. A file is complete when its size and time have not
 * changed for the settle period (writers may also write under a {@code .part} name and rename).
 * Claiming is an atomic move into {@code processing/}: with several workers on one folder, one
 * move succeeds and the others find the file gone. A claimed file is hashed; content scored
 * before is not scored again unless a rescore was asked for; anything else is queued and
 * announced on {@code scoring.batches}.
 */
class InboxWatcher {

    private static final Logger log = LoggerFactory.getLogger(InboxWatcher.class);

    private final DataFolders folders;
    private final BatchRepository batches;
    private final KafkaTemplate<String, String> kafka;
    private final TopicProperties topics;
    private final SettledFiles inbox;

    InboxWatcher(DataFolders folders, BatchRepository batches, KafkaTemplate<String, String> kafka, TopicProperties topics,
            BatchProperties properties) {
        this.folders = folders;
        this.batches = batches;
        this.kafka = kafka;
        this.topics = topics;
        this.inbox = new SettledFiles(folders.inbox(), "*.csv", properties.settle());
    }

    /** One look at the inbox; called on a schedule, never concurrently. */
    synchronized void poll() throws IOException {
        for (Path file : inbox.settled()) {
            claim(file);
        }
    }

    private void claim(Path file) throws IOException {
        String name = file.getFileName().toString();
        DataFolders.Uploaded uploaded = DataFolders.parseUploaded(name);
        UUID batchId = uploaded != null ? uploaded.batchId() : UUID.randomUUID();
        String fileName = uploaded != null ? uploaded.name() : DataFolders.sanitize(name);
        Path claimed = folders.processing().resolve(DataFolders.uploadedName(batchId, fileName));
        try {
            Files.move(file, claimed, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (NoSuchFileException ex) {
            return; // another worker claimed it first
        }
        catch (AtomicMoveNotSupportedException ex) {
            throw new IOException("the inbox and processing/ must be on one file system for atomic claims", ex);
        }
        Batch batch = batches.queue(batchId, fileName, sha256(claimed), claimed.toString());
        Optional<Batch> earlier = batch.rescore() ? Optional.empty()
                : batches.completedWithContent(batch.sha256(), batchId);
        if (earlier.isPresent()) {
            batches.markDuplicate(batchId, earlier.get());
            Files.move(claimed, folders.archive().resolve(claimed.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            log.info("{} has the same content as batch {}; pointing at its results", fileName, earlier.get().id());
            return;
        }
        kafka.send(topics.batches(), batchId.toString(), "{\"batch_id\":\"" + batchId + "\"}");
        log.info("Claimed {} as batch {}", fileName, batchId);
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("every Java runtime has SHA-256", ex);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
