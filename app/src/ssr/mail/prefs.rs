//! The e-mail choices people saved in the notification centre, as `(kind, enabled)` rows; the
//! kind `PAUSE_ALL` holds the "pause everything" switch.
use super::super::{now, Db};
use sqlx::Row;

/// The e-mail choices a user saved.
pub async fn notification_prefs(db: &Db, user_id: i64) -> Result<Vec<(String, bool)>, sqlx::Error> {
    let rows = sqlx::query("SELECT kind, enabled FROM notification_prefs WHERE user_id = $1")
        .bind(user_id)
        .fetch_all(&db.pool)
        .await?;
    rows.iter().map(|r| Ok((r.try_get("kind")?, r.try_get::<i64, _>("enabled")? != 0))).collect()
}

pub async fn save_notification_prefs(db: &Db, user_id: i64, rows: &[(String, bool)]) -> Result<(), sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    for (kind, on) in rows {
        sqlx::query(
            "INSERT INTO notification_prefs (user_id, kind, enabled, updated_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (user_id, kind) DO UPDATE SET enabled = excluded.enabled, updated_at = excluded.updated_at",
        )
        .bind(user_id)
        .bind(kind)
        .bind(i64::from(*on))
        .bind(now())
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await
}

/// The choices of the account that owns an address (none when nobody has an account with it).
pub async fn notification_prefs_by_email(db: &Db, email: &str) -> Result<Vec<(String, bool)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT p.kind, p.enabled FROM notification_prefs p JOIN users u ON u.id = p.user_id WHERE u.email = $1",
    )
    .bind(email.trim().to_lowercase())
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(|r| Ok((r.try_get("kind")?, r.try_get::<i64, _>("enabled")? != 0))).collect()
}
