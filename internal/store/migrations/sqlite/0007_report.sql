-- Annual report (internal/report, issue 8): one draft per org and year
-- with the narrative parts and its status; the figures staff entered (the
-- 第二十条第（五）（六）（八）项 figures that come from other systems) or
-- overrode, each with its source; and the work records the report asks
-- about (the disclosure team, training sessions, special funding).
-- Indexes on the other engineers' tables serve the report queries.

CREATE TABLE report_drafts (
	org_id     INTEGER NOT NULL REFERENCES orgs (id),
	year       INTEGER NOT NULL,
	overview   TEXT    NOT NULL DEFAULT '',
	problems   TEXT    NOT NULL DEFAULT '',
	other      TEXT    NOT NULL DEFAULT '',
	status     TEXT    NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'final')),
	item_id    INTEGER REFERENCES items (id),
	updated_by TEXT    NOT NULL DEFAULT '',
	updated_at TEXT    NOT NULL,
	PRIMARY KEY (org_id, year)
);

CREATE TABLE report_figures (
	org_id     INTEGER NOT NULL REFERENCES orgs (id),
	year       INTEGER NOT NULL,
	cell       TEXT    NOT NULL,
	value      TEXT    NOT NULL,
	source     TEXT    NOT NULL,
	updated_by TEXT    NOT NULL DEFAULT '',
	updated_at TEXT    NOT NULL,
	PRIMARY KEY (org_id, year, cell)
);

CREATE TABLE report_work (
	id         INTEGER PRIMARY KEY,
	org_id     INTEGER NOT NULL REFERENCES orgs (id),
	year       INTEGER NOT NULL,
	kind       TEXT    NOT NULL CHECK (kind IN ('team', 'training', 'funding')),
	on_day     TEXT    NOT NULL DEFAULT '',
	title      TEXT    NOT NULL,
	detail     TEXT    NOT NULL DEFAULT '',
	amount     TEXT    NOT NULL DEFAULT '',
	attendees  INTEGER NOT NULL DEFAULT 0,
	created_at TEXT    NOT NULL,
	updated_at TEXT    NOT NULL
);
CREATE INDEX report_work_org ON report_work (org_id, year, kind);

CREATE INDEX report_apply_cover ON apply_applications (org_id, applicant_kind, org_type, outcome, outcome_reason, received_on, answered_on);
CREATE INDEX report_item_versions_genre ON item_versions (genre, item_id, number);
CREATE INDEX report_items_first ON items (org_id, first_published_at);
