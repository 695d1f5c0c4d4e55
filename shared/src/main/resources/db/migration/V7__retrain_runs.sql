-- Retrains asked for through the api (POST /models/retrain) or started by the schedule: what a
-- caller polls. A run is skipped when another retrain was running at the time.
CREATE TABLE retrain_runs (
    id            uuid        PRIMARY KEY,
    trigger       text        NOT NULL,
    status        text        NOT NULL CHECK (status IN ('requested', 'running', 'completed', 'skipped', 'failed')),
    version       text,
    promoted      boolean,
    reason        text,
    requested_at  timestamptz NOT NULL DEFAULT now(),
    started_at    timestamptz,
    finished_at   timestamptz
);

CREATE INDEX retrain_runs_requested_at ON retrain_runs (requested_at DESC);
