-- Feedback sent through the accessibility statement's form (OUG 112/2018): what the person wrote,
-- and their name and e-mail only if they gave them (empty otherwise). No IP address is kept.
CREATE TABLE accessibility_feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    page TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL,
    lang TEXT NOT NULL DEFAULT 'ro',
    created_at INTEGER NOT NULL
);
CREATE INDEX accessibility_feedback_created ON accessibility_feedback(created_at);
