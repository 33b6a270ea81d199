-- Files attached to a queued mail (a donation's PDF receipt). Kept only until the mail is
-- delivered or given up: the outbox is a queue, not an archive.
CREATE TABLE mail_attachments (
    id BIGSERIAL PRIMARY KEY,
    mail_id BIGINT NOT NULL REFERENCES mail_outbox(id) ON DELETE CASCADE,
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    content BYTEA NOT NULL
);
CREATE INDEX mail_attachments_mail ON mail_attachments(mail_id);
