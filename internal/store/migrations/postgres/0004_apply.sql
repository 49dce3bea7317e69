-- Disclosure on application (internal/apply): applications and their
-- events, reply notices and templates, deliveries, attachments,
-- reconsideration and litigation cases, staff notifications, and the
-- administrators' holiday schedules. Calendar days are stored as
-- 'YYYY-MM-DD' text on both backends.

CREATE TABLE apply_applications (
	id              BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	org_id          BIGINT  NOT NULL REFERENCES orgs (id),
	tracking_no     TEXT    NOT NULL UNIQUE,
	code_hash       TEXT    NOT NULL,
	channel         TEXT    NOT NULL CHECK (channel IN ('in_person', 'post', 'letter', 'online', 'fax')),
	applicant_kind  TEXT    NOT NULL CHECK (applicant_kind IN ('person', 'org')),
	name            TEXT    NOT NULL,
	id_type         TEXT    NOT NULL DEFAULT '',
	id_number       TEXT    NOT NULL DEFAULT '',
	credit_code     TEXT    NOT NULL DEFAULT '',
	legal_rep       TEXT    NOT NULL DEFAULT '',
	contact         TEXT    NOT NULL DEFAULT '',
	org_type        TEXT    NOT NULL DEFAULT '',
	phone           TEXT    NOT NULL DEFAULT '',
	email           TEXT    NOT NULL DEFAULT '',
	address         TEXT    NOT NULL DEFAULT '',
	postcode        TEXT    NOT NULL DEFAULT '',
	description     TEXT    NOT NULL,
	doc_no          TEXT    NOT NULL DEFAULT '',
	index_no        TEXT    NOT NULL DEFAULT '',
	form            TEXT    NOT NULL,
	way             TEXT    NOT NULL,
	submitted_at    TIMESTAMPTZ NOT NULL,
	received_on     TEXT    NOT NULL DEFAULT '',
	handler_id      BIGINT REFERENCES users (id),
	state           TEXT    NOT NULL CHECK (state IN ('pending', 'open', 'correction', 'consulting', 'answered', 'closed')),
	outcome         TEXT    NOT NULL DEFAULT '',
	outcome_reason  TEXT    NOT NULL DEFAULT '',
	outcome_note    TEXT    NOT NULL DEFAULT '',
	answered_on     TEXT    NOT NULL DEFAULT '',
	due_on          TEXT    NOT NULL DEFAULT '',
	due_provisional BOOLEAN NOT NULL DEFAULT FALSE,
	late            BOOLEAN NOT NULL DEFAULT FALSE,
	fingerprint     TEXT    NOT NULL,
	digest          TEXT    NOT NULL,
	created_at      TIMESTAMPTZ NOT NULL,
	updated_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX apply_applications_org ON apply_applications (org_id, state, due_on);
CREATE INDEX apply_applications_fp ON apply_applications (org_id, fingerprint, created_at);

CREATE TABLE apply_events (
	id             BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	application_id BIGINT  NOT NULL REFERENCES apply_applications (id),
	kind           TEXT    NOT NULL,
	on_day         TEXT    NOT NULL,
	at             TIMESTAMPTZ NOT NULL,
	actor_id       BIGINT  NOT NULL DEFAULT 0,
	actor_name     TEXT    NOT NULL DEFAULT '',
	note           TEXT    NOT NULL DEFAULT '',
	days           INTEGER NOT NULL DEFAULT 0,
	party          TEXT    NOT NULL DEFAULT '',
	until_day      TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX apply_events_application ON apply_events (application_id, id);

CREATE TABLE apply_notices (
	id             BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	application_id BIGINT  NOT NULL REFERENCES apply_applications (id),
	category       TEXT    NOT NULL,
	title          TEXT    NOT NULL,
	body           TEXT    NOT NULL,
	actor_name     TEXT    NOT NULL DEFAULT '',
	created_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX apply_notices_application ON apply_notices (application_id);

CREATE TABLE apply_notice_templates (
	org_id     BIGINT  NOT NULL REFERENCES orgs (id),
	category   TEXT    NOT NULL,
	body       TEXT    NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (org_id, category)
);

CREATE TABLE apply_deliveries (
	id             BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	application_id BIGINT  NOT NULL REFERENCES apply_applications (id),
	way            TEXT    NOT NULL,
	on_day         TEXT    NOT NULL,
	note           TEXT    NOT NULL DEFAULT '',
	actor_name     TEXT    NOT NULL DEFAULT '',
	created_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX apply_deliveries_application ON apply_deliveries (application_id);

CREATE TABLE apply_attachments (
	id             BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	application_id BIGINT  NOT NULL REFERENCES apply_applications (id),
	kind           TEXT    NOT NULL CHECK (kind IN ('id_copy', 'released', 'other')),
	name           TEXT    NOT NULL,
	content_type   TEXT    NOT NULL,
	size           BIGINT  NOT NULL,
	sha256         TEXT    NOT NULL,
	path           TEXT    NOT NULL,
	screening      TEXT    NOT NULL DEFAULT '',
	created_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX apply_attachments_application ON apply_attachments (application_id);

CREATE TABLE apply_cases (
	id             BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	application_id BIGINT  NOT NULL REFERENCES apply_applications (id),
	org_id         BIGINT  NOT NULL REFERENCES orgs (id),
	kind           TEXT    NOT NULL CHECK (kind IN ('reconsideration', 'lawsuit_direct', 'lawsuit_after')),
	body           TEXT    NOT NULL DEFAULT '',
	filed_on       TEXT    NOT NULL,
	result         TEXT    NOT NULL CHECK (result IN ('pending', 'upheld', 'corrected', 'other')),
	decided_on     TEXT    NOT NULL DEFAULT '',
	note           TEXT    NOT NULL DEFAULT '',
	created_at     TIMESTAMPTZ NOT NULL,
	updated_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX apply_cases_application ON apply_cases (application_id);
CREATE INDEX apply_cases_org ON apply_cases (org_id, filed_on);

CREATE TABLE apply_notifications (
	id             BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	org_id         BIGINT  NOT NULL REFERENCES orgs (id),
	user_id        BIGINT  NOT NULL DEFAULT 0,
	application_id BIGINT  NOT NULL REFERENCES apply_applications (id),
	kind           TEXT    NOT NULL,
	message        TEXT    NOT NULL,
	day            TEXT    NOT NULL,
	created_at     TIMESTAMPTZ NOT NULL,
	UNIQUE (org_id, user_id, application_id, kind, day)
);
CREATE INDEX apply_notifications_org ON apply_notifications (org_id, created_at);

CREATE TABLE calendar_years (
	year       INTEGER PRIMARY KEY,
	data       TEXT    NOT NULL,
	updated_by TEXT    NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL
);
