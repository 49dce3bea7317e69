-- Full-text search over published items (internal/search terms). SQLite
-- indexes the terms with FTS5; PostgreSQL with a tsvector (see the
-- postgres file). search_state keeps the sync watermark.

CREATE TABLE search_docs (
	item_id      INTEGER PRIMARY KEY REFERENCES items (id),
	org_id       INTEGER NOT NULL,
	column_id    INTEGER NOT NULL,
	year         INTEGER NOT NULL,
	pub_day      INTEGER NOT NULL,
	genre        TEXT    NOT NULL DEFAULT '',
	validity     TEXT    NOT NULL DEFAULT 'valid',
	index_no     TEXT    NOT NULL DEFAULT '',
	published_at TEXT    NOT NULL,
	title        TEXT    NOT NULL,
	text         TEXT    NOT NULL,
	title_terms  TEXT    NOT NULL,
	body_terms   TEXT    NOT NULL,
	tsv          TEXT    NOT NULL DEFAULT '',
	indexed_at   TEXT    NOT NULL
);
CREATE INDEX search_docs_org ON search_docs (org_id, pub_day);

CREATE VIRTUAL TABLE search_fts USING fts5 (
	title_terms, body_terms,
	content = '', contentless_delete = 1,
	tokenize = 'unicode61 remove_diacritics 0'
);

CREATE TABLE search_state (
	id        INTEGER PRIMARY KEY CHECK (id = 1),
	synced_at TEXT
);
