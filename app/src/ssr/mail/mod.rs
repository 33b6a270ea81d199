//! Mail is queued in the database (the outbox) and delivered by the server's worker, so an SMTP
//! outage loses nothing and the whole flow works offline.
pub mod kinds;
pub mod prefs;

use super::{now, Db};
use crate::i18n::{Lang, K};

pub struct Mail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub kind: &'static str,
    /// Added as List-Unsubscribe (RFC 8058) when set.
    pub unsubscribe_url: Option<String>,
}

use crate::text::escape_html;

/// Builds a plain-text + HTML mail from a subject key, paragraph keys and one call-to-action link.
pub fn compose(
    lang: Lang,
    to: &str,
    kind: &'static str,
    subject: K,
    paragraphs: &[String],
    link: Option<(K, &str)>,
) -> Mail {
    let greeting = lang.t(K::mail_greeting);
    let sign = lang.t(K::mail_signature);
    let mut text = format!("{greeting}\n\n");
    let mut html = format!(
        "<!DOCTYPE html><html lang=\"{}\"><body style=\"font-family:sans-serif;line-height:1.5\"><p>{}</p>",
        lang.code(),
        escape_html(greeting)
    );
    for p in paragraphs {
        text.push_str(p);
        text.push_str("\n\n");
        html.push_str(&format!("<p>{}</p>", escape_html(p)));
    }
    if let Some((label, url)) = link {
        text.push_str(&format!("{}: {url}\n\n", lang.t(label)));
        html.push_str(&format!(
            "<p><a href=\"{}\">{}</a></p><p>{}</p>",
            escape_html(url),
            escape_html(lang.t(label)),
            escape_html(url)
        ));
    }
    text.push_str(sign);
    html.push_str(&format!("<p>{}</p></body></html>", escape_html(sign)));
    Mail { to: to.to_string(), subject: lang.t(subject).to_string(), text, html, kind, unsubscribe_url: None }
}

/// A file sent with a mail (e.g. a PDF receipt); the SMTP transport makes the mail multipart/mixed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attachment {
    pub filename: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// Whether the recipient wants this kind of mail (essential kinds always go). Jobs read it before
/// their transaction, then queue with [`insert_in`] after claiming the unit of work.
pub async fn wanted(db: &Db, mail: &Mail) -> Result<bool, sqlx::Error> {
    if kinds::kind(mail.kind).is_some_and(|k| k.optional) {
        let saved = prefs::notification_prefs_by_email(db, &mail.to).await?;
        if !kinds::allowed(mail.kind, &saved) {
            tracing::debug!(kind = mail.kind, "mail not queued: switched off by its recipient");
            return Ok(false);
        }
    }
    Ok(true)
}

/// The outbox row of a mail, returning its id.
fn insert_mail(mail: &Mail) -> sqlx::query::QueryScalar<'_, sqlx::Any, i64, sqlx::any::AnyArguments<'_>> {
    sqlx::query_scalar::<_, i64>(
        "INSERT INTO mail_outbox (to_addr, subject, body_text, body_html, kind, unsubscribe_url, status, attempts, next_attempt_at, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'queued', 0, $7, $7) RETURNING id",
    )
    .bind(&mail.to)
    .bind(&mail.subject)
    .bind(&mail.text)
    .bind(&mail.html)
    .bind(mail.kind)
    .bind(mail.unsubscribe_url.clone())
    .bind(now())
}

/// Queues an essential mail (one the notification centre cannot switch off, e.g. a receipt) inside
/// the caller's transaction, so it is stored together with what it tells about.
pub async fn enqueue_essential(conn: &mut sqlx::AnyConnection, mail: &Mail) -> Result<(), sqlx::Error> {
    debug_assert!(!kinds::kind(mail.kind).is_some_and(|k| k.optional), "{} is optional", mail.kind);
    insert_mail(mail).fetch_one(conn).await?;
    Ok(())
}

/// Queues a mail inside the caller's transaction, whatever its kind: the caller has asked
/// [`wanted`] already. Jobs use it so the claim of a unit and its mail commit together.
pub async fn insert_in(conn: &mut sqlx::AnyConnection, mail: &Mail) -> Result<i64, sqlx::Error> {
    insert_mail(mail).fetch_one(conn).await
}

/// Mails waiting to be sent (for `/metrics`).
pub async fn queued(db: &Db) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM mail_outbox WHERE status = 'queued'").fetch_one(&db.pool).await
}

/// Queues a mail, unless its kind is optional and the person switched it off in the notification
/// centre; returns whether it was queued.
pub async fn enqueue(db: &Db, mail: &Mail) -> Result<bool, sqlx::Error> {
    enqueue_with_attachments(db, mail, &[]).await
}

/// [`enqueue`] with files attached; the mail and its files are written in one transaction.
pub async fn enqueue_with_attachments(db: &Db, mail: &Mail, files: &[Attachment]) -> Result<bool, sqlx::Error> {
    if !wanted(db, mail).await? {
        return Ok(false);
    }
    let insert = insert_mail(mail);
    if files.is_empty() {
        insert.fetch_one(&db.pool).await?;
        return Ok(true);
    }
    let mut tx = db.pool.begin().await?;
    let id = insert.fetch_one(&mut *tx).await?;
    for f in files {
        sqlx::query("INSERT INTO mail_attachments (mail_id, filename, content_type, content) VALUES ($1, $2, $3, $4)")
            .bind(id)
            .bind(&f.filename)
            .bind(&f.content_type)
            .bind(f.bytes.clone())
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(true)
}
