package io.scorepipe.batch;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The {@code batches} table. State changes are single conditional statements, so two workers
 * racing for the same batch cannot both win; the changes of a running batch name its owner and
 * change nothing (answering false) for anyone else, so a runner that lost its claim to another
 * worker cannot write over that worker's run. Thread-safe; joins the caller's transaction.
 */
public class BatchRecords {

    private final JdbcClient jdbc;

    public BatchRecords(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Registers a batch the api has stored in the inbox, for {@code model}. */
    public void createUploaded(UUID id, String model, String fileName, boolean rescore) {
        jdbc.sql("INSERT INTO batches (id, model, file_name, status, rescore) VALUES (?, ?, ?, 'uploaded', ?)")
                .params(id, model, fileName, rescore).update();
    }

    /**
     * Records a claimed file: a new row for a folder drop, the existing row for an upload (which
     * keeps the model it was uploaded for).
     *
     * @param model the model of the folder the file was dropped in
     * @return the batch, now queued
     */
    public Batch queue(UUID id, String model, String fileName, String sha256, String inputPath) {
        jdbc.sql("""
                INSERT INTO batches (id, model, file_name, status, sha256, input_path) VALUES (?, ?, ?, 'queued', ?, ?)
                ON CONFLICT (id) DO UPDATE SET status = 'queued', sha256 = excluded.sha256, input_path = excluded.input_path
                WHERE batches.status = 'uploaded'""").params(id, model, fileName, sha256, inputPath).update();
        return find(id).orElseThrow();
    }

    /** The latest batch of {@code model} completed with this content, other than {@code except}. */
    public Optional<Batch> completedWithContent(String model, String sha256, UUID except) {
        return jdbc.sql("SELECT * FROM batches WHERE model = ? AND sha256 = ? AND status = 'completed' AND id <> ? "
                + "ORDER BY finished_at DESC LIMIT 1").params(model, sha256, except).query(BatchRecords::map).optional();
    }

    public void markDuplicate(UUID id, Batch original) {
        jdbc.sql("""
                UPDATE batches SET status = 'duplicate', duplicate_of = ?, results_path = ?, rejects_path = ?,
                       model_version = ?, rows_total = ?, rows_scored = ?, rows_rejected = ?, finished_at = now()
                WHERE id = ?""").params(original.id(), original.resultsPath(), original.rejectsPath(),
                original.modelVersion(), original.rowsTotal(), original.rowsScored(), original.rowsRejected(), id).update();
    }

    /** Takes a queued batch for {@code owner}; false when another worker took it first. */
    public boolean claimQueued(UUID id, String owner) {
        return jdbc.sql("""
                UPDATE batches SET status = 'running', owner = ?, heartbeat = now(), started_at = coalesce(started_at, now())
                WHERE id = ? AND status = 'queued'""").params(owner, id).update() == 1;
    }

    /**
     * Takes over batches whose runner stopped beating (it died), and queued batches nobody took
     * within {@code staleAfter} (their event was lost).
     *
     * @return the ids now owned by {@code owner}
     */
    public List<UUID> claimAbandoned(String owner, Duration staleAfter) {
        return jdbc.sql("""
                UPDATE batches SET status = 'running', owner = ?, heartbeat = now(), started_at = coalesce(started_at, now())
                WHERE id IN (SELECT id FROM batches
                             WHERE status IN ('queued', 'running')
                               AND coalesce(heartbeat, created_at) < now() - make_interval(secs => ?)
                             FOR UPDATE SKIP LOCKED)
                RETURNING id""").params(owner, (double) staleAfter.toMillis() / 1000).query(UUID.class).list();
    }

    /** Whether {@code owner} still holds the running batch {@code id} (another worker may have taken it over). */
    public boolean isRunBy(UUID id, String owner) {
        return jdbc.sql("SELECT count(*) FROM batches WHERE id = ? AND owner = ? AND status = 'running'")
                .params(id, owner).query(Long.class).single() > 0;
    }

    /** Keeps {@code owner}'s running batches from looking abandoned. */
    public void heartbeat(String owner) {
        jdbc.sql("UPDATE batches SET heartbeat = now() WHERE owner = ? AND status = 'running'").param(owner).update();
    }

    /** Records the version and line count of a batch {@code owner} runs; false when it does not run it. */
    public boolean started(UUID id, String owner, String modelVersion, long rowsTotal) {
        return jdbc.sql("""
                UPDATE batches SET model_version = ?, rows_total = ?, heartbeat = now()
                WHERE id = ? AND owner = ? AND status = 'running'""")
                .params(modelVersion, rowsTotal, id, owner).update() == 1;
    }

    /**
     * Adds a chunk's counts; runs in the chunk's transaction, so a rolled-back chunk never counts.
     *
     * @return the batch's rejected rows so far, this chunk's included; empty when {@code owner}
     *     does not run the batch (any more)
     */
    public OptionalLong progress(UUID id, String owner, long scored, long rejected) {
        return jdbc.sql("""
                UPDATE batches SET rows_scored = rows_scored + ?, rows_rejected = rows_rejected + ?, heartbeat = now()
                WHERE id = ? AND owner = ? AND status = 'running' RETURNING rows_rejected""")
                .params(scored, rejected, id, owner).query(Long.class).optional()
                .map(OptionalLong::of).orElse(OptionalLong.empty());
    }

    /** Marks a batch {@code owner} runs completed; false when it does not run it. */
    public boolean completed(UUID id, String owner, String resultsPath, String rejectsPath, String archivedInput) {
        return jdbc.sql("""
                UPDATE batches SET status = 'completed', results_path = ?, rejects_path = ?, input_path = ?,
                       finished_at = now(), error = NULL
                WHERE id = ? AND owner = ? AND status = 'running'""")
                .params(resultsPath, rejectsPath, archivedInput, id, owner).update() == 1;
    }

    /**
     * Fails a batch {@code owner} runs, with the file of the lines it rejected before it stopped,
     * if any; false when it does not run it.
     */
    public boolean failed(UUID id, String owner, String error, @Nullable String rejectsPath) {
        return jdbc.sql("""
                UPDATE batches SET status = 'failed', error = ?, rejects_path = ?, finished_at = now()
                WHERE id = ? AND owner = ? AND status = 'running'""")
                .params(error, rejectsPath, id, owner).update() == 1;
    }

    /**
     * After an unexpected error of {@code owner}'s run: queues the batch again for any worker to
     * take (after the take-over delay), or fails it once it has had {@code maxAttempts} runs.
     *
     * @return what became of it
     */
    public Requeue requeue(UUID id, String owner, String reason, int maxAttempts) {
        Integer attempts = jdbc.sql("""
                UPDATE batches SET attempts = attempts + 1, error = ?,
                       status = CASE WHEN attempts + 1 >= ? THEN 'failed' ELSE 'queued' END,
                       owner = CASE WHEN attempts + 1 >= ? THEN owner ELSE NULL END,
                       finished_at = CASE WHEN attempts + 1 >= ? THEN now() END, heartbeat = now()
                WHERE id = ? AND owner = ? AND status = 'running' RETURNING attempts""")
                .params(reason, maxAttempts, maxAttempts, maxAttempts, id, owner).query(Integer.class).optional()
                .orElse(null);
        if (attempts == null) {
            return Requeue.NOT_OWNER;
        }
        return attempts >= maxAttempts ? Requeue.GAVE_UP : Requeue.QUEUED;
    }

    /** What {@link #requeue} did. */
    public enum Requeue {
        /** Queued again for another run. */
        QUEUED,
        /** Failed: it had its last run. */
        GAVE_UP,
        /** Nothing: the caller does not run the batch. */
        NOT_OWNER
    }

    /** Records where a batch's input went after the batch ended (a failed one's is archived too). */
    public void inputMoved(UUID id, String inputPath) {
        jdbc.sql("UPDATE batches SET input_path = ? WHERE id = ?").params(inputPath, id).update();
    }

    public Optional<Batch> find(UUID id) {
        return jdbc.sql("SELECT * FROM batches WHERE id = ?").param(id).query(BatchRecords::map).optional();
    }

    /** The most recent batches, newest first. */
    public List<Batch> recent(int limit) {
        return jdbc.sql("SELECT * FROM batches ORDER BY created_at DESC LIMIT ?").param(limit)
                .query(BatchRecords::map).list();
    }

    private static Batch map(ResultSet rs, int row) throws SQLException {
        return new Batch(rs.getObject("id", UUID.class), rs.getString("model"), rs.getString("file_name"),
                BatchState.fromDb(rs.getString("status")), rs.getString("sha256"), rs.getBoolean("rescore"),
                rs.getObject("duplicate_of", UUID.class), rs.getString("input_path"), rs.getString("results_path"),
                rs.getString("rejects_path"), rs.getString("model_version"), (Long) rs.getObject("rows_total"),
                rs.getLong("rows_scored"), rs.getLong("rows_rejected"), rs.getString("error"),
                rs.getTimestamp("created_at").toInstant(), instant(rs.getTimestamp("started_at")),
                instant(rs.getTimestamp("finished_at")));
    }

    private static @Nullable Instant instant(@Nullable Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
