-- Organisations catalogue and authorities directory: profile fields, domains, full-text search.
ALTER TABLE organisations ADD COLUMN registry_number TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN website TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN social_url TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN contact_email TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN founding_year BIGINT;
ALTER TABLE organisations ADD COLUMN areas TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN verified_at BIGINT;
ALTER TABLE organisations ADD COLUMN created_by BIGINT;
ALTER TABLE organisations ADD COLUMN search_text TEXT NOT NULL DEFAULT '';

CREATE TABLE organisation_domains (
    org_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    domain TEXT NOT NULL,
    PRIMARY KEY (org_id, domain)
);
CREATE INDEX organisations_county ON organisations(county);

ALTER TABLE authorities ADD COLUMN officer_name TEXT NOT NULL DEFAULT '';
ALTER TABLE authorities ADD COLUMN officer_email TEXT NOT NULL DEFAULT '';
ALTER TABLE authorities ADD COLUMN officer_phone TEXT NOT NULL DEFAULT '';
ALTER TABLE authorities ADD COLUMN search_text TEXT NOT NULL DEFAULT '';

-- The indexed text is folded in Rust (diacritics, cedilla forms, case), so both databases search alike.
CREATE INDEX organisations_search ON organisations USING GIN (to_tsvector('simple', search_text));
