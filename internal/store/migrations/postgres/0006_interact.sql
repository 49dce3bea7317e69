-- Public interaction (internal/interact): messages with their events,
-- reply drafts and ratings, per-org settings, consultations on drafts and
-- their comments. Calendar days are 'YYYY-MM-DD' text on both backends.

CREATE TABLE interact_settings (
	org_id        BIGINT PRIMARY KEY REFERENCES orgs (id),
	deadline_days INTEGER NOT NULL,
	updated_at    TIMESTAMPTZ    NOT NULL
);

CREATE TABLE interact_messages (
	id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	org_id         BIGINT NOT NULL REFERENCES orgs (id),
	query_no       TEXT    NOT NULL UNIQUE,
	code_hash      TEXT    NOT NULL,
	kind           TEXT    NOT NULL CHECK (kind IN ('question', 'suggestion', 'complaint', 'help', 'disclosure')),
	subject        TEXT    NOT NULL,
	body           TEXT    NOT NULL,
	name           TEXT    NOT NULL,
	phone          TEXT    NOT NULL DEFAULT '',
	email          TEXT    NOT NULL DEFAULT '',
	consent        BOOLEAN NOT NULL DEFAULT FALSE,
	state          TEXT    NOT NULL CHECK (state IN ('received', 'accepted', 'assigned', 'drafted', 'answered', 'rejected')),
	section        TEXT    NOT NULL DEFAULT '',
	handler_id     BIGINT REFERENCES users (id),
	reject_reason  TEXT    NOT NULL DEFAULT '',
	submitted_at   TIMESTAMPTZ    NOT NULL,
	received_on    TEXT    NOT NULL,
	due_on         TEXT    NOT NULL DEFAULT '',
	deadline_days  INTEGER NOT NULL DEFAULT 0,
	answered_on    TEXT    NOT NULL DEFAULT '',
	answered_at    TIMESTAMPTZ,
	late           BOOLEAN NOT NULL DEFAULT FALSE,
	published      BOOLEAN NOT NULL DEFAULT FALSE,
	public_name    TEXT    NOT NULL DEFAULT '',
	public_subject TEXT    NOT NULL DEFAULT '',
	public_body    TEXT    NOT NULL DEFAULT '',
	public_reply   TEXT    NOT NULL DEFAULT '',
	fingerprint    TEXT    NOT NULL,
	created_at     TIMESTAMPTZ    NOT NULL,
	updated_at     TIMESTAMPTZ    NOT NULL
);
CREATE INDEX interact_messages_org ON interact_messages (org_id, state, due_on);
CREATE INDEX interact_messages_public ON interact_messages (published, answered_at);
CREATE INDEX interact_messages_fp ON interact_messages (fingerprint, created_at);

CREATE TABLE interact_events (
	id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	message_id  BIGINT NOT NULL REFERENCES interact_messages (id),
	action      TEXT    NOT NULL,
	at          TIMESTAMPTZ    NOT NULL,
	actor_id    BIGINT NOT NULL DEFAULT 0,
	actor_name  TEXT    NOT NULL DEFAULT '',
	note        TEXT    NOT NULL DEFAULT '',
	from_org_id BIGINT NOT NULL DEFAULT 0,
	to_org_id   BIGINT NOT NULL DEFAULT 0,
	internal    BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX interact_events_message ON interact_events (message_id, id);

CREATE TABLE interact_replies (
	id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	message_id   BIGINT NOT NULL REFERENCES interact_messages (id),
	body         TEXT    NOT NULL,
	status       TEXT    NOT NULL CHECK (status IN ('draft', 'returned', 'approved')),
	drafted_by   BIGINT NOT NULL DEFAULT 0,
	drafted_name TEXT    NOT NULL DEFAULT '',
	drafted_at   TIMESTAMPTZ    NOT NULL,
	decided_by   BIGINT NOT NULL DEFAULT 0,
	decided_name TEXT    NOT NULL DEFAULT '',
	decided_at   TIMESTAMPTZ,
	note         TEXT    NOT NULL DEFAULT '',
	publish      BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX interact_replies_message ON interact_replies (message_id, id);

CREATE TABLE interact_ratings (
	message_id BIGINT PRIMARY KEY REFERENCES interact_messages (id),
	level      TEXT    NOT NULL CHECK (level IN ('satisfied', 'basic', 'unsatisfied')),
	comment    TEXT    NOT NULL DEFAULT '',
	at         TIMESTAMPTZ    NOT NULL
);

CREATE TABLE interact_consultations (
	id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	org_id        BIGINT NOT NULL REFERENCES orgs (id),
	title         TEXT    NOT NULL,
	draft         TEXT    NOT NULL DEFAULT '',
	link_url      TEXT    NOT NULL DEFAULT '',
	start_on      TEXT    NOT NULL,
	end_on        TEXT    NOT NULL,
	summary       TEXT    NOT NULL DEFAULT '',
	summary_state TEXT    NOT NULL DEFAULT '' CHECK (summary_state IN ('', 'submitted', 'published')),
	summary_by    TEXT    NOT NULL DEFAULT '',
	summary_at    TIMESTAMPTZ,
	approved_by   TEXT    NOT NULL DEFAULT '',
	approved_at   TIMESTAMPTZ,
	summary_item_id BIGINT REFERENCES items (id),
	created_by    TEXT    NOT NULL DEFAULT '',
	created_at    TIMESTAMPTZ    NOT NULL,
	updated_at    TIMESTAMPTZ    NOT NULL
);
CREATE INDEX interact_consultations_org ON interact_consultations (org_id, end_on);

CREATE TABLE interact_comments (
	id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	consultation_id BIGINT NOT NULL REFERENCES interact_consultations (id),
	name            TEXT    NOT NULL,
	phone           TEXT    NOT NULL DEFAULT '',
	email           TEXT    NOT NULL DEFAULT '',
	body            TEXT    NOT NULL,
	state           TEXT    NOT NULL CHECK (state IN ('pending', 'shown', 'hidden')),
	public_name     TEXT    NOT NULL DEFAULT '',
	public_body     TEXT    NOT NULL DEFAULT '',
	fingerprint     TEXT    NOT NULL,
	moderated_by    TEXT    NOT NULL DEFAULT '',
	created_at      TIMESTAMPTZ    NOT NULL
);
CREATE INDEX interact_comments_consultation ON interact_comments (consultation_id, state, id);
CREATE INDEX interact_comments_fp ON interact_comments (fingerprint, created_at);
