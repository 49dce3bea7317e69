-- Publishing (issue 3): items with immutable versions and the catalog
-- metadata of the 政府信息公开目录, the columns they appear in, index-number
-- counters, attachments, the configurable topic list, the publication log
-- (leaves, stored Merkle hashes, checkpoints) and API tokens.

CREATE TABLE item_topics (
	name TEXT    PRIMARY KEY,
	sort INTEGER NOT NULL DEFAULT 0
);
INSERT INTO item_topics (name, sort) VALUES
	('综合政务', 10),
	('国民经济管理、国有资产监管', 20),
	('财政、金融、审计', 30),
	('国土资源、能源', 40),
	('农业、林业、水利', 50),
	('工业、交通', 60),
	('商贸、海关、旅游', 70),
	('市场监管、安全生产监管', 80),
	('城乡建设、环境保护', 90),
	('科技、教育', 100),
	('文化、广电、新闻出版', 110),
	('卫生、体育', 120),
	('人口与计划生育、妇女儿童工作', 130),
	('劳动、人事、监察', 140),
	('公安、安全、司法', 150),
	('民政、扶贫、救灾', 160),
	('民族、宗教', 170),
	('对外事务', 180),
	('港澳台侨工作', 190),
	('国防', 200),
	('其他', 210);

CREATE TABLE items (
	id                 INTEGER PRIMARY KEY,
	org_id             INTEGER NOT NULL REFERENCES orgs (id),
	state              TEXT    NOT NULL CHECK (state IN ('draft', 'section_review', 'confidentiality_review', 'approved', 'published', 'withdrawn')),
	current_version    INTEGER NOT NULL,
	live_version       INTEGER NOT NULL DEFAULT 0,
	index_no           TEXT    UNIQUE,
	column_id          INTEGER NOT NULL REFERENCES site_columns (id),
	title              TEXT    NOT NULL,
	validity           TEXT    NOT NULL DEFAULT 'valid' CHECK (validity IN ('valid', 'expired', 'repealed')),
	validity_date      TEXT    NOT NULL DEFAULT '',
	first_published_at TEXT,
	last_published_at  TEXT,
	scheduled_at       TEXT,
	reason             TEXT    NOT NULL DEFAULT '',
	created_by         INTEGER NOT NULL DEFAULT 0,
	created_at         TEXT NOT NULL,
	updated_at         TEXT NOT NULL
);
CREATE INDEX items_org ON items (org_id, state);
CREATE INDEX items_live ON items (org_id, last_published_at);

CREATE TABLE item_versions (
	item_id      INTEGER NOT NULL REFERENCES items (id),
	number       INTEGER NOT NULL,
	rev          INTEGER NOT NULL DEFAULT 1,
	title        TEXT    NOT NULL,
	subtitle     TEXT    NOT NULL DEFAULT '',
	summary      TEXT    NOT NULL DEFAULT '',
	body         TEXT    NOT NULL,
	source       TEXT    NOT NULL DEFAULT '',
	author       TEXT    NOT NULL DEFAULT '',
	column_id    INTEGER NOT NULL REFERENCES site_columns (id),
	extra_columns TEXT   NOT NULL DEFAULT '',
	doc_no       TEXT    NOT NULL DEFAULT '',
	issuer       TEXT    NOT NULL DEFAULT '',
	topic        TEXT    NOT NULL DEFAULT '',
	genre        TEXT    NOT NULL DEFAULT '',
	written_date TEXT    NOT NULL DEFAULT '',
	formed_date  TEXT    NOT NULL DEFAULT '',
	disclosure   TEXT    NOT NULL CHECK (disclosure IN ('proactive', 'on_request', 'withheld')),
	keywords     TEXT    NOT NULL DEFAULT '',
	change_note  TEXT    NOT NULL DEFAULT '',
	author_id    INTEGER NOT NULL DEFAULT 0,
	author_name  TEXT    NOT NULL DEFAULT '',
	editors      TEXT    NOT NULL DEFAULT '',
	created_at   TEXT NOT NULL,
	updated_at   TEXT NOT NULL,
	submitted_at TEXT,
	section_by   TEXT    NOT NULL DEFAULT '',
	section_at   TEXT,
	review_by    TEXT    NOT NULL DEFAULT '',
	review_at    TEXT,
	published_at TEXT,
	PRIMARY KEY (item_id, number)
);

-- The columns (primary first, then further columns and special topics)
-- that the live version of an item appears in.
CREATE TABLE item_columns (
	item_id   INTEGER NOT NULL REFERENCES items (id),
	column_id INTEGER NOT NULL REFERENCES site_columns (id),
	PRIMARY KEY (item_id, column_id)
);
CREATE INDEX item_columns_column ON item_columns (column_id);

-- Index-number serials per org and year; a serial is never reused.
CREATE TABLE index_counters (
	org_id INTEGER NOT NULL REFERENCES orgs (id),
	year   INTEGER NOT NULL,
	last   INTEGER NOT NULL,
	PRIMARY KEY (org_id, year)
);

CREATE TABLE attachments (
	id           INTEGER PRIMARY KEY,
	item_id      INTEGER NOT NULL REFERENCES items (id),
	version      INTEGER NOT NULL,
	name         TEXT    NOT NULL,
	content_type TEXT    NOT NULL,
	size         INTEGER NOT NULL,
	sha256       TEXT    NOT NULL,
	sort         INTEGER NOT NULL DEFAULT 0,
	created_at   TEXT NOT NULL
);
CREATE INDEX attachments_item ON attachments (item_id, version);
CREATE INDEX attachments_sha ON attachments (sha256);

-- The publication log: leaf texts by index, stored Merkle hashes by
-- stored-hash index (tlog numbering, base64), and the tree head after each
-- append. Rows are only ever inserted.
CREATE TABLE translog_leaves (
	idx        INTEGER PRIMARY KEY,
	org_id     INTEGER NOT NULL REFERENCES orgs (id),
	item_id    INTEGER NOT NULL REFERENCES items (id),
	version    INTEGER NOT NULL,
	action     TEXT    NOT NULL,
	text       TEXT    NOT NULL,
	created_at TEXT NOT NULL
);
CREATE INDEX translog_leaves_item ON translog_leaves (item_id, idx);

CREATE TABLE translog_hashes (
	idx  INTEGER PRIMARY KEY,
	hash TEXT    NOT NULL
);

CREATE TABLE translog_checkpoints (
	size       INTEGER PRIMARY KEY,
	root       TEXT    NOT NULL,
	created_at TEXT NOT NULL
);

-- Serialises appends to the log across nodes (one row, locked FOR UPDATE
-- on PostgreSQL; SQLite has a single writer).
CREATE TABLE translog_lock (
	id   INTEGER PRIMARY KEY,
	size INTEGER NOT NULL
);
INSERT INTO translog_lock (id, size) VALUES (1, 0);

-- API tokens for other systems: scoped to an org and a role, stored as a
-- SHA-256 hash.
CREATE TABLE api_tokens (
	id           INTEGER PRIMARY KEY,
	org_id       INTEGER NOT NULL REFERENCES orgs (id),
	role         TEXT    NOT NULL,
	name         TEXT    NOT NULL,
	token_hash   TEXT    NOT NULL UNIQUE,
	created_by   INTEGER NOT NULL DEFAULT 0,
	created_at   TEXT NOT NULL,
	last_used_at TEXT,
	revoked_at   TEXT
);
