//! Which organisation receives the reports of places residents add in a locality.
use super::*;
use crate::map::LocalityOwner;
use crate::ssr::{now, Db};

/// The organisation a platform admin assigned to a locality: it receives the reports of places
/// residents add there. An assignment, never inferred (an organisation importing many places in
/// a town must not take over its reports); none means moderators handle them.
pub async fn locality_org(db: &Db, locality: &str) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar::<_, i64>(
        "SELECT l.org_id FROM map_locality_owners l JOIN organisations o ON o.id = l.org_id
         WHERE l.locality_key = $1 AND o.status = 'active'",
    )
    .bind(key(locality))
    .fetch_optional(&db.pool)
    .await
}

/// Every assignment, by locality.
pub async fn locality_owners(db: &Db) -> Result<Vec<LocalityOwner>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT l.locality, l.locality_key, l.org_id, o.name AS org_name, l.assigned_at
         FROM map_locality_owners l JOIN organisations o ON o.id = l.org_id ORDER BY l.locality_key",
    )
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(LocalityOwner {
                locality: r.try_get("locality")?,
                locality_key: r.try_get("locality_key")?,
                org_id: r.try_get("org_id")?,
                org_name: r.try_get("org_name")?,
                assigned_at: r.try_get("assigned_at")?,
            })
        })
        .collect()
}

pub async fn assign_locality(db: &Db, locality: &str, org_id: i64, by: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO map_locality_owners (locality_key, locality, org_id, assigned_by, assigned_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (locality_key) DO UPDATE SET locality = excluded.locality, org_id = excluded.org_id,
           assigned_by = excluded.assigned_by, assigned_at = excluded.assigned_at",
    )
    .bind(key(locality))
    .bind(locality)
    .bind(org_id)
    .bind(by)
    .bind(now())
    .execute(&db.pool)
    .await?;
    Ok(())
}

pub async fn unassign_locality(db: &Db, locality_key: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM map_locality_owners WHERE locality_key = $1").bind(locality_key).execute(&db.pool).await?;
    Ok(())
}
