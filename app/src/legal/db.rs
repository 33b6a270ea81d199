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
