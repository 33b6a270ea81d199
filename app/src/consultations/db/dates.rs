//! Changes of a consultation's dates after its creation (extensions and corrections), each with its
//! public reason, and the public history of them.
use crate::consultations::rules::dates::{Change, ChangeKind, Dates};
use crate::consultations::DateChange;
use crate::ssr::{now, Db};
use sqlx::Row;

/// Writes the new dates and one history row per changed date, in one transaction. A later end
/// lets the "closing soon" reminder go out again.
pub async fn change_dates(
    db: &Db,
    cid: i64,
    user_id: i64,
    kind: ChangeKind,
    new: Dates,
    changes: &[Change],
    reason: &str,
) -> Result<(), sqlx::Error> {
    let at = now();
    let mut tx = db.pool.begin().await?;
    sqlx::query(
        "UPDATE consultations SET opens_at = $1, closes_at = $2, adoption_at = $3,
            closing_soon_sent_at = CASE WHEN closes_at = $2 THEN closing_soon_sent_at ELSE NULL END
         WHERE id = $4",
    )
    .bind(new.opens_at)
    .bind(new.closes_at)
    .bind(new.adoption_at)
    .bind(cid)
    .execute(&mut *tx)
    .await?;
    for (field, old, value) in changes {
        sqlx::query(
            "INSERT INTO consultation_date_changes (consultation_id, user_id, kind, field, old_value, new_value, reason, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(cid)
        .bind(user_id)
        .bind(kind.code())
        .bind(field.code())
        .bind(*old)
        .bind(*value)
        .bind(reason)
        .bind(at)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await
}

/// The public history of a consultation's dates, oldest first.
pub async fn date_changes(db: &Db, cid: i64) -> Result<Vec<DateChange>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT kind, field, old_value, new_value, reason, created_at FROM consultation_date_changes
         WHERE consultation_id = $1 ORDER BY id",
    )
    .bind(cid)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(DateChange {
                kind: r.try_get("kind")?,
                field: r.try_get("field")?,
                old_value: r.try_get("old_value")?,
                new_value: r.try_get("new_value")?,
                reason: r.try_get("reason")?,
                created_at: r.try_get("created_at")?,
            })
        })
        .collect()
}
