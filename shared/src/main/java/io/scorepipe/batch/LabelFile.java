package io.scorepipe.batch;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * One labels file read from {@code inbox/labels/} (or {@code inbox/labels/NAME/}), as the {@code label_files} table holds it.
 *
 * @param id its id
 * @param model the model whose examples it holds
 * @param fileName the sanitised file name
 * @param status reading, completed or failed (a file refused whole, for its header say)
 * @param examplesStored labelled examples it added
 * @param linesRejected lines it refused, each with its reason in the rejects file
 * @param error why the whole file was refused
 * @param rejectsPath the rejects file
 * @param createdAt when it was claimed
 * @param finishedAt when it was read to its end
 */
public record LabelFile(UUID id, String model, String fileName, String status, long examplesStored, long linesRejected,
        @Nullable String error, @Nullable String rejectsPath, Instant createdAt, @Nullable Instant finishedAt) {
}
