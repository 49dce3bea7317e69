-- A generation number for the public page cache, bumped by triggers
-- whenever something the public pages show changes: orgs, columns, and
-- items that are or were public. The trigger also notifies the channel
-- gongkai_cache, so every node listening drops its cached pages within a
-- moment instead of at its next poll.

CREATE TABLE cache_generation (
	id  INTEGER PRIMARY KEY CHECK (id = 1),
	gen BIGINT  NOT NULL
);
INSERT INTO cache_generation (id, gen) VALUES (1, 1);

CREATE FUNCTION cache_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE cache_generation SET gen = gen + 1 WHERE id = 1;
	PERFORM pg_notify('gongkai_cache', current_schema());
	RETURN NULL;
END
$$;

CREATE TRIGGER cache_orgs AFTER INSERT OR UPDATE OR DELETE ON orgs FOR EACH STATEMENT EXECUTE FUNCTION cache_bump();
CREATE TRIGGER cache_columns AFTER INSERT OR UPDATE OR DELETE ON site_columns FOR EACH STATEMENT EXECUTE FUNCTION cache_bump();
CREATE TRIGGER cache_items_ins AFTER INSERT ON items FOR EACH ROW WHEN (NEW.live_version > 0) EXECUTE FUNCTION cache_bump();
CREATE TRIGGER cache_items_upd AFTER UPDATE ON items FOR EACH ROW WHEN (NEW.live_version > 0 OR OLD.live_version > 0) EXECUTE FUNCTION cache_bump();
CREATE TRIGGER cache_items_del AFTER DELETE ON items FOR EACH ROW WHEN (OLD.live_version > 0) EXECUTE FUNCTION cache_bump();
