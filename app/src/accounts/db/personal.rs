//! The account's own personal data, as registered in `accounts::personal`: what "download my data"
//! reads (rows by column name, no secrets: no password or token hashes) and what deletion does.
use crate::accounts::rules::anonymised_email;
use crate::ssr::personal::{one, rows, Param, Person};
use crate::ssr::{now, Db};
use serde_json::Value;
use sqlx::AnyConnection;

pub async fn export_account(db: &Db, p: &Person) -> Result<Value, sqlx::Error> {
    one(
        db,
        "SELECT id, email, display_name, locality, county, lang AS language, created_at, email_verified_at
         FROM users WHERE id = $1",
        Param::Id(p.id),
    )
    .await
}

/// The account row stays (contributions point at it) with nothing that names or reaches anyone:
/// no address, no name (an empty name is how every byline knows the account was deleted, see
/// `rules::Signer`), no place, no password.
pub async fn erase_account(c: &mut AnyConnection, p: &Person) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE users SET email = $1, display_name = '', locality = '', county = '', password_hash = '', email_verified_at = NULL,
         deleted_at = $2 WHERE id = $3",
    )
    .bind(anonymised_email(p.id))
    .bind(now())
    .bind(p.id)
    .execute(&mut *c)
    .await?;
    Ok(())
}

pub async fn export_roles(db: &Db, p: &Person) -> Result<Value, sqlx::Error> {
    let roles = super::roles_of(db, p.id).await?;
    Ok(roles.iter().map(|r| serde_json::json!({"role": r.kind.code(), "scope": r.scope_name})).collect())
}

pub async fn export_sessions(db: &Db, p: &Person) -> Result<Value, sqlx::Error> {
    rows(
        db,
        "SELECT created_at, last_seen_at, expires_at, user_agent FROM sessions WHERE user_id = $1 ORDER BY created_at",
        Param::Id(p.id),
    )
    .await
}

/// Sign-in and confirmation links: when and what for (never the token), and the new address an
/// address change waits on.
pub async fn export_links(db: &Db, p: &Person) -> Result<Value, sqlx::Error> {
    rows(
        db,
        "SELECT purpose, data AS new_email, created_at, expires_at, used_at FROM auth_tokens WHERE user_id = $1 ORDER BY created_at",
        Param::Id(p.id),
    )
    .await
}

pub async fn export_mails(db: &Db, p: &Person) -> Result<Value, sqlx::Error> {
    rows(
        db,
        "SELECT subject, kind, status, created_at, sent_at FROM mail_outbox WHERE to_addr = $1 ORDER BY id",
        Param::Text(&p.email),
    )
    .await
}

pub async fn export_notification_prefs(db: &Db, p: &Person) -> Result<Value, sqlx::Error> {
    rows(
        db,
        "SELECT kind, enabled, updated_at FROM notification_prefs WHERE user_id = $1 ORDER BY kind",
        Param::Id(p.id),
    )
    .await
}

/// Deletes the rows of `table` whose `user_id` is the person's (the account's own tables).
pub async fn delete_own(c: &mut AnyConnection, table: &'static str, p: &Person) -> Result<(), sqlx::Error> {
    sqlx::query(&format!("DELETE FROM {table} WHERE user_id = $1")).bind(p.id).execute(&mut *c).await?;
    Ok(())
}

/// Mail not yet sent to the address is dropped; mail already sent (kept a few days for the
/// admins' outbox, then purged) keeps its subject, not the address, the text or its attachments
/// (a receipt's PDF names the donor).
pub async fn erase_mails(c: &mut AnyConnection, p: &Person) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM mail_attachments WHERE mail_id IN (SELECT id FROM mail_outbox WHERE to_addr = $1)")
        .bind(&p.email)
        .execute(&mut *c)
        .await?;
    sqlx::query("DELETE FROM mail_outbox WHERE to_addr = $1 AND status = 'queued'")
        .bind(&p.email)
        .execute(&mut *c)
        .await?;
    sqlx::query("UPDATE mail_outbox SET to_addr = $1, body_text = '', body_html = '' WHERE to_addr = $2")
        .bind(anonymised_email(p.id))
        .bind(&p.email)
        .execute(&mut *c)
        .await?;
    Ok(())
}
