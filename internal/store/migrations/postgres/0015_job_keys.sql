-- Periodic jobs are enqueued once per slot, whatever the state of an
-- earlier job of that slot: the check looks keys up in every state.
CREATE INDEX jobs_key ON jobs (unique_key);
