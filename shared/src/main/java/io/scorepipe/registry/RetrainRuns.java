package io.scorepipe.registry;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The {@code retrain_runs} table: what a caller of {@code POST /models/retrain} polls. A run goes
 * requested → running → completed, skipped or failed; each step is a conditional update, so a run
 * the sweep has failed for lack of a worker cannot start later, and the other way round. Thread-safe.
 */
public class RetrainRuns {

    private final JdbcClient jdbc;

    public RetrainRuns(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * One retrain run.
     *
     * @param id the run id
     * @param model the model it retrains
     * @param trigger who asked: the api, the schedule, a model's creation
     * @param status requested, running, completed, skipped or failed
     * @param version the version it registered
     * @param promoted whether that version became champion
     * @param reason why, or why nothing was trained
     * @param requestedAt when it was asked for
     * @param startedAt when a worker started it
     * @param finishedAt when it ended
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Run(@JsonProperty("id") UUID id, @JsonProperty("model") String model,
            @JsonProperty("trigger") String trigger,
            @JsonProperty("status") String status, @JsonProperty("version") @Nullable String version,
            @JsonProperty("promoted") @Nullable Boolean promoted, @JsonProperty("reason") @Nullable String reason,
            @JsonProperty("requested_at") Instant requestedAt, @JsonProperty("started_at") @Nullable Instant startedAt,
            @JsonProperty("finished_at") @Nullable Instant finishedAt) {
    }

    public void requested(UUID id, String model, String trigger) {
        jdbc.sql("INSERT INTO retrain_runs (id, model, trigger, status) VALUES (?, ?, ?, 'requested') ON CONFLICT DO NOTHING")
                .params(id, model, trigger).update();
    }

    /** @return true when the run was waiting and is now running; false when it ended meanwhile (timed out, say) */
    public boolean running(UUID id) {
        return jdbc.sql("""
                UPDATE retrain_runs SET status = 'running', started_at = clock_timestamp()
                WHERE id = ? AND status = 'requested'""").param(id).update() == 1;
    }

    public void finished(UUID id, String status, @Nullable String version, @Nullable Boolean promoted, String reason) {
        jdbc.sql("""
                UPDATE retrain_runs SET status = ?, version = ?, promoted = ?, reason = ?, finished_at = clock_timestamp()
                WHERE id = ?""").params(status, version, promoted, reason, id).update();
    }

    /**
     * Fails the runs that no worker started within {@code bound}, so nobody waits for them forever.
     *
     * @return how many were failed
     */
    public int failUnstarted(Duration bound) {
        return jdbc.sql("""
                UPDATE retrain_runs SET status = 'failed', finished_at = clock_timestamp(),
                       reason = 'no worker started it within ' || ? || ': is a worker running, and does it reach Kafka?'
                WHERE status = 'requested' AND requested_at < clock_timestamp() - make_interval(secs => ?)""")
                .params(describe(bound), (double) bound.toMillis() / 1000).update();
    }

    /**
     * Fails {@code model}'s runs marked running that nobody runs any more (their worker stopped),
     * given that the caller knows no retrain of the model is running anywhere; runs that started
     * within {@code grace} are left.
     */
    public int failAbandoned(String model, Duration grace) {
        return jdbc.sql("""
                UPDATE retrain_runs SET status = 'failed', finished_at = clock_timestamp(),
                       reason = 'the worker that ran it stopped before it finished'
                WHERE model = ? AND status = 'running' AND started_at < clock_timestamp() - make_interval(secs => ?)""")
                .params(model, (double) grace.toMillis() / 1000).update();
    }

    /** The models that have a run marked running. */
    public List<String> modelsRunning() {
        return jdbc.sql("SELECT DISTINCT model FROM retrain_runs WHERE status = 'running'").query(String.class).list();
    }

    public Optional<Run> find(UUID id) {
        return jdbc.sql("SELECT * FROM retrain_runs WHERE id = ?").param(id).query(RetrainRuns::map).optional();
    }

    /** {@code model}'s runs, newest first: {@code limit} of them after skipping {@code offset}. */
    public List<Run> list(String model, int offset, int limit) {
        return jdbc.sql("SELECT * FROM retrain_runs WHERE model = ? ORDER BY requested_at DESC, id OFFSET ? LIMIT ?")
                .params(model, offset, limit).query(RetrainRuns::map).list();
    }

    public long count(String model) {
        return jdbc.sql("SELECT count(*) FROM retrain_runs WHERE model = ?").param(model).query(Long.class).single();
    }

    private static String describe(Duration bound) {
        return bound.toSeconds() % 60 == 0 ? bound.toMinutes() + " min" : bound.toSeconds() + " s";
    }

    private static Run map(ResultSet rs, int row) throws SQLException {
        return new Run(rs.getObject("id", UUID.class), rs.getString("model"), rs.getString("trigger"), rs.getString("status"),
                rs.getString("version"), (Boolean) rs.getObject("promoted"), rs.getString("reason"),
                rs.getTimestamp("requested_at").toInstant(), instant(rs.getTimestamp("started_at")),
                instant(rs.getTimestamp("finished_at")));
    }

    private static @Nullable Instant instant(@Nullable Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
