//! The authority's contact columns (SQL only).
use super::{ContactPage, Officer};
use crate::ssr::Db;
use sqlx::Row;

pub async fn contact_by_slug(db: &Db, slug: &str) -> Result<Option<ContactPage>, sqlx::Error> {
    let r = sqlx::query(
        "SELECT id, slug, name, officer_name, officer_email, officer_phone, petition_email
         FROM authorities WHERE slug = $1",
    )
    .bind(slug)
    .fetch_optional(&db.pool)
    .await?;
    let Some(r) = r else { return Ok(None) };
    Ok(Some(ContactPage {
        authority_id: r.try_get("id")?,
        slug: r.try_get("slug")?,
        name: r.try_get("name")?,
        officer: Officer {
            name: r.try_get("officer_name")?,
            email: r.try_get("officer_email")?,
            phone: r.try_get("officer_phone")?,
        },
        registry_email: r.try_get("petition_email")?,
    }))
}

/// Stores the contact; the authority's slug, or None when there is no such authority.
pub async fn save_contact(
    db: &Db,
    authority_id: i64,
    officer: &Officer,
    registry_email: &str,
) -> Result<Option<String>, sqlx::Error> {
    let r = sqlx::query(
        "UPDATE authorities SET officer_name = $1, officer_email = $2, officer_phone = $3, petition_email = $4
         WHERE id = $5 RETURNING slug",
    )
    .bind(&officer.name)
    .bind(&officer.email)
    .bind(&officer.phone)
    .bind(registry_email)
    .bind(authority_id)
    .fetch_optional(&db.pool)
    .await?;
    r.map(|r| r.try_get("slug")).transpose()
}
