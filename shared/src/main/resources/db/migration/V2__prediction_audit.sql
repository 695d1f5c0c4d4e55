-- One row per served prediction, whatever path served it. The prediction id is minted once,
-- where the prediction is made, and travels with every redelivery, so inserting with
-- ON CONFLICT DO NOTHING makes a redelivered event a no-op. The (source, source_ref) key
-- does the same for inputs that are identified by where they came from: a batch line
-- ("<batch id>:<line>") or a Kafka record ("<topic>:<partition>:<offset>").
--
-- Written only with set-based statements (COPY, multi-row INSERT). The table is append-only,
-- which keeps it ready for declarative partitioning by day on created_at and a retention
-- policy that drops old partitions.
CREATE TABLE prediction_audit (
    prediction_id   uuid             PRIMARY KEY,
    source          text             NOT NULL CHECK (source IN ('api', 'batch', 'stream')),
    source_ref      text,
    request_id      text,
    model_version   text             NOT NULL,
    features        double precision[] NOT NULL,
    prediction      double precision NOT NULL,
    cache_hit       boolean          NOT NULL DEFAULT false,
    latency_micros  bigint           CHECK (latency_micros >= 0),
    created_at      timestamptz      NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX prediction_audit_source_ref ON prediction_audit (source, source_ref)
    WHERE source_ref IS NOT NULL;
-- BRIN suits an append-only time column: tiny, and cheap to maintain at high insert rates.
CREATE INDEX prediction_audit_created_at ON prediction_audit USING brin (created_at);
CREATE INDEX prediction_audit_model_version ON prediction_audit (model_version, created_at);
