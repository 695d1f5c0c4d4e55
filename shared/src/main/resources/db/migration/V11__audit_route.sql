-- Which protocol a prediction came through on the api (predict, predict/batch, v2, v1, invocations),
-- so that the audit trail tells a KServe client's predictions from a seed-style caller's. Rows of
-- the batch job and the stream, and rows from before, have none.
ALTER TABLE prediction_audit ADD COLUMN route text;
