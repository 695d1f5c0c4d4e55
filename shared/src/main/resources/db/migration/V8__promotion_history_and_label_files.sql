-- Who or what made each promotion, so that the history answers "why does this version serve?".
-- Earlier rows are classified by the reason text each promoter wrote.
ALTER TABLE model_promotions ADD COLUMN promoted_by text;
UPDATE model_promotions SET promoted_by = CASE
    WHEN reason LIKE 'bootstrap%' THEN 'bootstrap'
    WHEN reason LIKE 'retrain%' THEN 'retrain'
    ELSE 'api' END;
ALTER TABLE model_promotions ALTER COLUMN promoted_by SET NOT NULL;

-- Retrain runs are listed newest first; a run that no worker took in time is failed by status.
CREATE INDEX retrain_runs_open ON retrain_runs (requested_at) WHERE status IN ('requested', 'running');

-- One row per labels file read from inbox/labels/: what it gave and what it refused, so that the
-- outcome is visible through the api and not only in a worker's log.
CREATE TABLE label_files (
    id                uuid        PRIMARY KEY,
    file_name         text        NOT NULL,
    status            text        NOT NULL CHECK (status IN ('reading', 'completed', 'failed')),
    examples_stored   bigint      NOT NULL DEFAULT 0,
    lines_rejected    bigint      NOT NULL DEFAULT 0,
    error             text,
    rejects_path      text,
    created_at        timestamptz NOT NULL DEFAULT now(),
    finished_at       timestamptz
);

CREATE INDEX label_files_created_at ON label_files (created_at DESC);
