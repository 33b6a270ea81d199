-- A user's e-mail settings, one row per kind of mail they changed from its default.
CREATE TABLE notification_prefs (
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    enabled BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, kind)
);

-- People who work at an authority ask for the official role; a platform admin approves or declines.
CREATE TABLE official_requests (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    authority_id BIGINT NOT NULL REFERENCES authorities(id) ON DELETE CASCADE,
    position TEXT NOT NULL,
    work_email TEXT NOT NULL,
    message TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'pending',
    decided_by BIGINT,
    decided_at BIGINT,
    decision_note TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX official_requests_open ON official_requests(user_id, authority_id) WHERE status = 'pending';

-- Which outbox row carried an issue to a subscriber, so bounces are counted per issue.
ALTER TABLE newsletter_deliveries ADD COLUMN mail_id BIGINT;

-- Logo with its alt text (the file lives in the media store).
ALTER TABLE organisations ADD COLUMN logo_key TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN logo_alt TEXT NOT NULL DEFAULT '';
