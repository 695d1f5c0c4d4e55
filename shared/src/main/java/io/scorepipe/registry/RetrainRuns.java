package io.scorepipe.registry;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The {@code retrain_runs} table: what a caller of {@code POST /models/retrain} polls. Thread-safe. */
public class RetrainRuns {

    private final JdbcClient jdbc;

    public RetrainRuns(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * One retrain run.
     *
     * @param id the run id
     * @param trigger who asked: the api, the schedule
     * @param status requested, running, completed, skipped or failed
     * @param version the version it registered
     * @param promoted whether that version became champion
     * @param reason why, or why nothing was trained
     * @param requestedAt when it was asked for
     * @param finishedAt when it ended
     */
    public record Run(@JsonProperty("id") UUID id, @JsonProperty("trigger") String trigger,
            @JsonProperty("status") String status, @JsonProperty("version") @Nullable String version,
            @JsonProperty("promoted") @Nullable Boolean promoted, @JsonProperty("reason") @Nullable String reason,
            @JsonProperty("requested_at") Instant requestedAt, @JsonProperty("finished_at") @Nullable Instant finishedAt) {
    }

    public void requested(UUID id, String trigger) {
        jdbc.sql("INSERT INTO retrain_runs (id, trigger, status) VALUES (?, ?, 'requested') ON CONFLICT DO NOTHING")
                .params(id, trigger).update();
    }

    public void running(UUID id) {
        jdbc.sql("UPDATE retrain_runs SET status = 'running', started_at = now() WHERE id = ?").param(id).update();
    }

    public void finished(UUID id, String status, @Nullable String version, @Nullable Boolean promoted, String reason) {
        jdbc.sql("""
                UPDATE retrain_runs SET status = ?, version = ?, promoted = ?, reason = ?, finished_at = now()
                WHERE id = ?""").params(status, version, promoted, reason, id).update();
    }

    public Optional<Run> find(UUID id) {
        return jdbc.sql("SELECT * FROM retrain_runs WHERE id = ?").param(id).query(RetrainRuns::map).optional();
    }

    private static Run map(ResultSet rs, int row) throws SQLException {
        Timestamp finished = rs.getTimestamp("finished_at");
        return new Run(rs.getObject("id", UUID.class), rs.getString("trigger"), rs.getString("status"),
                rs.getString("version"), (Boolean) rs.getObject("promoted"), rs.getString("reason"),
                rs.getTimestamp("requested_at").toInstant(), finished == null ? null : finished.toInstant());
    }
}
