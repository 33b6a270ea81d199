//! SQL of the legal pages: the feedback the accessibility statement's form stores, and who the
//! platform's admins are.
use super::rules::Feedback;
use crate::ssr::Db;
use sqlx::Row;

/// Stores one feedback message and returns its number.
pub async fn insert_feedback(
    conn: &mut sqlx::AnyConnection,
    f: &Feedback,
    lang: &str,
    now: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar::<_, i64>(
        "INSERT INTO accessibility_feedback (name, email, page, description, lang, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(&f.name)
    .bind(f.email.as_ref().map(|e| e.as_str()).unwrap_or(""))
    .bind(&f.page)
    .bind(&f.description)
    .bind(lang)
    .bind(now)
    .fetch_one(conn)
    .await
}

/// Feedback sent from the person's (confirmed) address; found by address, as it needs no account.
pub async fn personal_feedback(db: &Db, p: &crate::ssr::personal::Person) -> Result<serde_json::Value, sqlx::Error> {
    use crate::ssr::personal::{rows, Param};
    rows(
        db,
        "SELECT id, name, email, page, description, lang, created_at FROM accessibility_feedback
         WHERE email = $1 ORDER BY id",
        Param::Text(&p.email),
    )
    .await
}

/// Deleting the account deletes the feedback sent from its address.
pub async fn erase_feedback(c: &mut sqlx::AnyConnection, p: &crate::ssr::personal::Person) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM accessibility_feedback WHERE email = $1").bind(&p.email).execute(&mut *c).await?;
    Ok(())
}

/// How long feedback is kept: past the yearly review of the statement, then it is deleted.
pub const FEEDBACK_KEEP_SECS: i64 = 400 * 86_400;

/// The retention job: forgets feedback older than [`FEEDBACK_KEEP_SECS`]; idempotent.
pub async fn purge_feedback(db: &Db, now: i64) -> Result<u64, sqlx::Error> {
    let r = sqlx::query("DELETE FROM accessibility_feedback WHERE created_at < $1")
        .bind(now - FEEDBACK_KEEP_SECS)
        .execute(&db.pool)
        .await?;
    Ok(r.rows_affected())
}

/// The e-mail and language of every verified account holding the platform's admin role.
pub async fn admin_emails(db: &Db) -> Result<Vec<(String, String)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT DISTINCT u.email, u.lang FROM roles r JOIN users u ON u.id = r.user_id
         WHERE r.role = 'admin' AND u.deleted_at IS NULL AND u.email_verified_at IS NOT NULL
         ORDER BY u.email",
    )
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(|r| Ok((r.try_get("email")?, r.try_get("lang")?))).collect()
}
