-- The text of attachments, extracted once per content (keyed by SHA-256)
-- for the search index. Reset the sync watermark so every item is
-- indexed again with its attachments' text.
CREATE TABLE attachment_texts (
	sha256       TEXT PRIMARY KEY,
	text         TEXT NOT NULL,
	extracted_at TIMESTAMPTZ NOT NULL
);
DELETE FROM search_state;
