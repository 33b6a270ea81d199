-- Newsletter with double opt-in; consent evidence kept (text version, time, keyed hash of the IP).
CREATE TABLE newsletter_subscribers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL UNIQUE,
    lang TEXT NOT NULL DEFAULT 'ro',
    topics TEXT NOT NULL DEFAULT '',
    county TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'pending',
    consent_version TEXT NOT NULL,
    consent_at INTEGER NOT NULL,
    consent_ip_hash TEXT NOT NULL,
    confirm_hash TEXT,
    created_at INTEGER NOT NULL,
    confirmed_at INTEGER,
    unsubscribed_at INTEGER
);
