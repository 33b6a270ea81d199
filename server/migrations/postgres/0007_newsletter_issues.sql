-- Newsletter issues written by admins and sent to a segment; deliveries make sending resumable.
CREATE TABLE newsletter_issues (
    id BIGSERIAL PRIMARY KEY,
    subject TEXT NOT NULL,
    body_md TEXT NOT NULL,
    topic TEXT NOT NULL DEFAULT '',
    county TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'draft',
    created_by BIGINT,
    created_at BIGINT NOT NULL,
    sent_at BIGINT
);

CREATE TABLE newsletter_deliveries (
    issue_id BIGINT NOT NULL REFERENCES newsletter_issues(id) ON DELETE CASCADE,
    subscriber_id BIGINT NOT NULL REFERENCES newsletter_subscribers(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (issue_id, subscriber_id)
);
