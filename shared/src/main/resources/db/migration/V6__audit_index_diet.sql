-- Every audit row paid for four indexes; two of them were redundant or oversized.
--
-- Idempotency by source reference is carried by the prediction id itself: the stream and the batch
-- job derive it from the source reference (AuditRecord.idFor, a name-based UUID), so the primary key
-- already refuses a second row for the same Kafka record or CSV line, and the separate unique index
-- on (source, source_ref) only doubled the cost of each insert.
DROP INDEX prediction_audit_source_ref;

-- Rows of one model version are contiguous in time (the table is append-only and versions change
-- rarely), which is exactly what a BRIN index exploits: a few pages, nearly free to maintain.
DROP INDEX prediction_audit_model_version;
CREATE INDEX prediction_audit_model_version ON prediction_audit USING brin (model_version, created_at);
