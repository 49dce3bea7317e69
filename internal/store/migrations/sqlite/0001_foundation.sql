-- Foundation: organisations and their columns, staff accounts, sessions,
-- sign-in throttling and the audit trail.

CREATE TABLE orgs (
	id          INTEGER PRIMARY KEY,
	parent_id   INTEGER REFERENCES orgs (id),
	code        TEXT    NOT NULL UNIQUE,
	name        TEXT    NOT NULL,
	short_name  TEXT    NOT NULL DEFAULT '',
	sort        INTEGER NOT NULL DEFAULT 0,
	site_name   TEXT    NOT NULL DEFAULT '',
	site_code   TEXT    NOT NULL DEFAULT '',
	icp         TEXT    NOT NULL DEFAULT '',
	psb         TEXT    NOT NULL DEFAULT '',
	address     TEXT    NOT NULL DEFAULT '',
	phone       TEXT    NOT NULL DEFAULT '',
	host        TEXT,
	path_prefix TEXT    NOT NULL UNIQUE,
	is_default  INTEGER NOT NULL DEFAULT 0,
	created_at  TEXT    NOT NULL,
	updated_at  TEXT    NOT NULL
);
CREATE UNIQUE INDEX orgs_host ON orgs (host) WHERE host IS NOT NULL;
CREATE UNIQUE INDEX orgs_default ON orgs (is_default) WHERE is_default = 1;
CREATE INDEX orgs_parent ON orgs (parent_id);

CREATE TABLE site_columns (
	id          INTEGER PRIMARY KEY,
	org_id      INTEGER NOT NULL REFERENCES orgs (id),
	parent_id   INTEGER REFERENCES site_columns (id),
	kind        TEXT    NOT NULL CHECK (kind IN ('list', 'page', 'link', 'topic')),
	slug        TEXT    NOT NULL,
	name        TEXT    NOT NULL,
	sort        INTEGER NOT NULL DEFAULT 0,
	visible     INTEGER NOT NULL DEFAULT 1,
	update_days INTEGER NOT NULL DEFAULT 0,
	link_url    TEXT    NOT NULL DEFAULT '',
	body        TEXT    NOT NULL DEFAULT '',
	created_at  TEXT    NOT NULL,
	updated_at  TEXT    NOT NULL,
	UNIQUE (org_id, slug)
);
CREATE INDEX site_columns_parent ON site_columns (parent_id);

CREATE TABLE users (
	id                   INTEGER PRIMARY KEY,
	username             TEXT    NOT NULL UNIQUE,
	display_name         TEXT    NOT NULL,
	org_id               INTEGER NOT NULL REFERENCES orgs (id),
	password_hash        TEXT    NOT NULL,
	must_change_password INTEGER NOT NULL DEFAULT 0,
	disabled             INTEGER NOT NULL DEFAULT 0,
	totp_secret          TEXT    NOT NULL DEFAULT '',
	totp_last_step       INTEGER NOT NULL DEFAULT 0,
	created_at           TEXT    NOT NULL,
	updated_at           TEXT    NOT NULL,
	password_at          TEXT    NOT NULL,
	last_login_at        TEXT
);

CREATE TABLE user_roles (
	user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	org_id  INTEGER NOT NULL REFERENCES orgs (id),
	role    TEXT    NOT NULL CHECK (role IN ('officer', 'section', 'reviewer', 'publisher', 'handler', 'leader', 'admin')),
	PRIMARY KEY (user_id, org_id, role)
);

CREATE TABLE login_throttle (
	key          TEXT    PRIMARY KEY,
	failures     INTEGER NOT NULL DEFAULT 0,
	window_start TEXT,
	locked_until TEXT
);

CREATE TABLE sessions (
	id            TEXT    PRIMARY KEY,
	user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	created_at    TEXT    NOT NULL,
	seen_at       TEXT    NOT NULL,
	expires_at    TEXT    NOT NULL,
	mfa_ok        INTEGER NOT NULL DEFAULT 0,
	pending_totp  TEXT    NOT NULL DEFAULT '',
	ip            TEXT    NOT NULL DEFAULT '',
	user_agent    TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE audit_log (
	id          INTEGER PRIMARY KEY,
	at          TEXT    NOT NULL,
	actor_id    INTEGER NOT NULL DEFAULT 0,
	actor_name  TEXT    NOT NULL DEFAULT '',
	org_id      INTEGER NOT NULL DEFAULT 0,
	action      TEXT    NOT NULL,
	object_type TEXT    NOT NULL DEFAULT '',
	object_id   INTEGER NOT NULL DEFAULT 0,
	detail      TEXT    NOT NULL DEFAULT '',
	ip          TEXT    NOT NULL DEFAULT '',
	prev_hash   TEXT    NOT NULL DEFAULT '',
	hash        TEXT    NOT NULL
);
CREATE INDEX audit_log_org ON audit_log (org_id, id);
CREATE INDEX audit_log_action ON audit_log (action, id);
