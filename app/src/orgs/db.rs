//! Every SQL statement of the organisations feature.
use super::OrgSummary;
use crate::ssr::Db;
use sqlx::Row;

pub async fn list(db: &Db) -> Result<Vec<OrgSummary>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, slug, name, legal_form, locality, county, short_description, is_demo FROM organisations
         WHERE status <> 'restricted' ORDER BY name",
    )
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(OrgSummary {
                id: r.try_get("id")?,
                slug: r.try_get("slug")?,
                name: r.try_get("name")?,
                legal_form: r.try_get("legal_form")?,
                locality: r.try_get("locality")?,
                county: r.try_get("county")?,
                short_description: r.try_get("short_description")?,
                is_demo: r.try_get::<i64, _>("is_demo")? == 1,
            })
        })
        .collect()
}
