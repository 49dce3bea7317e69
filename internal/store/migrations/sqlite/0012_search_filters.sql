-- The search index gains filter terms (org, column, year, genre); empty it
-- so the sync job indexes every item again with them.
DELETE FROM search_docs;
INSERT INTO search_fts (search_fts) VALUES ('delete-all');
DELETE FROM search_state;
