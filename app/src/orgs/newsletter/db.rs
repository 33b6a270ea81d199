//! SQL of the newsletter: subscribers (with their consent evidence), issues, and the deliveries
//! that make sending resumable.
use super::{IssueRow, Preferences};
use crate::ssr::{now, Db};
use sqlx::Row;

pub struct NewSubscriber {
    pub email: String,
    pub lang: String,
    pub topics: String,
    pub county: String,
    pub consent_version: String,
    pub consent_at: i64,
    pub consent_ip_hash: String,
    pub confirm_hash: String,
}

pub enum Upserted {
    NeedsConfirmation,
    /// The subscriber's public id.
    AlreadyConfirmed(String),
}

/// A new or returning subscriber gets a fresh confirmation; a confirmed one is left as it is.
pub async fn upsert_subscriber(db: &Db, s: &NewSubscriber) -> Result<Upserted, sqlx::Error> {
    let existing = sqlx::query("SELECT public_id, status FROM newsletter_subscribers WHERE email = $1")
        .bind(&s.email)
        .fetch_optional(&db.pool)
        .await?;
    if let Some(r) = &existing {
        if r.try_get::<String, _>("status")? == "confirmed" {
            return Ok(Upserted::AlreadyConfirmed(r.try_get("public_id")?));
        }
    }
    sqlx::query(
        "INSERT INTO newsletter_subscribers (email, lang, topics, county, status, consent_version, consent_at, consent_ip_hash, confirm_hash, created_at, public_id)
         VALUES ($1, $2, $3, $4, 'pending', $5, $6, $7, $8, $6, $9)
         ON CONFLICT (email) DO UPDATE SET lang = excluded.lang, topics = excluded.topics, county = excluded.county, status = 'pending',
           consent_version = excluded.consent_version, consent_at = excluded.consent_at, consent_ip_hash = excluded.consent_ip_hash,
           confirm_hash = excluded.confirm_hash, unsubscribed_at = NULL",
    )
    .bind(&s.email)
    .bind(&s.lang)
    .bind(&s.topics)
    .bind(&s.county)
    .bind(&s.consent_version)
    .bind(s.consent_at)
    .bind(&s.consent_ip_hash)
    .bind(&s.confirm_hash)
    .bind(crate::ssr::public_id())
    .execute(&db.pool)
    .await?;
    Ok(Upserted::NeedsConfirmation)
}

/// Confirms by the mailed link (once); returns (public id, email, language).
pub async fn confirm_subscriber(db: &Db, confirm_hash: &str) -> Result<Option<(String, String, String)>, sqlx::Error> {
    let r = sqlx::query(
        "UPDATE newsletter_subscribers SET status = 'confirmed', confirmed_at = $1, confirm_hash = NULL
         WHERE confirm_hash = $2 AND status = 'pending' AND created_at > $3 RETURNING public_id, email, lang",
    )
    .bind(now())
    .bind(confirm_hash)
    .bind(now() - 7 * 86_400)
    .fetch_optional(&db.pool)
    .await?;
    r.map(|r| Ok((r.try_get("public_id")?, r.try_get("email")?, r.try_get("lang")?))).transpose()
}

/// The subscriber behind a public id (from a signed link).
pub async fn subscriber_by_public(db: &Db, public_id: &str) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar::<_, i64>("SELECT id FROM newsletter_subscribers WHERE public_id = $1")
        .bind(public_id)
        .fetch_optional(&db.pool)
        .await
}

pub async fn preferences(db: &Db, id: i64) -> Result<Option<Preferences>, sqlx::Error> {
    let r = sqlx::query("SELECT email, topics, county, status FROM newsletter_subscribers WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await?;
    r.map(|r| {
        let topics: String = r.try_get("topics")?;
        Ok(Preferences {
            email: crate::types::mask_email(&r.try_get::<String, _>("email")?),
            topics: topics.split(',').filter(|s| !s.is_empty()).map(str::to_string).collect(),
            county: r.try_get("county")?,
            status: r.try_get("status")?,
        })
    })
    .transpose()
}

pub async fn update_preferences(db: &Db, id: i64, topics: &str, county: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE newsletter_subscribers SET topics = $1, county = $2 WHERE id = $3")
        .bind(topics)
        .bind(county)
        .bind(id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

pub async fn unsubscribe(db: &Db, id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE newsletter_subscribers SET status = 'unsubscribed', unsubscribed_at = $1 WHERE id = $2 AND status <> 'unsubscribed'")
        .bind(now())
        .bind(id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

pub async fn create_issue(
    db: &Db,
    subject: &str,
    body: &str,
    topic: &str,
    county: &str,
    by: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query(
        "INSERT INTO newsletter_issues (subject, body_md, topic, county, status, created_by, created_at) VALUES ($1, $2, $3, $4, 'draft', $5, $6) RETURNING id",
    )
    .bind(subject)
    .bind(body)
    .bind(topic)
    .bind(county)
    .bind(by)
    .bind(now())
    .fetch_one(&db.pool)
    .await?
    .try_get("id")
}

/// Subscribers an issue is for: confirmed, with the topic (if any) and in the county (if any).
const SEGMENT: &str =
    "s.status = 'confirmed' AND (i.topic = '' OR (',' || s.topics || ',') LIKE ('%,' || i.topic || ',%'))
    AND (i.county = '' OR s.county = i.county)";

pub async fn issues(db: &Db) -> Result<Vec<IssueRow>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT i.id, i.subject, i.body_md, i.topic, i.county, i.status, i.created_at,
            (SELECT COUNT(*) FROM newsletter_deliveries d WHERE d.issue_id = i.id) AS sent,
            (SELECT COUNT(*) FROM newsletter_subscribers s WHERE {SEGMENT}) AS audience,
            (SELECT COUNT(*) FROM newsletter_deliveries d JOIN newsletter_subscribers s ON s.id = d.subscriber_id
               WHERE d.issue_id = i.id AND s.status = 'unsubscribed') AS unsubscribed,
            (SELECT COUNT(*) FROM newsletter_deliveries d JOIN mail_outbox m ON m.id = d.mail_id
               WHERE d.issue_id = i.id AND m.status = 'bounced') AS bounced
         FROM newsletter_issues i ORDER BY i.id DESC LIMIT 50"
    ))
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(IssueRow {
                id: r.try_get("id")?,
                subject: r.try_get("subject")?,
                html: crate::ssr::markdown::render(&r.try_get::<String, _>("body_md")?),
                topic: r.try_get("topic")?,
                county: r.try_get("county")?,
                status: r.try_get("status")?,
                sent: r.try_get("sent")?,
                audience: r.try_get("audience")?,
                unsubscribed: r.try_get("unsubscribed")?,
                bounced: r.try_get("bounced")?,
            })
        })
        .collect()
}

pub async fn set_issue_status(db: &Db, id: i64, from: &str, to: &str) -> Result<bool, sqlx::Error> {
    let r = sqlx::query("UPDATE newsletter_issues SET status = $1 WHERE id = $2 AND status = $3")
        .bind(to)
        .bind(id)
        .bind(from)
        .execute(&db.pool)
        .await?;
    Ok(r.rows_affected() == 1)
}

pub struct Recipient {
    pub subscriber_id: i64,
    pub public_id: String,
    pub email: String,
    pub lang: String,
}

pub struct SendingIssue {
    pub id: i64,
    pub subject: String,
    pub body_md: String,
}

pub async fn sending_issues(db: &Db) -> Result<Vec<SendingIssue>, sqlx::Error> {
    let rows = sqlx::query("SELECT id, subject, body_md FROM newsletter_issues WHERE status = 'sending' ORDER BY id")
        .fetch_all(&db.pool)
        .await?;
    rows.iter()
        .map(|r| {
            Ok(SendingIssue { id: r.try_get("id")?, subject: r.try_get("subject")?, body_md: r.try_get("body_md")? })
        })
        .collect()
}

/// The next recipients not yet sent this issue (so a restart resumes where it stopped).
pub async fn next_recipients(db: &Db, issue_id: i64, batch: i64) -> Result<Vec<Recipient>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT s.id, s.public_id, s.email, s.lang FROM newsletter_subscribers s, newsletter_issues i
         WHERE i.id = $1 AND {SEGMENT}
           AND NOT EXISTS (SELECT 1 FROM newsletter_deliveries d WHERE d.issue_id = i.id AND d.subscriber_id = s.id)
         ORDER BY s.id LIMIT $2"
    ))
    .bind(issue_id)
    .bind(batch)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Recipient {
                subscriber_id: r.try_get("id")?,
                public_id: r.try_get("public_id")?,
                email: r.try_get("email")?,
                lang: r.try_get("lang")?,
            })
        })
        .collect()
}

/// What became of one newsletter mail.
#[derive(Debug, PartialEq, Eq)]
pub enum Delivery {
    Queued,
    /// Another run (or server) queued it already.
    AlreadyDone,
    /// The platform's budget for this minute is spent: nothing was written; try next minute.
    OverBudget,
}

/// The one counter of newsletter mails a minute, shared by every server.
const BUDGET_KEY: &str = "job:newsletter";

/// Records one delivery, counts it against the platform-wide budget of `per_minute` and queues
/// its mail, in one transaction: over budget, all of it rolls back (the count included).
pub async fn deliver_issue_mail(
    db: &Db,
    issue_id: i64,
    subscriber_id: i64,
    mail: &crate::ssr::mail::Mail,
    per_minute: i64,
) -> Result<Delivery, sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    let r = sqlx::query("INSERT INTO newsletter_deliveries (issue_id, subscriber_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
        .bind(issue_id)
        .bind(subscriber_id)
        .bind(now())
        .execute(&mut *tx)
        .await?;
    if r.rows_affected() == 0 {
        return Ok(Delivery::AlreadyDone);
    }
    let t = now();
    let count: i64 = sqlx::query(crate::ssr::rate_limit::COUNT_ONE)
        .bind(BUDGET_KEY)
        .bind(t - t.rem_euclid(60))
        .fetch_one(&mut *tx)
        .await?
        .try_get("count")?;
    if count > per_minute {
        tx.rollback().await?;
        return Ok(Delivery::OverBudget);
    }
    let mail_id: i64 = sqlx::query(
        "INSERT INTO mail_outbox (to_addr, subject, body_text, body_html, kind, unsubscribe_url, status, attempts, next_attempt_at, created_at)
         VALUES ($1, $2, $3, $4, 'newsletter', $5, 'queued', 0, $6, $6) RETURNING id",
    )
    .bind(&mail.to)
    .bind(&mail.subject)
    .bind(&mail.text)
    .bind(&mail.html)
    .bind(mail.unsubscribe_url.clone())
    .bind(now())
    .fetch_one(&mut *tx)
    .await?
    .try_get("id")?;
    sqlx::query("UPDATE newsletter_deliveries SET mail_id = $1 WHERE issue_id = $2 AND subscriber_id = $3")
        .bind(mail_id)
        .bind(issue_id)
        .bind(subscriber_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Delivery::Queued)
}

pub async fn finish_issue(db: &Db, id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE newsletter_issues SET status = 'sent', sent_at = $1 WHERE id = $2 AND status = 'sending'")
        .bind(now())
        .bind(id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

pub async fn issue_body(db: &Db, id: i64) -> Result<Option<String>, sqlx::Error> {
    let r =
        sqlx::query("SELECT body_md FROM newsletter_issues WHERE id = $1").bind(id).fetch_optional(&db.pool).await?;
    r.map(|r| r.try_get("body_md")).transpose()
}

/// A hard bounce: the address does not exist, so the newsletter stops writing to it.
pub async fn mark_bounced(db: &Db, email: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE newsletter_subscribers SET status = 'bounced' WHERE email = $1 AND status = 'confirmed'")
        .bind(email.trim().to_lowercase())
        .execute(&db.pool)
        .await?;
    Ok(())
}

// ---- personal data ("download my data" and deletion, registered in `orgs::personal`) ----

/// The subscription of the person's address (anyone may subscribe without an account, so it is
/// found by address), without its consent IP hash or confirmation hash.
pub async fn personal_subscription(
    db: &Db,
    p: &crate::ssr::personal::Person,
) -> Result<serde_json::Value, sqlx::Error> {
    use crate::ssr::personal::{one, Param};
    one(
        db,
        "SELECT email, lang, topics, county, status, consent_version, consent_at, created_at, confirmed_at, unsubscribed_at
         FROM newsletter_subscribers WHERE email = $1",
        Param::Text(&p.email),
    )
    .await
}

/// The subscription goes with its deliveries: with the address gone there is nobody to write to,
/// and consent evidence outlives no subscription.
pub async fn erase_subscription(
    c: &mut sqlx::AnyConnection,
    p: &crate::ssr::personal::Person,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "DELETE FROM newsletter_deliveries WHERE subscriber_id IN (SELECT id FROM newsletter_subscribers WHERE email = $1)",
    )
    .bind(&p.email)
    .execute(&mut *c)
    .await?;
    sqlx::query("DELETE FROM newsletter_subscribers WHERE email = $1").bind(&p.email).execute(&mut *c).await?;
    Ok(())
}

/// Issues the person wrote for an organisation (they stay: the organisation sent them).
pub async fn personal_issues(db: &Db, p: &crate::ssr::personal::Person) -> Result<serde_json::Value, sqlx::Error> {
    use crate::ssr::personal::{rows, Param};
    rows(
        db,
        "SELECT subject, status, created_at, sent_at FROM newsletter_issues WHERE created_by = $1 ORDER BY id",
        Param::Id(p.id),
    )
    .await
}
