-- The model registry: every trained version, its metrics and provenance, and the bytes
-- Tribuo wrote (protobuf). Exactly one row may be champion at any time; the partial unique
-- index enforces that even if application code were wrong.
CREATE TABLE model_versions (
    version        integer     PRIMARY KEY CHECK (version > 0),
    label          text        GENERATED ALWAYS AS ('v' || version) STORED UNIQUE,
    status         text        NOT NULL CHECK (status IN ('candidate', 'champion', 'retired')),
    feature_names  text[]      NOT NULL CHECK (cardinality(feature_names) > 0),
    metrics        jsonb       NOT NULL DEFAULT '{}'::jsonb,
    provenance     jsonb       NOT NULL DEFAULT '{}'::jsonb,
    training_rows  integer     NOT NULL CHECK (training_rows >= 0),
    model_format   text        NOT NULL DEFAULT 'tribuo-protobuf',
    model_bytes    bytea       NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    promoted_at    timestamptz
);

CREATE UNIQUE INDEX model_versions_one_champion ON model_versions ((true)) WHERE status = 'champion';

-- Every promotion, in order: the history that rollback walks back through.
CREATE TABLE model_promotions (
    id                bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    version           integer     NOT NULL REFERENCES model_versions (version),
    previous_version  integer     REFERENCES model_versions (version),
    reason            text        NOT NULL,
    promoted_at       timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX model_promotions_by_time ON model_promotions (promoted_at DESC, id DESC);
