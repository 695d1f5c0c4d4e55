package io.scorepipe.api.batch;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import io.scorepipe.api.system.UploadTooLargeException;
import io.scorepipe.batch.BatchRecords;
import io.scorepipe.batch.DataFolders;
import io.scorepipe.scoring.InvalidInputException;

/**
 * Streams an upload into the inbox, never holding the file in memory: first under a hidden
 * {@code .part} name the watcher ignores, then, once complete and registered, renamed atomically
 * to its inbox name, which carries the batch id so the worker continues the same batch.
 *
 * @param folders the data folders
 * @param batches the {@code batches} table, where the upload is registered
 * @param maxBytes the largest upload ({@code scorepipe.upload.max-size})
 */
record BatchUploads(DataFolders folders, BatchRecords batches, long maxBytes) {

    /**
     * @param model the model that scores it; it exists
     * @return the new batch's id
     * @throws UploadTooLargeException past the size limit
     * @throws InvalidInputException when the upload is empty: refused at once rather than as a failed batch
     */
    UUID store(InputStream body, String model, @Nullable String requestedName, boolean rescore) throws IOException {
        UUID id = UUID.randomUUID();
        String name = DataFolders.sanitize(requestedName);
        Path part = DataFolders.inside(folders.inbox(), "." + id + ".part");
        try {
            if (copyLimited(body, part) == 0) {
                throw new InvalidInputException("file",
                        "the upload is empty: expected a CSV file whose first line names the model's features");
            }
            batches.createUploaded(id, model, name, rescore);
            Files.move(part, DataFolders.inside(folders.inbox(), DataFolders.uploadedName(id, name)),
                    StandardCopyOption.ATOMIC_MOVE);
            return id;
        }
        finally {
            Files.deleteIfExists(part);
        }
    }

    /** @return the bytes copied */
    private long copyLimited(InputStream body, Path target) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long written = 0;
        try (OutputStream out = Files.newOutputStream(target)) {
            int n;
            while ((n = body.read(buffer)) >= 0) {
                written += n;
                if (written > maxBytes) {
                    throw new UploadTooLargeException(maxBytes);
                }
                out.write(buffer, 0, n);
            }
        }
        return written;
    }
}
