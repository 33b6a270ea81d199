-- Go-live security: random public ids in links, session idle time and listing, proven work
-- addresses of officials, rotating gift links, explicit locality owners on the map.
ALTER TABLE newsletter_subscribers ADD COLUMN public_id TEXT;
UPDATE newsletter_subscribers SET public_id = lower(hex(randomblob(16)));
CREATE UNIQUE INDEX newsletter_subscribers_public ON newsletter_subscribers(public_id);

ALTER TABLE consultation_follows ADD COLUMN public_id TEXT;
UPDATE consultation_follows SET public_id = lower(hex(randomblob(16)));
CREATE UNIQUE INDEX consultation_follows_public ON consultation_follows(public_id);

ALTER TABLE consultation_subscriptions ADD COLUMN public_id TEXT;
UPDATE consultation_subscriptions SET public_id = lower(hex(randomblob(16)));
CREATE UNIQUE INDEX consultation_subscriptions_public ON consultation_subscriptions(public_id);

ALTER TABLE sessions ADD COLUMN last_seen_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN public_id TEXT;
UPDATE sessions SET last_seen_at = created_at, public_id = lower(hex(randomblob(16)));
CREATE UNIQUE INDEX sessions_public ON sessions(public_id);

ALTER TABLE official_requests ADD COLUMN work_token_hash TEXT;
ALTER TABLE official_requests ADD COLUMN work_verified_at INTEGER;

ALTER TABLE donation_gifts ADD COLUMN link_version INTEGER NOT NULL DEFAULT 0;

CREATE TABLE map_locality_owners (
    locality_key TEXT NOT NULL PRIMARY KEY,
    locality TEXT NOT NULL,
    org_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    assigned_by INTEGER,
    assigned_at INTEGER NOT NULL
);
