//! Donations: the pending one created before the checkout (with its monthly gift), its checkout
//! page, and a donation as its donor or its organisation sees it.
use super::super::DashboardFilter;
use crate::ssr::{now, Db};
use sqlx::any::AnyRow;
use sqlx::Row;

/// A donation about to be sent to the provider.
#[derive(Clone, Debug)]
pub struct NewDonation {
    pub public_id: String,
    pub campaign_id: i64,
    pub amount_bani: i64,
    pub fee_bani: i64,
    pub currency: String,
    pub monthly: bool,
    pub provider: String,
    pub idempotency_key: String,
    pub donor_name: String,
    pub donor_email: String,
    pub message: String,
    pub show_name: bool,
    pub lang: String,
    pub consent_version: String,
    pub newsletter: bool,
    pub ip_hash: String,
    pub is_demo: bool,
}

/// Creates the pending donation (and, for a monthly gift, the pending gift) in one transaction.
pub async fn create_donation(db: &Db, d: &NewDonation) -> Result<i64, sqlx::Error> {
    let now = now();
    let mut tx = db.pool.begin().await?;
    let gift_id: Option<i64> = if d.monthly {
        let r = sqlx::query(
            "INSERT INTO donation_gifts (public_id, campaign_id, amount_bani, fee_bani, currency, status, provider, donor_name, donor_email, show_name, lang, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7, $8, $9, $10, $11, $11) RETURNING id",
        )
        .bind(crate::ssr::public_id())
        .bind(d.campaign_id)
        .bind(d.amount_bani)
        .bind(d.fee_bani)
        .bind(&d.currency)
        .bind(&d.provider)
        .bind(&d.donor_name)
        .bind(&d.donor_email)
        .bind(i64::from(d.show_name))
        .bind(&d.lang)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        Some(r.try_get("id")?)
    } else {
        None
    };
    let r = sqlx::query(
        "INSERT INTO donations (public_id, campaign_id, gift_id, amount_bani, fee_bani, total_bani, currency, monthly, status, provider,
            idempotency_key, donor_name, donor_email, message, show_name, lang, consent_version, consent_at, newsletter, ip_hash, is_demo,
            created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $17, $17) RETURNING id",
    )
    .bind(&d.public_id)
    .bind(d.campaign_id)
    .bind(gift_id)
    .bind(d.amount_bani)
    .bind(d.fee_bani)
    .bind(d.amount_bani + d.fee_bani)
    .bind(&d.currency)
    .bind(i64::from(d.monthly))
    .bind(&d.provider)
    .bind(&d.idempotency_key)
    .bind(&d.donor_name)
    .bind(&d.donor_email)
    .bind(&d.message)
    .bind(i64::from(d.show_name))
    .bind(&d.lang)
    .bind(&d.consent_version)
    .bind(now)
    .bind(i64::from(d.newsletter))
    .bind(&d.ip_hash)
    .bind(i64::from(d.is_demo))
    .fetch_one(&mut *tx)
    .await?;
    let id: i64 = r.try_get("id")?;
    tx.commit().await?;
    Ok(id)
}

/// Records the provider's checkout reference (unique per provider) and its page.
pub async fn set_checkout(db: &Db, id: i64, session_ref: &str, url: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE donations SET provider_ref = $1, checkout_url = $2, updated_at = $3 WHERE id = $4")
        .bind(session_ref)
        .bind(url)
        .bind(now())
        .bind(id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// The checkout page of a donation already created with this idempotency key (a double submit).
pub async fn checkout_by_key(db: &Db, key: &str) -> Result<Option<(String, String, String)>, sqlx::Error> {
    sqlx::query("SELECT public_id, status, checkout_url FROM donations WHERE idempotency_key = $1")
        .bind(key)
        .fetch_optional(&db.pool)
        .await?
        .map(|r| Ok((r.try_get("public_id")?, r.try_get("status")?, r.try_get("checkout_url")?)))
        .transpose()
}

/// A checkout the provider would not open: the donation is marked failed.
pub async fn mark_checkout_failed(db: &Db, id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE donations SET status = 'failed', updated_at = $1 WHERE id = $2 AND status = 'pending'")
        .bind(now())
        .bind(id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// One donation as its donor or its organisation sees it.
#[derive(Clone, Debug)]
pub struct DonationRow {
    pub id: i64,
    pub public_id: String,
    pub campaign_id: i64,
    pub campaign_slug: String,
    pub campaign_title: String,
    pub org_id: i64,
    pub org_name: String,
    pub org_cui: Option<String>,
    pub gift_id: Option<i64>,
    pub amount_bani: i64,
    pub fee_bani: i64,
    pub total_bani: i64,
    pub currency: String,
    pub monthly: bool,
    pub status: String,
    pub provider: String,
    pub payment_ref: Option<String>,
    pub donor_name: String,
    pub donor_email: String,
    pub message: String,
    pub show_name: bool,
    pub hidden: bool,
    pub lang: String,
    pub created_at: i64,
    pub paid_at: Option<i64>,
    pub thanks: String,
}

const DONATION_COLS: &str = "d.id, d.public_id, d.campaign_id, c.slug AS campaign_slug, c.title AS campaign_title, c.org_id,
    o.name AS org_name, o.cui AS org_cui, d.gift_id, d.amount_bani,
    d.fee_bani, d.total_bani, d.currency, d.monthly, d.status, d.provider, d.payment_ref, d.donor_name, d.donor_email, d.message,
    d.show_name, d.hidden, d.lang, d.created_at, d.paid_at, c.thanks";
const DONATION_FROM: &str =
    "FROM donations d JOIN donation_campaigns c ON c.id = d.campaign_id JOIN organisations o ON o.id = c.org_id";

fn donation_row(r: &AnyRow) -> Result<DonationRow, sqlx::Error> {
    Ok(DonationRow {
        id: r.try_get("id")?,
        public_id: r.try_get("public_id")?,
        campaign_id: r.try_get("campaign_id")?,
        campaign_slug: r.try_get("campaign_slug")?,
        campaign_title: r.try_get("campaign_title")?,
        org_id: r.try_get("org_id")?,
        org_name: r.try_get("org_name")?,
        org_cui: r.try_get("org_cui")?,
        gift_id: r.try_get("gift_id")?,
        amount_bani: r.try_get("amount_bani")?,
        fee_bani: r.try_get("fee_bani")?,
        total_bani: r.try_get("total_bani")?,
        currency: r.try_get("currency")?,
        monthly: r.try_get::<i64, _>("monthly")? == 1,
        status: r.try_get("status")?,
        provider: r.try_get("provider")?,
        payment_ref: r.try_get("payment_ref")?,
        donor_name: r.try_get("donor_name")?,
        donor_email: r.try_get("donor_email")?,
        message: r.try_get("message")?,
        show_name: r.try_get::<i64, _>("show_name")? == 1,
        hidden: r.try_get::<i64, _>("hidden")? == 1,
        lang: r.try_get("lang")?,
        created_at: r.try_get("created_at")?,
        paid_at: r.try_get("paid_at")?,
        thanks: r.try_get("thanks")?,
    })
}

pub async fn donation_by_public(db: &Db, public_id: &str) -> Result<Option<DonationRow>, sqlx::Error> {
    sqlx::query(&format!("SELECT {DONATION_COLS} {DONATION_FROM} WHERE d.public_id = $1"))
        .bind(public_id)
        .fetch_optional(&db.pool)
        .await?
        .as_ref()
        .map(donation_row)
        .transpose()
}

pub async fn donation_by_id(db: &Db, id: i64) -> Result<Option<DonationRow>, sqlx::Error> {
    sqlx::query(&format!("SELECT {DONATION_COLS} {DONATION_FROM} WHERE d.id = $1"))
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .as_ref()
        .map(donation_row)
        .transpose()
}

/// The organisation's donations, newest first, with the dashboard's filters.
pub async fn org_donations(
    db: &Db,
    org_id: i64,
    f: &DashboardFilter,
    limit: i64,
) -> Result<Vec<DonationRow>, sqlx::Error> {
    let mut sql = format!("SELECT {DONATION_COLS} {DONATION_FROM} WHERE c.org_id = $1");
    let mut args: Vec<String> = vec![];
    if !f.campaign.is_empty() {
        args.push(f.campaign.clone());
        sql.push_str(&format!(" AND c.slug = ${}", args.len() + 1));
    }
    if !f.status.is_empty() {
        args.push(f.status.clone());
        sql.push_str(&format!(" AND d.status = ${}", args.len() + 1));
    }
    if !f.kind.is_empty() {
        sql.push_str(if f.kind == "monthly" { " AND d.monthly = 1" } else { " AND d.monthly = 0" });
    }
    if !f.q.is_empty() {
        args.push(format!("%{}%", f.q.to_lowercase()));
        sql.push_str(&format!(
            " AND (LOWER(d.donor_name) LIKE ${0} OR LOWER(d.donor_email) LIKE ${0})",
            args.len() + 1
        ));
    }
    sql.push_str(&format!(" ORDER BY d.created_at DESC, d.id DESC LIMIT {limit}"));
    let mut q = sqlx::query(&sql).bind(org_id);
    for a in &args {
        q = q.bind(a.clone());
    }
    q.fetch_all(&db.pool).await?.iter().map(donation_row).collect()
}

/// The organisation's ledger entries (campaign title, time, bani), oldest first, for its totals.
pub async fn org_ledger(db: &Db, org_id: i64) -> Result<Vec<(String, i64, i64)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT c.title, l.created_at, l.amount_bani FROM donation_ledger l JOIN donation_campaigns c ON c.id = l.campaign_id
         WHERE c.org_id = $1 ORDER BY l.created_at",
    )
    .bind(org_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(|r| Ok((r.try_get("title")?, r.try_get("created_at")?, r.try_get("amount_bani")?))).collect()
}

pub async fn set_hidden(db: &Db, donation_id: i64, org_id: i64, hidden: bool) -> Result<bool, sqlx::Error> {
    let r = sqlx::query(
        "UPDATE donations SET hidden = $1, updated_at = $2
         WHERE id = $3 AND campaign_id IN (SELECT id FROM donation_campaigns WHERE org_id = $4)",
    )
    .bind(i64::from(hidden))
    .bind(now())
    .bind(donation_id)
    .bind(org_id)
    .execute(&db.pool)
    .await?;
    Ok(r.rows_affected() == 1)
}
