//! Fixed-window counters in the database, so several app servers share one budget.
use super::{now, Db};
use sqlx::Row;

/// Counts one event in `key`'s window ($1 key, $2 window start) and returns the new count.
pub const COUNT_ONE: &str = "INSERT INTO rate_limits (key, window_start, count) VALUES ($1, $2, 1)
     ON CONFLICT (key) DO UPDATE SET
       count = CASE WHEN rate_limits.window_start = excluded.window_start THEN rate_limits.count + 1 ELSE 1 END,
       window_start = excluded.window_start
     RETURNING count";

/// Counts one event for `key`; returns the seconds to wait when the limit is now exceeded.
pub async fn hit(db: &Db, key: &str, limit: i64, window_secs: i64) -> Result<Option<i64>, sqlx::Error> {
    let now = now();
    let start = now - now.rem_euclid(window_secs);
    let row = sqlx::query(COUNT_ONE).bind(key).bind(start).fetch_one(&db.pool).await?;
    let count: i64 = row.try_get(0)?;
    Ok((count > limit).then_some(start + window_secs - now))
}

/// Gives back one counted event of this window (an attempt that turned out legitimate).
pub async fn refund(db: &Db, key: &str, window_secs: i64) -> Result<(), sqlx::Error> {
    let now = now();
    let start = now - now.rem_euclid(window_secs);
    sqlx::query("UPDATE rate_limits SET count = count - 1 WHERE key = $1 AND window_start = $2 AND count > 0")
        .bind(key)
        .bind(start)
        .execute(&db.pool)
        .await?;
    Ok(())
}

pub async fn clear(db: &Db, key: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM rate_limits WHERE key = $1").bind(key).execute(&db.pool).await?;
    Ok(())
}
