//! Monthly gifts: as the donor manages them through the link, and their state changes.
use super::super::rules::states::{GiftEvent, GiftStatus};
use crate::ssr::{now, Db};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

/// A monthly gift as its donor manages it.
#[derive(Clone, Debug)]
pub struct GiftRow {
    pub id: i64,
    pub public_id: String,
    pub campaign_id: i64,
    pub campaign_slug: String,
    pub campaign_title: String,
    pub org_name: String,
    pub amount_bani: i64,
    pub fee_bani: i64,
    pub currency: String,
    pub status: String,
    pub provider: String,
    pub provider_ref: Option<String>,
    pub donor_name: String,
    pub donor_email: String,
    pub lang: String,
    pub min_bani: i64,
    pub max_bani: i64,
    /// Bumped at every change made through the link: links mailed before stop working.
    pub link_version: i64,
}

const GIFT_COLS: &str =
    "g.id, g.public_id, g.campaign_id, c.slug AS campaign_slug, c.title AS campaign_title, o.name AS org_name, g.amount_bani, g.fee_bani, g.currency, g.status,
    g.provider, g.provider_ref, g.donor_name, g.donor_email, g.lang, c.min_bani, c.max_bani, g.link_version
    FROM donation_gifts g JOIN donation_campaigns c ON c.id = g.campaign_id JOIN organisations o ON o.id = c.org_id";

fn gift_row(r: &AnyRow) -> Result<GiftRow, sqlx::Error> {
    Ok(GiftRow {
        id: r.try_get("id")?,
        public_id: r.try_get("public_id")?,
        campaign_id: r.try_get("campaign_id")?,
        campaign_slug: r.try_get("campaign_slug")?,
        campaign_title: r.try_get("campaign_title")?,
        org_name: r.try_get("org_name")?,
        amount_bani: r.try_get("amount_bani")?,
        fee_bani: r.try_get("fee_bani")?,
        currency: r.try_get("currency")?,
        status: r.try_get("status")?,
        provider: r.try_get("provider")?,
        provider_ref: r.try_get("provider_ref")?,
        donor_name: r.try_get("donor_name")?,
        donor_email: r.try_get("donor_email")?,
        lang: r.try_get("lang")?,
        min_bani: r.try_get("min_bani")?,
        max_bani: r.try_get("max_bani")?,
        link_version: r.try_get("link_version")?,
    })
}

pub async fn gift_by_public(db: &Db, public_id: &str) -> Result<Option<GiftRow>, sqlx::Error> {
    sqlx::query(&format!("SELECT {GIFT_COLS} WHERE g.public_id = $1"))
        .bind(public_id)
        .fetch_optional(&db.pool)
        .await?
        .as_ref()
        .map(gift_row)
        .transpose()
}

pub async fn gift_by_id(db: &Db, id: i64) -> Result<Option<GiftRow>, sqlx::Error> {
    sqlx::query(&format!("SELECT {GIFT_COLS} WHERE g.id = $1"))
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .as_ref()
        .map(gift_row)
        .transpose()
}

fn in_list(states: &[GiftStatus]) -> String {
    let v: Vec<String> = states.iter().map(|s| format!("'{}'", s.code())).collect();
    if v.is_empty() {
        "('')".into()
    } else {
        format!("({})", v.join(", "))
    }
}

/// Applies a gift event with a conditional update (only from the states the event leads to `to`
/// from); true when the state changed.
pub async fn gift_transition(
    conn: &mut AnyConnection,
    gift_id: i64,
    ev: GiftEvent,
    to: GiftStatus,
) -> Result<bool, sqlx::Error> {
    let from = GiftStatus::sources(ev, to);
    let r = sqlx::query(&format!(
        "UPDATE donation_gifts SET status = $1, updated_at = $2 WHERE id = $3 AND status IN {}",
        in_list(&from)
    ))
    .bind(to.code())
    .bind(now())
    .bind(gift_id)
    .execute(&mut *conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// A donor's action on their gift (pause, resume, cancel), applied by the same rules as events.
pub async fn gift_event(db: &Db, gift_id: i64, ev: GiftEvent, to: GiftStatus) -> Result<bool, sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    let changed = gift_transition(&mut tx, gift_id, ev, to).await?;
    tx.commit().await?;
    Ok(changed)
}

/// A new link version: every link mailed before this stops working.
pub async fn rotate_gift_link(db: &Db, gift_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar::<_, i64>(
        "UPDATE donation_gifts SET link_version = link_version + 1 WHERE id = $1 RETURNING link_version",
    )
    .bind(gift_id)
    .fetch_one(&db.pool)
    .await
}

pub async fn set_gift_amount(db: &Db, gift_id: i64, amount: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE donation_gifts SET amount_bani = $1, fee_bani = 0, updated_at = $2 WHERE id = $3")
        .bind(amount)
        .bind(now())
        .bind(gift_id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Records the provider's subscription of a gift, unless it already has one.
pub async fn set_provider_ref_if_null(
    conn: &mut AnyConnection,
    gift_id: i64,
    provider_ref: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE donation_gifts SET provider_ref = $1 WHERE id = $2 AND provider_ref IS NULL")
        .bind(provider_ref)
        .bind(gift_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
