-- Site group (issue 9): pushes of items to upper orgs' sites, submissions
-- to upper bodies (信息报送), units' required disclosures (approval dates,
-- reminders, public boards), and keys of other installations allowed to
-- push here.

CREATE TABLE pushes (
	id              INTEGER PRIMARY KEY,
	item_id         INTEGER NOT NULL DEFAULT 0, -- the original here; 0 for a push from another installation
	from_org_id     INTEGER NOT NULL DEFAULT 0,
	to_org_id       INTEGER NOT NULL REFERENCES orgs (id),
	column_id       INTEGER NOT NULL DEFAULT 0,
	state           TEXT    NOT NULL CHECK (state IN ('pushed', 'accepted', 'declined')),
	note            TEXT    NOT NULL DEFAULT '',
	reason          TEXT    NOT NULL DEFAULT '',
	pushed_by       INTEGER NOT NULL DEFAULT 0,
	pushed_by_name  TEXT    NOT NULL DEFAULT '',
	pushed_at       TEXT    NOT NULL,
	decided_by      INTEGER NOT NULL DEFAULT 0,
	decided_by_name TEXT    NOT NULL DEFAULT '',
	decided_at      TEXT,
	-- A push from another installation: the sender's registered name, its
	-- item ID and address, and the copy it sent (replaced by later pushes).
	sender          TEXT    NOT NULL DEFAULT '',
	remote_id       TEXT    NOT NULL DEFAULT '',
	remote_url      TEXT    NOT NULL DEFAULT '',
	remote_org      TEXT    NOT NULL DEFAULT '',
	remote_title    TEXT    NOT NULL DEFAULT '',
	remote_body     TEXT    NOT NULL DEFAULT '',
	remote_date     TEXT    NOT NULL DEFAULT '',
	remote_withdrawn INTEGER NOT NULL DEFAULT 0,
	remote_validity TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX pushes_to ON pushes (to_org_id, state, column_id);
CREATE INDEX pushes_from ON pushes (from_org_id, pushed_at);
CREATE UNIQUE INDEX pushes_once ON pushes (item_id, to_org_id) WHERE item_id > 0 AND state <> 'declined';
CREATE UNIQUE INDEX pushes_remote_once ON pushes (sender, remote_id, to_org_id) WHERE sender <> '' AND state <> 'declined';

CREATE TABLE push_senders (
	id         INTEGER PRIMARY KEY,
	name       TEXT    NOT NULL UNIQUE,
	public_key TEXT    NOT NULL,
	to_org_id  INTEGER NOT NULL REFERENCES orgs (id),
	created_at TEXT    NOT NULL
);

-- Items this installation pushed to another one, and what was last sent,
-- so a job can send the item again when it changes (update, repeal,
-- withdrawal).
CREATE TABLE push_targets (
	id          INTEGER PRIMARY KEY,
	item_id     INTEGER NOT NULL REFERENCES items (id),
	url         TEXT    NOT NULL,
	to_org      TEXT    NOT NULL,
	column_slug TEXT    NOT NULL DEFAULT '',
	sent        TEXT    NOT NULL DEFAULT '',
	sent_at     TEXT,
	created_at  TEXT NOT NULL,
	UNIQUE (item_id, url, to_org)
);

CREATE TABLE submissions (
	id            INTEGER PRIMARY KEY,
	org_id        INTEGER NOT NULL REFERENCES orgs (id),
	item_id       INTEGER NOT NULL DEFAULT 0,
	title         TEXT    NOT NULL,
	body          TEXT    NOT NULL DEFAULT '',
	recipient     TEXT    NOT NULL,
	section       TEXT    NOT NULL DEFAULT '',
	officer_id    INTEGER NOT NULL DEFAULT 0,
	officer_name  TEXT    NOT NULL DEFAULT '',
	submitted_on  TEXT    NOT NULL,
	adopted       INTEGER NOT NULL DEFAULT 0,
	adopted_on    TEXT    NOT NULL DEFAULT '',
	adopted_where TEXT    NOT NULL DEFAULT '',
	created_at    TEXT    NOT NULL,
	updated_at    TEXT    NOT NULL
);
CREATE INDEX submissions_org ON submissions (org_id, submitted_on);

CREATE TABLE disclosure_approvals (
	org_id      INTEGER NOT NULL REFERENCES orgs (id),
	year        INTEGER NOT NULL,
	kind        TEXT    NOT NULL,
	approved_on TEXT    NOT NULL DEFAULT '',
	item_id     INTEGER NOT NULL DEFAULT 0,
	entered_by  TEXT    NOT NULL DEFAULT '',
	updated_at  TEXT    NOT NULL,
	PRIMARY KEY (org_id, year, kind)
);

CREATE TABLE disclosure_reminders (
	org_id  INTEGER NOT NULL REFERENCES orgs (id),
	year    INTEGER NOT NULL,
	kind    TEXT    NOT NULL,
	stage   TEXT    NOT NULL,
	sent_at TEXT    NOT NULL,
	PRIMARY KEY (org_id, year, kind, stage)
);

CREATE TABLE disclosure_boards (
	org_id INTEGER PRIMARY KEY REFERENCES orgs (id),
	public INTEGER NOT NULL DEFAULT 0
);

-- Pushes and the disclosure board change what public pages show.
CREATE TRIGGER cache_pushes_ins AFTER INSERT ON pushes BEGIN UPDATE cache_generation SET gen = gen + 1 WHERE id = 1; END;
CREATE TRIGGER cache_pushes_upd AFTER UPDATE ON pushes BEGIN UPDATE cache_generation SET gen = gen + 1 WHERE id = 1; END;
CREATE TRIGGER cache_pushes_del AFTER DELETE ON pushes BEGIN UPDATE cache_generation SET gen = gen + 1 WHERE id = 1; END;
CREATE TRIGGER cache_dapp_ins AFTER INSERT ON disclosure_approvals BEGIN UPDATE cache_generation SET gen = gen + 1 WHERE id = 1; END;
CREATE TRIGGER cache_dapp_upd AFTER UPDATE ON disclosure_approvals BEGIN UPDATE cache_generation SET gen = gen + 1 WHERE id = 1; END;
CREATE TRIGGER cache_dboard_ins AFTER INSERT ON disclosure_boards BEGIN UPDATE cache_generation SET gen = gen + 1 WHERE id = 1; END;
CREATE TRIGGER cache_dboard_upd AFTER UPDATE ON disclosure_boards BEGIN UPDATE cache_generation SET gen = gen + 1 WHERE id = 1; END;
