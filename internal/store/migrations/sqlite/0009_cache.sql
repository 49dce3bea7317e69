-- A generation number for the public page cache, bumped by triggers
-- whenever something the public pages show changes: orgs, columns, and
-- items that are or were public. Nodes compare it with the generation
-- their cached pages were rendered at.

CREATE TABLE cache_generation (
	id  INTEGER PRIMARY KEY CHECK (id = 1),
	gen INTEGER NOT NULL
);
INSERT INTO cache_generation (id, gen) VALUES (1, 1);

CREATE TRIGGER cache_orgs_ins AFTER INSERT ON orgs BEGIN UPDATE cache_generation SET gen = gen + 1 WHERE id = 1; END;
CREATE TRIGGER cache_orgs_upd AFTER UPDATE ON orgs BEGIN UPDATE cache_generation SET gen = gen + 1 WHERE id = 1; END;
CREATE TRIGGER cache_orgs_del AFTER DELETE ON orgs BEGIN UPDATE cache_generation SET gen = gen + 1 WHERE id = 1; END;
CREATE TRIGGER cache_columns_ins AFTER INSERT ON site_columns BEGIN UPDATE cache_generation SET gen = gen + 1 WHERE id = 1; END;
CREATE TRIGGER cache_columns_upd AFTER UPDATE ON site_columns BEGIN UPDATE cache_generation SET gen = gen + 1 WHERE id = 1; END;
CREATE TRIGGER cache_columns_del AFTER DELETE ON site_columns BEGIN UPDATE cache_generation SET gen = gen + 1 WHERE id = 1; END;
CREATE TRIGGER cache_items_ins AFTER INSERT ON items WHEN NEW.live_version > 0 BEGIN UPDATE cache_generation SET gen = gen + 1 WHERE id = 1; END;
CREATE TRIGGER cache_items_upd AFTER UPDATE ON items WHEN NEW.live_version > 0 OR OLD.live_version > 0 BEGIN UPDATE cache_generation SET gen = gen + 1 WHERE id = 1; END;
CREATE TRIGGER cache_items_del AFTER DELETE ON items WHEN OLD.live_version > 0 BEGIN UPDATE cache_generation SET gen = gen + 1 WHERE id = 1; END;
