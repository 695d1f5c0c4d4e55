-- Named models: each model has its own feature schema, its own versions and exactly one champion.
-- Every table that speaks of a model version now also says which model. What was there before
-- is the model 'diabetes' (the one the bundled sample trains), champion kept.
CREATE TABLE models (
    name           text        PRIMARY KEY CHECK (name ~ '^[a-z][a-z0-9-]{0,62}$' AND name !~ '^v[0-9]+$'),
    feature_names  text[]      NOT NULL CHECK (cardinality(feature_names) > 0),
    target         text,
    origin         text        NOT NULL CHECK (origin IN ('sample', 'csv', 'import')),
    created_at     timestamptz NOT NULL DEFAULT now()
);

INSERT INTO models (name, feature_names, target, origin, created_at)
SELECT 'diabetes', feature_names, 'target', 'sample', created_at FROM model_versions ORDER BY version LIMIT 1;

-- Versions are numbered per model: (model, version) is the key and v1 exists once per model.
ALTER TABLE model_promotions DROP CONSTRAINT model_promotions_version_fkey;
ALTER TABLE model_promotions DROP CONSTRAINT model_promotions_previous_version_fkey;
ALTER TABLE model_versions DROP CONSTRAINT model_versions_pkey;
ALTER TABLE model_versions DROP CONSTRAINT model_versions_label_key;
DROP INDEX model_versions_one_champion;

ALTER TABLE model_versions ADD COLUMN model text NOT NULL DEFAULT 'diabetes' REFERENCES models (name);
ALTER TABLE model_versions ALTER COLUMN model DROP DEFAULT;
ALTER TABLE model_versions ADD PRIMARY KEY (model, version);
ALTER TABLE model_versions ADD CONSTRAINT model_versions_label_key UNIQUE (model, label);
ALTER TABLE model_versions ADD CONSTRAINT model_versions_format CHECK (model_format IN ('tribuo-protobuf', 'onnx'));
-- one champion per model, enforced by the database itself
CREATE UNIQUE INDEX model_versions_one_champion ON model_versions (model) WHERE status = 'champion';

ALTER TABLE model_promotions ADD COLUMN model text NOT NULL DEFAULT 'diabetes';
ALTER TABLE model_promotions ALTER COLUMN model DROP DEFAULT;
ALTER TABLE model_promotions ADD FOREIGN KEY (model, version) REFERENCES model_versions (model, version);
ALTER TABLE model_promotions ADD FOREIGN KEY (model, previous_version) REFERENCES model_versions (model, version);
DROP INDEX model_promotions_by_time;
CREATE INDEX model_promotions_by_time ON model_promotions (model, promoted_at DESC, id DESC);

-- The tables the three ways in and retraining write keep a default, so that a process of the
-- previous release that is still running during an upgrade writes rows of the model it served.
ALTER TABLE prediction_audit ADD COLUMN model text NOT NULL DEFAULT 'diabetes';
DROP INDEX prediction_audit_model_version;
CREATE INDEX prediction_audit_model_version ON prediction_audit USING brin (model, model_version, created_at);

ALTER TABLE training_examples ADD COLUMN model text NOT NULL DEFAULT 'diabetes';
DROP INDEX training_examples_source_ref;
CREATE UNIQUE INDEX training_examples_source_ref ON training_examples (model, source, source_ref)
    WHERE source_ref IS NOT NULL;
CREATE INDEX training_examples_model ON training_examples (model, id);

ALTER TABLE batches ADD COLUMN model text NOT NULL DEFAULT 'diabetes';
DROP INDEX batches_completed_sha256;
CREATE INDEX batches_completed_sha256 ON batches (model, sha256) WHERE status = 'completed';

ALTER TABLE retrain_runs ADD COLUMN model text NOT NULL DEFAULT 'diabetes';
ALTER TABLE label_files ADD COLUMN model text NOT NULL DEFAULT 'diabetes';
