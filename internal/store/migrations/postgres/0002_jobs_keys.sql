-- Durable background jobs (internal/job) and the site's signing keys.

CREATE TABLE jobs (
	id           BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	kind         TEXT        NOT NULL,
	payload      TEXT        NOT NULL DEFAULT '{}',
	state        TEXT        NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'running', 'done', 'failed', 'cancelled')),
	run_at       TIMESTAMPTZ NOT NULL,
	locked_until TIMESTAMPTZ,
	attempts     INTEGER     NOT NULL DEFAULT 0,
	max_attempts INTEGER     NOT NULL DEFAULT 0,
	unique_key   TEXT,
	last_error   TEXT        NOT NULL DEFAULT '',
	created_at   TIMESTAMPTZ NOT NULL,
	updated_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX jobs_due ON jobs (state, run_at);
CREATE UNIQUE INDEX jobs_unique ON jobs (unique_key) WHERE unique_key IS NOT NULL AND state IN ('pending', 'running');

CREATE TABLE signing_keys (
	name       TEXT        PRIMARY KEY,
	skey       TEXT        NOT NULL,
	vkey       TEXT        NOT NULL,
	created_at TIMESTAMPTZ NOT NULL
);
