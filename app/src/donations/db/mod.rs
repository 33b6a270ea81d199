//! All SQL of the donations feature (rows read by column name), one file per table family; the
//! organisation facts the feature needs are here.
mod campaigns;
mod donations;
mod events;
mod gifts;
mod housekeeping;
mod personal;

pub use campaigns::*;
pub use donations::*;
pub use events::*;
pub use gifts::*;
pub use housekeeping::*;
pub use personal::*;

use crate::ssr::Db;
use sqlx::Row;

/// The organisation's admins who can be written to (e-mail, language).
pub async fn org_admin_emails(db: &Db, org_id: i64) -> Result<Vec<(String, String)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT u.email, u.lang FROM roles r JOIN users u ON u.id = r.user_id
         WHERE r.role = 'org_admin' AND r.scope_id = $1 AND u.deleted_at IS NULL AND u.email_verified_at IS NOT NULL",
    )
    .bind(org_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(|r| Ok((r.try_get("email")?, r.try_get("lang")?))).collect()
}

/// The organisation's public contact address, as it typed it.
pub async fn org_contact_email(db: &Db, org_id: i64) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT contact_email FROM organisations WHERE id = $1")
        .bind(org_id)
        .fetch_optional(&db.pool)
        .await
}

/// The consent evidence (keyed IP hash) when the donor ticked the newsletter box on this
/// donation; `None` otherwise.
pub async fn newsletter_request(db: &Db, donation_id: i64) -> Result<Option<String>, sqlx::Error> {
    sqlx::query("SELECT ip_hash FROM donations WHERE id = $1 AND newsletter = 1")
        .bind(donation_id)
        .fetch_optional(&db.pool)
        .await?
        .map(|r| r.try_get("ip_hash"))
        .transpose()
}

/// The campaign's organisation id (for authorisation).
pub async fn campaign_org(db: &Db, campaign_id: i64) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query("SELECT org_id FROM donation_campaigns WHERE id = $1")
        .bind(campaign_id)
        .fetch_optional(&db.pool)
        .await?
        .map(|r| r.try_get("org_id"))
        .transpose()
}

pub async fn org_by_slug(db: &Db, slug: &str) -> Result<Option<(i64, String)>, sqlx::Error> {
    sqlx::query("SELECT id, name FROM organisations WHERE slug = $1")
        .bind(slug)
        .fetch_optional(&db.pool)
        .await?
        .map(|r| Ok((r.try_get("id")?, r.try_get("name")?)))
        .transpose()
}

pub async fn org_by_id(db: &Db, id: i64) -> Result<Option<(String, String)>, sqlx::Error> {
    sqlx::query("SELECT slug, name FROM organisations WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .map(|r| Ok((r.try_get("slug")?, r.try_get("name")?)))
        .transpose()
}
