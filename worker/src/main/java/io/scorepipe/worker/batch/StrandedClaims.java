package io.scorepipe.worker.batch;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.scorepipe.batch.Batch;
import io.scorepipe.batch.BatchRecords;
import io.scorepipe.batch.BatchState;
import io.scorepipe.batch.DataFolders;

/**
 * Files claimed into {@code processing/} whose recording never happened (the database went away
 * in between, or the worker died): no batch is queued for them, or only an upload's row, and they
 * have lain there unchanged for a while.
 *
 * @param folders the data folders
 * @param records the {@code batches} table
 * @param after longer than any claim takes to record (hashing included), so that a claim in
 *     progress is never taken for stranded
 */
record StrandedClaims(DataFolders folders, BatchRecords records, Duration after) {

    /** The stranded claims, with their batch, model folder and name read from their file names. */
    Map<Path, DataFolders.Uploaded> find() throws IOException {
        Instant before = Instant.now().minus(after);
        Map<Path, DataFolders.Uploaded> stranded = new LinkedHashMap<>();
        try (DirectoryStream<Path> claims = Files.newDirectoryStream(folders.processing(), "*__*")) {
            for (Path claimed : claims) {
                DataFolders.Uploaded claim = DataFolders.parseUploaded(claimed.getFileName().toString());
                if (claim == null || !Files.isRegularFile(claimed) || changedSince(claimed, before)) {
                    continue;
                }
                Batch batch = records.find(claim.batchId()).orElse(null);
                if (batch == null || batch.status() == BatchState.UPLOADED) {
                    stranded.put(claimed, claim);
                }
            }
        }
        return stranded;
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
