-- Newsletter with double opt-in; consent evidence kept (text version, time, keyed hash of the IP).
CREATE TABLE newsletter_subscribers (
    id BIGSERIAL PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    lang TEXT NOT NULL DEFAULT 'ro',
    topics TEXT NOT NULL DEFAULT '',
    county TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'pending',
    consent_version TEXT NOT NULL,
    consent_at BIGINT NOT NULL,
    consent_ip_hash TEXT NOT NULL,
    confirm_hash TEXT,
    created_at BIGINT NOT NULL,
    confirmed_at BIGINT,
    unsubscribed_at BIGINT
);
