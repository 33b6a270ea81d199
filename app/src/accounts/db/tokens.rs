//! The `auth_tokens` table: the single-use links mailed for verification, resets and address changes.
use crate::accounts::rules::token_usable;
use crate::ssr::{now, Db};
use sqlx::Row;

pub async fn create_token(
    db: &Db,
    user_id: i64,
    purpose: &str,
    data: Option<&str>,
    hash: &str,
    expires_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO auth_tokens (token_hash, user_id, purpose, data, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(hash)
    .bind(user_id)
    .bind(purpose)
    .bind(data.map(str::to_string))
    .bind(now())
    .bind(expires_at)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Uses a link token once: returns (user id, purpose, data) if it was valid for one of `purposes`.
pub async fn take_token(
    db: &Db,
    hash: &str,
    purposes: &[&str],
) -> Result<Option<(i64, String, Option<String>)>, sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    let row = sqlx::query("SELECT user_id, purpose, data, expires_at, used_at FROM auth_tokens WHERE token_hash = $1")
        .bind(hash)
        .fetch_optional(&mut *tx)
        .await?;
    let Some(row) = row else { return Ok(None) };
    let purpose: String = row.try_get("purpose")?;
    let now = now();
    if !purposes.contains(&purpose.as_str()) || !token_usable(row.try_get("expires_at")?, row.try_get("used_at")?, now)
    {
        return Ok(None);
    }
    // The guard on used_at makes a second, concurrent use of the same link fail.
    let done = sqlx::query("UPDATE auth_tokens SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL")
        .bind(now)
        .bind(hash)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() != 1 {
        return Ok(None);
    }
    tx.commit().await?;
    Ok(Some((row.try_get("user_id")?, purpose, row.try_get("data")?)))
}

/// Makes every unused link of these kinds worthless (after a reset, or an address change).
pub async fn void_tokens(db: &Db, user_id: i64, purposes: &[&str]) -> Result<(), sqlx::Error> {
    for p in purposes {
        sqlx::query("UPDATE auth_tokens SET used_at = $1 WHERE user_id = $2 AND purpose = $3 AND used_at IS NULL")
            .bind(now())
            .bind(user_id)
            .bind(*p)
            .execute(&db.pool)
            .await?;
    }
    Ok(())
}
