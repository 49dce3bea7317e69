-- The search index gains filter terms (org, column, year, genre); empty it
-- so the sync job indexes every item again with them.
DELETE FROM search_docs;
DELETE FROM search_state;

-- The page cache's item triggers become statement triggers over the
-- changed rows (transition tables), so a bulk insert bumps the generation
-- and notifies once, not once per row.
DROP TRIGGER cache_items_ins ON items;
DROP TRIGGER cache_items_upd ON items;
DROP TRIGGER cache_items_del ON items;

CREATE FUNCTION cache_bump_items() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		IF NOT EXISTS (SELECT 1 FROM new_rows WHERE live_version > 0) THEN RETURN NULL; END IF;
	ELSIF TG_OP = 'UPDATE' THEN
		IF NOT EXISTS (SELECT 1 FROM new_rows WHERE live_version > 0) AND NOT EXISTS (SELECT 1 FROM old_rows WHERE live_version > 0) THEN RETURN NULL; END IF;
	ELSE
		IF NOT EXISTS (SELECT 1 FROM old_rows WHERE live_version > 0) THEN RETURN NULL; END IF;
	END IF;
	UPDATE cache_generation SET gen = gen + 1 WHERE id = 1;
	PERFORM pg_notify('gongkai_cache', current_schema());
	RETURN NULL;
END
$$;

CREATE TRIGGER cache_items_ins AFTER INSERT ON items REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION cache_bump_items();
CREATE TRIGGER cache_items_upd AFTER UPDATE ON items REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION cache_bump_items();
CREATE TRIGGER cache_items_del AFTER DELETE ON items REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION cache_bump_items();
