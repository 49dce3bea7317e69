-- Full-text search over published items (internal/search terms). The
-- terms are stored as a weighted tsvector (title A, body B) built from
-- the term lists as they are, with a GIN index; no extension is needed.
-- search_state keeps the sync watermark.

CREATE TABLE search_docs (
	item_id      BIGINT      PRIMARY KEY REFERENCES items (id),
	org_id       BIGINT      NOT NULL,
	column_id    BIGINT      NOT NULL,
	year         INTEGER     NOT NULL,
	pub_day      INTEGER     NOT NULL,
	genre        TEXT        NOT NULL DEFAULT '',
	validity     TEXT        NOT NULL DEFAULT 'valid',
	index_no     TEXT        NOT NULL DEFAULT '',
	published_at TIMESTAMPTZ NOT NULL,
	title        TEXT        NOT NULL,
	text         TEXT        NOT NULL,
	title_terms  TEXT        NOT NULL,
	body_terms   TEXT        NOT NULL,
	tsv          TSVECTOR    NOT NULL,
	indexed_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX search_docs_org ON search_docs (org_id, pub_day);
CREATE INDEX search_docs_tsv ON search_docs USING GIN (tsv);

CREATE TABLE search_state (
	id        INTEGER     PRIMARY KEY CHECK (id = 1),
	synced_at TIMESTAMPTZ
);
