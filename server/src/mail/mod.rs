//! Delivers the outbox: over SMTP when `SMTP_URL` is set, otherwise to the log (the "test mode"
//! transport: mail stays readable at /admin/outbox). Failed sends are retried with backoff.
use app::ssr::{now, Db};
use lettre::message::{header, Attachment, Body, Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sqlx::Row;
use std::time::Duration;

pub struct OutboxRow {
    pub id: i64,
    pub to_addr: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    pub unsubscribe_url: Option<String>,
    pub attempts: i64,
    /// (file name, content type, bytes), e.g. a PDF receipt.
    pub attachments: Vec<(String, String, Vec<u8>)>,
}

pub enum Transport {
    Smtp {
        smtp: Box<AsyncSmtpTransport<Tokio1Executor>>,
        from: Mailbox,
    },
    /// No SMTP configured: the mail is logged and kept in the outbox, status "logged".
    LogOnly,
}

impl Transport {
    pub fn from_config(smtp_url: Option<&str>, from: &str) -> Result<Transport, String> {
        match smtp_url {
            None => Ok(Transport::LogOnly),
            Some(url) => {
                let smtp =
                    Box::new(AsyncSmtpTransport::<Tokio1Executor>::from_url(url).map_err(|e| e.to_string())?.build());
                let from = from.parse::<Mailbox>().map_err(|e| e.to_string())?;
                Ok(Transport::Smtp { smtp, from })
            }
        }
    }

    async fn send(&self, m: &OutboxRow) -> Result<&'static str, SendError> {
        match self {
            Transport::LogOnly => {
                // Never the body: it may hold a live link (a password reset, a gift link).
                tracing::debug!(id = m.id, "mail kept in the outbox (no SMTP configured)");
                Ok("logged")
            }
            Transport::Smtp { smtp, from } => {
                // An address that cannot even be parsed will never be delivered: a hard bounce.
                let to = m.to_addr.parse::<Mailbox>().map_err(|e| SendError::Permanent(e.to_string()))?;
                let mut builder = Message::builder().from(from.clone()).to(to).subject(m.subject.clone());
                if let Some(url) = &m.unsubscribe_url {
                    // RFC 8058 one-click unsubscribe.
                    builder = builder
                        .header(ListUnsubscribe(format!("<{url}>")))
                        .header(ListUnsubscribePost("List-Unsubscribe=One-Click".into()));
                }
                let body = MultiPart::alternative_plain_html(m.body_text.clone(), m.body_html.clone());
                let body = if m.attachments.is_empty() {
                    body
                } else {
                    // multipart/mixed: the readable alternative first, then each file.
                    let mut mixed = MultiPart::mixed().multipart(body);
                    for (name, content_type, bytes) in &m.attachments {
                        let ct = header::ContentType::parse(content_type)
                            .unwrap_or_else(|_| header::ContentType::parse("application/octet-stream").expect("valid"));
                        // Always base64: files are binary, whatever their first bytes look like.
                        let body = Body::new_with_encoding(bytes.clone(), header::ContentTransferEncoding::Base64)
                            .map_err(|_| SendError::Permanent("attachment encoding".into()))?;
                        mixed = mixed.singlepart(Attachment::new(name.clone()).body(body, ct));
                    }
                    mixed
                };
                let msg = builder.multipart(body).map_err(|e| SendError::Permanent(e.to_string()))?;
                smtp.send(msg).await.map_err(|e| {
                    // 5xx replies ("no such user") are final; the rest (timeouts, 4xx) are worth retrying.
                    if e.is_permanent() {
                        SendError::Permanent(e.to_string())
                    } else {
                        SendError::Transient(e.to_string())
                    }
                })?;
                Ok("sent")
            }
        }
    }
}

#[derive(Debug)]
pub enum SendError {
    Permanent(String),
    Transient(String),
}

macro_rules! text_header {
    ($t:ident, $name:literal) => {
        #[derive(Clone)]
        struct $t(String);
        impl header::Header for $t {
            fn name() -> header::HeaderName {
                header::HeaderName::new_from_ascii_str($name)
            }
            fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
                Ok($t(s.to_string()))
            }
            fn display(&self) -> header::HeaderValue {
                header::HeaderValue::new(Self::name(), self.0.clone())
            }
        }
    };
}
text_header!(ListUnsubscribe, "List-Unsubscribe");
text_header!(ListUnsubscribePost, "List-Unsubscribe-Post");

async fn attachments(db: &Db, mail_id: i64) -> Result<Vec<(String, String, Vec<u8>)>, sqlx::Error> {
    sqlx::query("SELECT filename, content_type, content FROM mail_attachments WHERE mail_id = $1 ORDER BY id")
        .bind(mail_id)
        .fetch_all(&db.pool)
        .await?
        .into_iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)))
        .collect()
}

/// The first wait before a retry, unless `MAIL_RETRY_SECS` says otherwise.
pub const RETRY_SECS: i64 = 30;

/// Seconds to wait before the next try: doubles from `base` (`MAIL_RETRY_SECS`), at most an hour.
pub fn backoff(attempts: i64, base: i64) -> i64 {
    (base.clamp(1, 3600) << attempts.clamp(0, 7)).min(3600)
}

pub const MAX_ATTEMPTS: i64 = 12;

/// Mails taken per look at the outbox; a full batch is followed by the next at once.
const BATCH: usize = 50;

/// Mails of a batch sent at the same time (each over its own connection).
const SEND_AT_ONCE: usize = 8;

/// Seconds a server owns a mail it is sending: longer than the slowest SMTP exchange, so another
/// server never takes a row that is still being sent. A server that dies mid-send leaves the row
/// to be retaken after it (delivery is at least once).
pub const LEASE_SECS: i64 = 600;

/// Sends what is due; returns how many were handled. Safe with several servers on one database:
/// each row is claimed with a lease before sending.
pub async fn deliver_due(db: &Db, transport: &Transport) -> Result<usize, sqlx::Error> {
    deliver_due_with(db, transport, RETRY_SECS).await
}

/// [`deliver_due`] with the retry backoff starting from `retry_secs`.
pub async fn deliver_due_with(db: &Db, transport: &Transport, retry_secs: i64) -> Result<usize, sqlx::Error> {
    let now = now();
    let rows = sqlx::query(
        "SELECT id, to_addr, subject, body_text, body_html, unsubscribe_url, attempts FROM mail_outbox
         WHERE status = 'queued' AND next_attempt_at <= $1 AND (locked_until IS NULL OR locked_until < $1)
         ORDER BY id LIMIT $2",
    )
    .bind(now)
    .bind(BATCH as i64)
    .fetch_all(&db.pool)
    .await?;
    let rows = rows
        .into_iter()
        .map(|r| {
            Ok(OutboxRow {
                id: r.try_get("id")?,
                to_addr: r.try_get("to_addr")?,
                subject: r.try_get("subject")?,
                body_text: r.try_get("body_text")?,
                body_html: r.try_get("body_html")?,
                unsubscribe_url: r.try_get("unsubscribe_url")?,
                attempts: r.try_get("attempts")?,
                attachments: vec![],
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    // A few at a time: each send waits on the SMTP server's answers far more than it works.
    use futures_util::StreamExt;
    let done: Vec<Result<bool, sqlx::Error>> = futures_util::stream::iter(rows)
        .map(|m| deliver_one(db, transport, m, retry_secs))
        .buffer_unordered(SEND_AT_ONCE)
        .collect()
        .await;
    let mut handled = 0;
    for d in done {
        handled += usize::from(d?);
    }
    Ok(handled)
}

/// Claims one mail (a lease) and sends it; false when another server had it first.
async fn deliver_one(db: &Db, transport: &Transport, mut m: OutboxRow, retry_secs: i64) -> Result<bool, sqlx::Error> {
    // The time now, not the batch's: earlier sends may have taken minutes.
    let t = app::ssr::now();
    let lease = t + LEASE_SECS;
    let claimed = sqlx::query(
            "UPDATE mail_outbox SET locked_until = $1 WHERE id = $2 AND status = 'queued' AND (locked_until IS NULL OR locked_until < $3)",
        )
        .bind(lease)
        .bind(m.id)
        .bind(t)
        .execute(&db.pool)
        .await?;
    if claimed.rows_affected() != 1 {
        return Ok(false);
    }
    m.attachments = attachments(db, m.id).await?;
    let result = transport.send(&m).await;
    if !matches!(result, Err(SendError::Transient(_))) || m.attempts + 1 >= MAX_ATTEMPTS {
        // Final (sent, logged, bounced or given up): the files are not needed any more.
        sqlx::query("DELETE FROM mail_attachments WHERE mail_id = $1").bind(m.id).execute(&db.pool).await?;
    }
    match result {
        // Delivered: the text (with whatever live links it carried) is the recipient's alone now.
        Ok("sent") => {
            sqlx::query(
                "UPDATE mail_outbox SET status = 'sent', sent_at = $1, attempts = attempts + 1, locked_until = NULL,
                       body_text = '', body_html = '' WHERE id = $2 AND locked_until = $3",
            )
            .bind(app::ssr::now())
            .bind(m.id)
            .bind(lease)
            .execute(&db.pool)
            .await?;
        }
        Ok(status) => {
            sqlx::query("UPDATE mail_outbox SET status = $1, sent_at = $2, attempts = attempts + 1, locked_until = NULL WHERE id = $3 AND locked_until = $4")
                    .bind(status)
                    .bind(app::ssr::now())
                    .bind(m.id)
                    .bind(lease)
                    .execute(&db.pool)
                    .await?;
        }
        Err(SendError::Permanent(e)) => {
            tracing::warn!(id = m.id, error = %e, "mail bounced");
            sqlx::query(
                    "UPDATE mail_outbox SET status = 'bounced', attempts = attempts + 1, last_error = $1, locked_until = NULL WHERE id = $2 AND locked_until = $3",
                )
                .bind(e.chars().take(500).collect::<String>())
                .bind(m.id)
                .bind(lease)
                .execute(&db.pool)
                .await?;
            app::orgs::newsletter::db::mark_bounced(db, &m.to_addr).await?;
        }
        Err(SendError::Transient(e)) => {
            let attempts = m.attempts + 1;
            let status = if attempts >= MAX_ATTEMPTS { "failed" } else { "queued" };
            tracing::warn!(id = m.id, attempts, error = %e, "mail delivery failed");
            sqlx::query(
                    "UPDATE mail_outbox SET status = $1, attempts = $2, next_attempt_at = $3, last_error = $4, locked_until = NULL WHERE id = $5 AND locked_until = $6",
                )
                .bind(status)
                .bind(attempts)
                .bind(app::ssr::now() + backoff(attempts, retry_secs))
                .bind(e.chars().take(500).collect::<String>())
                .bind(m.id)
                .bind(lease)
                .execute(&db.pool)
                .await?;
        }
    }
    Ok(true)
}

/// How long the outbox keeps a mail that is done with (sent, kept, bounced or given up).
pub const KEEP_SECS: i64 = 7 * 86_400;

/// Forgets finished mail older than [`KEEP_SECS`] (the retention job). A bounce keeps its row,
/// without its text, for the newsletter's bounce count.
pub async fn purge(db: &Db) -> Result<u64, sqlx::Error> {
    let before = now() - KEEP_SECS;
    let r = sqlx::query("DELETE FROM mail_outbox WHERE status NOT IN ('queued', 'bounced') AND created_at < $1")
        .bind(before)
        .execute(&db.pool)
        .await?;
    sqlx::query("UPDATE mail_outbox SET body_text = '', body_html = '' WHERE status = 'bounced' AND created_at < $1")
        .bind(before)
        .execute(&db.pool)
        .await?;
    Ok(r.rows_affected())
}

pub async fn worker(db: Db, transport: Transport, retry_secs: i64, mut stop: tokio::sync::watch::Receiver<bool>) {
    loop {
        let result = deliver_due_with(&db, &transport, retry_secs).await;
        crate::ops::job_ran("mail_outbox", result.is_ok());
        let full = matches!(result, Ok(n) if n >= BATCH);
        if let Err(e) = result {
            tracing::error!(error = %e, "mail worker");
        }
        if full && !*stop.borrow() {
            continue;
        }
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(1)) => {}
            _ = stop.changed() => break,
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn backoff_grows_and_caps() {
        use super::{backoff, RETRY_SECS};
        assert_eq!(backoff(0, RETRY_SECS), 30);
        assert_eq!(backoff(1, RETRY_SECS), 60);
        assert_eq!(backoff(20, RETRY_SECS), 3600);
        // MAIL_RETRY_SECS=1 (the cluster tests): 2 s, 4 s … after the first failures.
        assert_eq!(backoff(1, 1), 2);
        assert_eq!(backoff(3, 1), 8);
        assert_eq!(backoff(20, 1), 128);
        assert_eq!(backoff(1, 0), 2, "never below a second");
    }
}
