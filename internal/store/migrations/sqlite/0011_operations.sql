-- Operations and security (issue 10): site inspection runs with their
-- problems, and the security findings register (安全隐患整改台账).

CREATE TABLE inspection_runs (
	id          INTEGER PRIMARY KEY,
	org_id      INTEGER NOT NULL REFERENCES orgs (id),
	state       TEXT    NOT NULL CHECK (state IN ('running', 'done', 'failed')),
	cause       TEXT    NOT NULL DEFAULT 'manual', -- manual or scheduled
	started_by  INTEGER NOT NULL DEFAULT 0,
	started_at  TEXT    NOT NULL,
	finished_at TEXT,
	done        INTEGER NOT NULL DEFAULT 0, -- pages fetched, for progress
	known       INTEGER NOT NULL DEFAULT 0, -- pages known so far
	pages       INTEGER NOT NULL DEFAULT 0,
	problems    INTEGER NOT NULL DEFAULT 0,
	vetoed      INTEGER NOT NULL DEFAULT 0, -- a single-veto rule is broken
	vetoes      TEXT    NOT NULL DEFAULT '', -- the broken rules, one per line
	error       TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX inspection_runs_org ON inspection_runs (org_id, started_at);

CREATE TABLE inspection_problems (
	id       INTEGER PRIMARY KEY,
	run_id   INTEGER NOT NULL REFERENCES inspection_runs (id),
	kind     TEXT    NOT NULL,
	location TEXT    NOT NULL,
	detail   TEXT    NOT NULL DEFAULT '',
	veto     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX inspection_problems_run ON inspection_problems (run_id);

CREATE TABLE security_findings (
	id                 INTEGER PRIMARY KEY,
	org_id             INTEGER NOT NULL REFERENCES orgs (id),
	source             TEXT    NOT NULL CHECK (source IN ('assessment', 'self_check', 'inspection', 'scan', 'map_check')),
	source_ref         TEXT    NOT NULL DEFAULT '', -- what found it, e.g. inspection run and address; unique per org when set
	severity           TEXT    NOT NULL CHECK (severity IN ('high', 'medium', 'low')),
	title              TEXT    NOT NULL,
	description        TEXT    NOT NULL DEFAULT '',
	location           TEXT    NOT NULL DEFAULT '',
	found_on           TEXT    NOT NULL, -- YYYY-MM-DD
	deadline           TEXT    NOT NULL, -- YYYY-MM-DD
	owner_id           INTEGER NOT NULL DEFAULT 0,
	owner_name         TEXT    NOT NULL DEFAULT '',
	state              TEXT    NOT NULL CHECK (state IN ('open', 'remediated', 'closed')),
	remediation        TEXT    NOT NULL DEFAULT '',
	remediated_by      INTEGER NOT NULL DEFAULT 0,
	remediated_by_name TEXT    NOT NULL DEFAULT '',
	remediated_at      TEXT,
	evidence_sha256    TEXT    NOT NULL DEFAULT '',
	evidence_name      TEXT    NOT NULL DEFAULT '',
	evidence_type      TEXT    NOT NULL DEFAULT '',
	closed_by          INTEGER NOT NULL DEFAULT 0,
	closed_by_name     TEXT    NOT NULL DEFAULT '',
	closed_at          TEXT,
	close_note         TEXT    NOT NULL DEFAULT '',
	created_by         INTEGER NOT NULL DEFAULT 0,
	created_at         TEXT    NOT NULL,
	updated_at         TEXT    NOT NULL
);
CREATE INDEX security_findings_org ON security_findings (org_id, state, deadline);
CREATE UNIQUE INDEX security_findings_ref ON security_findings (org_id, source_ref) WHERE source_ref <> '';
