-- Organisations catalogue and authorities directory: profile fields, domains, full-text search (FTS5).
ALTER TABLE organisations ADD COLUMN registry_number TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN website TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN social_url TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN contact_email TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN founding_year INTEGER;
ALTER TABLE organisations ADD COLUMN areas TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN verified_at INTEGER;
ALTER TABLE organisations ADD COLUMN created_by INTEGER;
ALTER TABLE organisations ADD COLUMN search_text TEXT NOT NULL DEFAULT '';

CREATE TABLE organisation_domains (
    org_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    domain TEXT NOT NULL,
    PRIMARY KEY (org_id, domain)
);
CREATE INDEX organisations_county ON organisations(county);

ALTER TABLE authorities ADD COLUMN officer_name TEXT NOT NULL DEFAULT '';
ALTER TABLE authorities ADD COLUMN officer_email TEXT NOT NULL DEFAULT '';
ALTER TABLE authorities ADD COLUMN officer_phone TEXT NOT NULL DEFAULT '';
ALTER TABLE authorities ADD COLUMN search_text TEXT NOT NULL DEFAULT '';

-- The indexed text is folded in Rust (diacritics, cedilla forms, case), so both databases search alike.
CREATE VIRTUAL TABLE organisations_fts USING fts5(search_text, content='organisations', content_rowid='id');
CREATE TRIGGER organisations_fts_insert AFTER INSERT ON organisations BEGIN
    INSERT INTO organisations_fts(rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER organisations_fts_delete AFTER DELETE ON organisations BEGIN
    INSERT INTO organisations_fts(organisations_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;
CREATE TRIGGER organisations_fts_update AFTER UPDATE OF search_text ON organisations BEGIN
    INSERT INTO organisations_fts(organisations_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    INSERT INTO organisations_fts(rowid, search_text) VALUES (new.id, new.search_text);
END;
