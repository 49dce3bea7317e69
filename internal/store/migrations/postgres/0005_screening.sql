-- Pre-publication screening (issue 4): the findings of each scanned item
-- version and attachment, the site group's sensitive-word list, and what
-- the upload form says about an image (caption, marked as a map).
--
-- A finding never holds the raw value: excerpt is masked, and offset and
-- length point into the text of the version or file it came from (valid
-- for that version only). attachment_id is 0 for the item's own fields.

CREATE TABLE screening_findings (
	id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	item_id          BIGINT  NOT NULL REFERENCES items (id),
	version          INTEGER NOT NULL,
	attachment_id    BIGINT  NOT NULL DEFAULT 0,
	kind             TEXT    NOT NULL,
	severity         TEXT    NOT NULL CHECK (severity IN ('blocking', 'warning')),
	confidence       TEXT    NOT NULL,
	location         TEXT    NOT NULL,
	field            TEXT    NOT NULL DEFAULT '',
	file             TEXT    NOT NULL DEFAULT '',
	part             TEXT    NOT NULL DEFAULT '',
	sheet            TEXT    NOT NULL DEFAULT '',
	cell             TEXT    NOT NULL DEFAULT '',
	page             INTEGER NOT NULL DEFAULT 0,
	paragraph        INTEGER NOT NULL DEFAULT 0,
	table_no         INTEGER NOT NULL DEFAULT 0,
	row_no           INTEGER NOT NULL DEFAULT 0,
	col_no           INTEGER NOT NULL DEFAULT 0,
	line_no          INTEGER NOT NULL DEFAULT 0,
	entry            TEXT    NOT NULL DEFAULT '',
	span_offset      INTEGER NOT NULL DEFAULT 0,
	span_length      INTEGER NOT NULL DEFAULT 0,
	excerpt          TEXT    NOT NULL DEFAULT '',
	message          TEXT    NOT NULL DEFAULT '',
	status           TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'masked', 'overridden')),
	override_reason  TEXT    NOT NULL DEFAULT '',
	override_by      BIGINT  NOT NULL DEFAULT 0,
	override_by_name TEXT    NOT NULL DEFAULT '',
	override_at      TIMESTAMPTZ,
	created_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX screening_findings_item ON screening_findings (item_id, version, attachment_id);

-- The sensitive-word list of a site group, kept on its root org.
CREATE TABLE screening_words (
	org_id   BIGINT  NOT NULL REFERENCES orgs (id),
	text     TEXT    NOT NULL,
	severity TEXT    NOT NULL CHECK (severity IN ('blocking', 'warning')),
	PRIMARY KEY (org_id, text)
);

ALTER TABLE attachments ADD COLUMN caption TEXT NOT NULL DEFAULT '';
ALTER TABLE attachments ADD COLUMN is_map BOOLEAN NOT NULL DEFAULT FALSE;
