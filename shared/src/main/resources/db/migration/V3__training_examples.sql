-- Labelled examples that retraining learns from. Features are stored with their names so
-- that a later model with a different feature set can still use the rows that fit it.
CREATE TABLE training_examples (
    id             bigint           GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    feature_names  text[]           NOT NULL,
    features       double precision[] NOT NULL CHECK (cardinality(features) = cardinality(feature_names)),
    target         double precision NOT NULL,
    source         text             NOT NULL,
    source_ref     text,
    created_at     timestamptz      NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX training_examples_source_ref ON training_examples (source, source_ref)
    WHERE source_ref IS NOT NULL;
CREATE INDEX training_examples_created_at ON training_examples (created_at);
