//! Imports: an uploaded file kept for its preview, then its rows written all at once.
use super::*;
use crate::map::ImportRow;
use crate::ssr::{now, Db};

/// Writes the rows of an uploaded file and deletes the upload in the same transaction, so a file is
/// imported whole and once (a second confirmation finds no upload: `RowNotFound`).
pub async fn import(db: &Db, rows: &[ImportRow], org_id: i64, by: i64, token: &str) -> Result<i64, sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    let gone = sqlx::query("DELETE FROM map_imports WHERE token = $1 AND user_id = $2")
        .bind(token)
        .bind(by)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if gone != 1 {
        return Err(sqlx::Error::RowNotFound);
    }
    let mut ids = vec![];
    for r in rows {
        let p = NewPlace {
            name: r.name.clone(),
            category: r.category.clone(),
            address: r.address.clone(),
            locality: r.locality.clone(),
            county: r.county.clone(),
            lat: r.lat,
            lon: r.lon,
            contact: r.contact.clone(),
            osm_id: r.osm_id.clone(),
            authority_id: None,
            org_id: Some(org_id),
        };
        ids.push(insert_place(&mut *tx, &p, Some(by), false).await?);
    }
    tx.commit().await?;
    for (id, r) in ids.iter().zip(rows) {
        if let Some(a) = default_authority(db, &r.locality, &r.category).await? {
            sqlx::query("UPDATE map_places SET authority_id = $1 WHERE id = $2")
                .bind(a)
                .bind(*id)
                .execute(&db.pool)
                .await?;
        }
    }
    Ok(ids.len() as i64)
}

/// Every active organisation as (id, name), by name.
pub async fn orgs_for_import(db: &Db) -> Result<Vec<(i64, String)>, sqlx::Error> {
    let rows = sqlx::query("SELECT id, name FROM organisations WHERE status = 'active' ORDER BY name")
        .fetch_all(&db.pool)
        .await?;
    rows.iter().map(|r| Ok((r.try_get("id")?, r.try_get("name")?))).collect()
}

pub struct StoredImport {
    pub org_id: i64,
    pub org_name: String,
    pub file_name: String,
    pub content: String,
}

/// Keeps an uploaded import file for its preview (and drops uploads older than a day).
pub async fn save_import(
    db: &Db,
    token: &str,
    user_id: i64,
    org_id: i64,
    file_name: &str,
    content: &str,
) -> Result<(), sqlx::Error> {
    let t = now();
    sqlx::query("DELETE FROM map_imports WHERE created_at < $1").bind(t - 86_400).execute(&db.pool).await?;
    sqlx::query(
        "INSERT INTO map_imports (token, user_id, org_id, file_name, content, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(token)
    .bind(user_id)
    .bind(org_id)
    .bind(file_name)
    .bind(content)
    .bind(t)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// An upload of this person (nobody else sees it).
pub async fn load_import(db: &Db, token: &str, user_id: i64) -> Result<Option<StoredImport>, sqlx::Error> {
    let r = sqlx::query(
        "SELECT i.org_id, COALESCE(o.name, '') AS org_name, i.file_name, i.content FROM map_imports i \
         LEFT JOIN organisations o ON o.id = i.org_id WHERE i.token = $1 AND i.user_id = $2",
    )
    .bind(token)
    .bind(user_id)
    .fetch_optional(&db.pool)
    .await?;
    r.map(|r| {
        Ok(StoredImport {
            org_id: r.try_get("org_id")?,
            org_name: r.try_get("org_name")?,
            file_name: r.try_get("file_name")?,
            content: r.try_get("content")?,
        })
    })
    .transpose()
}
