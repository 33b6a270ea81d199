//! A person's data as a whole: everything stored about them (export), and its removal (anonymise).
use super::roles_of;
use crate::accounts::rules::anonymised_email;
use crate::ssr::{now, Db};
use sqlx::Row;

/// Everything stored about one person, for "download my data".
pub async fn export(db: &Db, user_id: i64) -> Result<serde_json::Value, sqlx::Error> {
    let u = sqlx::query("SELECT id, email, display_name, locality, county, lang, created_at, email_verified_at FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_one(&db.pool)
        .await?;
    let sessions =
        sqlx::query("SELECT created_at, expires_at, user_agent FROM sessions WHERE user_id = $1 ORDER BY created_at")
            .bind(user_id)
            .fetch_all(&db.pool)
            .await?;
    let email: String = u.try_get("email")?;
    let mails = sqlx::query("SELECT subject, status, created_at FROM mail_outbox WHERE to_addr = $1 ORDER BY id")
        .bind(&email)
        .fetch_all(&db.pool)
        .await?;
    let roles = roles_of(db, user_id).await?;
    let mut session_list = Vec::new();
    for s in &sessions {
        session_list.push(serde_json::json!({
            "created_at": crate::fmt::iso_utc(s.try_get("created_at")?),
            "expires_at": crate::fmt::iso_utc(s.try_get("expires_at")?),
            "user_agent": s.try_get::<String, _>("user_agent")?,
        }));
    }
    let mut mail_list = Vec::new();
    for m in &mails {
        mail_list.push(serde_json::json!({
            "subject": m.try_get::<String, _>("subject")?,
            "status": m.try_get::<String, _>("status")?,
            "created_at": crate::fmt::iso_utc(m.try_get("created_at")?),
        }));
    }
    let verified: Option<i64> = u.try_get("email_verified_at")?;
    let mut events = Vec::new();
    for r in sqlx::query(
        "SELECT e.title, r.status, r.created_at FROM event_registrations r JOIN events e ON e.id = r.event_id WHERE r.user_id = $1 ORDER BY r.id",
    )
    .bind(user_id)
    .fetch_all(&db.pool)
    .await?
    {
        events.push(serde_json::json!({
            "event": r.try_get::<String, _>("title")?,
            "status": r.try_get::<String, _>("status")?,
            "registered_at": crate::fmt::iso_utc(r.try_get("created_at")?),
        }));
    }
    let mut joins = Vec::new();
    for r in sqlx::query(
        "SELECT o.name, j.message, j.status FROM org_join_requests j JOIN organisations o ON o.id = j.org_id WHERE j.user_id = $1 ORDER BY j.id",
    )
    .bind(user_id)
    .fetch_all(&db.pool)
    .await?
    {
        joins.push(serde_json::json!({
            "organisation": r.try_get::<String, _>("name")?,
            "message": r.try_get::<String, _>("message")?,
            "status": r.try_get::<String, _>("status")?,
        }));
    }
    let newsletter = sqlx::query(
        "SELECT topics, county, status, consent_version, consent_at FROM newsletter_subscribers WHERE email = $1",
    )
    .bind(&email)
    .fetch_optional(&db.pool)
    .await?
    .map(|r| -> Result<serde_json::Value, sqlx::Error> {
        Ok(serde_json::json!({
            "topics": r.try_get::<String, _>("topics")?,
            "county": r.try_get::<String, _>("county")?,
            "status": r.try_get::<String, _>("status")?,
            "consent_version": r.try_get::<String, _>("consent_version")?,
            "consent_at": crate::fmt::iso_utc(r.try_get("consent_at")?),
        }))
    })
    .transpose()?;
    Ok(serde_json::json!({
        "exported_at": crate::fmt::iso_utc(now()),
        "account": {
            "id": u.try_get::<i64, _>("id")?,
            "email": email,
            "display_name": u.try_get::<String, _>("display_name")?,
            "locality": u.try_get::<String, _>("locality")?,
            "county": u.try_get::<String, _>("county")?,
            "language": u.try_get::<String, _>("lang")?,
            "created_at": crate::fmt::iso_utc(u.try_get("created_at")?),
            "email_verified_at": verified.map(crate::fmt::iso_utc),
        },
        "roles": roles.iter().map(|r| serde_json::json!({"role": r.kind.code(), "scope": r.scope_name})).collect::<Vec<_>>(),
        "sessions": session_list,
        "emails_sent_to_me": mail_list,
        "event_registrations": events,
        "organisation_join_requests": joins,
        "newsletter": newsletter,
    }))
}

/// Removes personal data; rows written by the person stay, attributed to "deleted account".
pub async fn anonymise(db: &Db, user_id: i64) -> Result<(), sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    let email: String = sqlx::query("SELECT email FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_one(&mut *tx)
        .await?
        .try_get("email")?;
    sqlx::query(
        "UPDATE users SET email = $1, display_name = '', locality = '', county = '', password_hash = '', deleted_at = $2 WHERE id = $3",
    )
    .bind(anonymised_email(user_id))
    .bind(now())
    .bind(user_id)
    .execute(&mut *tx)
    .await?;
    for sql in [
        "DELETE FROM sessions WHERE user_id = $1",
        "DELETE FROM auth_tokens WHERE user_id = $1",
        "DELETE FROM roles WHERE user_id = $1",
    ] {
        sqlx::query(sql).bind(user_id).execute(&mut *tx).await?;
    }
    // Mail not yet sent to the address is dropped; mail already delivered keeps its subject for
    // the record, not the address.
    sqlx::query("DELETE FROM mail_outbox WHERE to_addr = $1 AND status = 'queued'")
        .bind(&email)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "UPDATE mail_outbox SET to_addr = $1, body_text = '', body_html = '' WHERE to_addr = $2 AND status <> 'queued'",
    )
    .bind(anonymised_email(user_id))
    .bind(&email)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}
