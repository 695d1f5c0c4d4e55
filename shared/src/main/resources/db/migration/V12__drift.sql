-- Feature drift. Each version keeps the profile of what it learnt from (per feature: count, mean,
-- standard deviation, decile bins and their shares; the same for its predictions), written when it is
-- trained or imported, or from its first scored window when it came without examples.
ALTER TABLE model_versions ADD COLUMN profile jsonb;

-- The latest comparison of a model's recent audited predictions with its serving version's profile,
-- one row per model, replaced by each run of the worker's drift job.
CREATE TABLE model_drift (
    model        text        PRIMARY KEY REFERENCES models (name),
    version      text        NOT NULL,
    computed_at  timestamptz NOT NULL,
    report       jsonb       NOT NULL
);

-- The drift job reads a window of recent audited predictions through the block-range indexes on the
-- creation time; a range those indexes have not summarised is read whatever its times. Summarise
-- each range as soon as the next one receives rows, rather than at the next vacuum.
ALTER INDEX prediction_audit_created_at SET (autosummarize = on);
ALTER INDEX prediction_audit_model_version SET (autosummarize = on);
