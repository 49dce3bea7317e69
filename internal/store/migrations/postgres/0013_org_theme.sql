-- An org's site look: '' follows its parent's, otherwise one of the
-- colour schemes the public stylesheet defines (internal/org Themes).
ALTER TABLE orgs ADD COLUMN theme TEXT NOT NULL DEFAULT '';
