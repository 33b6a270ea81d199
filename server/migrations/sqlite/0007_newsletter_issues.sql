-- Newsletter issues written by admins and sent to a segment; deliveries make sending resumable.
CREATE TABLE newsletter_issues (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    subject TEXT NOT NULL,
    body_md TEXT NOT NULL,
    topic TEXT NOT NULL DEFAULT '',
    county TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'draft',
    created_by INTEGER,
    created_at INTEGER NOT NULL,
    sent_at INTEGER
);

CREATE TABLE newsletter_deliveries (
    issue_id INTEGER NOT NULL REFERENCES newsletter_issues(id) ON DELETE CASCADE,
    subscriber_id INTEGER NOT NULL REFERENCES newsletter_subscribers(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (issue_id, subscriber_id)
);
