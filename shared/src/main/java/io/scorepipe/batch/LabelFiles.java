package io.scorepipe.batch;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The {@code label_files} table: the outcome of every labels file, for the api to show. Thread-safe. */
public class LabelFiles {

    private final JdbcClient jdbc;

    public LabelFiles(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void reading(UUID id, String model, String fileName, String rejectsPath) {
        jdbc.sql("INSERT INTO label_files (id, model, file_name, status, rejects_path) VALUES (?, ?, ?, 'reading', ?)")
                .params(id, model, fileName, rejectsPath).update();
    }

    public void completed(UUID id, long examplesStored, long linesRejected) {
        jdbc.sql("""
                UPDATE label_files SET status = 'completed', examples_stored = ?, lines_rejected = ?,
                       finished_at = clock_timestamp() WHERE id = ?""").params(examplesStored, linesRejected, id).update();
    }

    public void failed(UUID id, String error, long examplesStored, long linesRejected) {
        jdbc.sql("""
                UPDATE label_files SET status = 'failed', error = ?, examples_stored = ?, lines_rejected = ?,
                       finished_at = clock_timestamp() WHERE id = ?""")
                .params(error, examplesStored, linesRejected, id).update();
    }

    public Optional<LabelFile> find(UUID id) {
        return jdbc.sql("SELECT * FROM label_files WHERE id = ?").param(id).query(LabelFiles::map).optional();
    }

    /** {@code model}'s files, newest first: {@code limit} of them after skipping {@code offset}. */
    public List<LabelFile> list(String model, int offset, int limit) {
        return jdbc.sql("SELECT * FROM label_files WHERE model = ? ORDER BY created_at DESC, id OFFSET ? LIMIT ?")
                .params(model, offset, limit).query(LabelFiles::map).list();
    }

    public long count(String model) {
        return jdbc.sql("SELECT count(*) FROM label_files WHERE model = ?").param(model).query(Long.class).single();
    }

    private static LabelFile map(ResultSet rs, int row) throws SQLException {
        return new LabelFile(rs.getObject("id", UUID.class), rs.getString("model"), rs.getString("file_name"), rs.getString("status"),
                rs.getLong("examples_stored"), rs.getLong("lines_rejected"), rs.getString("error"),
                rs.getString("rejects_path"), rs.getTimestamp("created_at").toInstant(),
                instant(rs.getTimestamp("finished_at")));
    }

    private static @Nullable Instant instant(@Nullable Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
