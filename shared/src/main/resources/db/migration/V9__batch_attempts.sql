-- How many times a worker's run of a batch ended in an unexpected error: the batch is queued again
-- (any worker may take it) until the limit, then failed with the reason, instead of failing for
-- good at the first hiccup of a runner.
ALTER TABLE batches ADD COLUMN attempts integer NOT NULL DEFAULT 0;
