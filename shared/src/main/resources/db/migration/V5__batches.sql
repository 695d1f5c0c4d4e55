-- One row per CSV file to score, whichever way it arrived (inbox drop or POST /batches).
-- The worker that claims a batch keeps heartbeat fresh while it runs the job; a batch whose
-- heartbeat is stale was abandoned (its worker died) and any worker may claim and restart it.
CREATE TABLE batches (
    id             uuid        PRIMARY KEY,
    file_name      text        NOT NULL,
    status         text        NOT NULL CHECK (status IN ('uploaded', 'queued', 'running', 'completed', 'failed', 'duplicate')),
    sha256         text,
    rescore        boolean     NOT NULL DEFAULT false,
    duplicate_of   uuid        REFERENCES batches (id),
    input_path     text,
    results_path   text,
    rejects_path   text,
    model_version  text,
    rows_total     bigint,
    rows_scored    bigint      NOT NULL DEFAULT 0,
    rows_rejected  bigint      NOT NULL DEFAULT 0,
    error          text,
    owner          text,
    heartbeat      timestamptz,
    created_at     timestamptz NOT NULL DEFAULT now(),
    started_at     timestamptz,
    finished_at    timestamptz
);

CREATE INDEX batches_completed_sha256 ON batches (sha256) WHERE status = 'completed';
CREATE INDEX batches_created_at ON batches (created_at DESC);
CREATE INDEX batches_active ON batches (status, heartbeat) WHERE status IN ('queued', 'running');
