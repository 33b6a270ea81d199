//! All SQL of the donations feature. Idempotency lives in the schema: one row per provider event
//! (unique provider + event id), one donation per provider reference, one ledger entry of each kind
//! per donation; an event's row and the status change it causes are written in one transaction.
use super::states::{DonationStatus, GiftEvent, GiftStatus};
use super::*;
use crate::ssr::payments::{Effect, Event};
use crate::ssr::{now, Db};
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

const CARD_COLS: &str =
    "c.id, c.slug, c.title, c.summary, o.name, o.slug, c.cover_url, c.cover_alt, c.status, c.goal_bani,
    c.ends_at, o.locality, c.is_demo,
    CAST(COALESCE((SELECT SUM(l.amount_bani) FROM donation_ledger l WHERE l.campaign_id = c.id), 0) AS BIGINT),
    (SELECT COUNT(DISTINCT d.donor_email) FROM donations d WHERE d.campaign_id = c.id AND d.status = 'paid')";

fn card(r: &AnyRow) -> Result<CampaignCard, sqlx::Error> {
    Ok(CampaignCard {
        id: r.try_get(0)?,
        slug: r.try_get(1)?,
        title: r.try_get(2)?,
        summary: r.try_get(3)?,
        org_name: r.try_get(4)?,
        org_slug: r.try_get(5)?,
        cover_url: r.try_get(6)?,
        cover_alt: r.try_get(7)?,
        status: r.try_get(8)?,
        goal_bani: r.try_get(9)?,
        ends_at: r.try_get(10)?,
        locality: r.try_get(11)?,
        is_demo: r.try_get::<i64, _>(12)? == 1,
        raised_bani: r.try_get(13)?,
        donors: r.try_get(14)?,
    })
}

/// Live and ended campaigns, filtered by organisation, the organisation's domain and locality.
pub async fn campaigns(db: &Db, f: &CampaignFilter) -> Result<Vec<CampaignCard>, sqlx::Error> {
    let mut sql = format!(
        "SELECT {CARD_COLS} FROM donation_campaigns c JOIN organisations o ON o.id = c.org_id
         WHERE c.status IN ('live', 'ended') AND o.status <> 'restricted'"
    );
    let mut args: Vec<String> = vec![];
    if !f.org.is_empty() {
        args.push(f.org.clone());
        sql.push_str(&format!(" AND o.slug = ${}", args.len()));
    }
    if !f.domain.is_empty() {
        args.push(f.domain.clone());
        sql.push_str(&format!(
            " AND EXISTS (SELECT 1 FROM organisation_domains od WHERE od.org_id = o.id AND od.domain = ${})",
            args.len()
        ));
    }
    if !f.locality.is_empty() {
        args.push(f.locality.clone());
        sql.push_str(&format!(" AND o.locality = ${}", args.len()));
    }
    sql.push_str(" ORDER BY CASE c.status WHEN 'live' THEN 0 ELSE 1 END, c.created_at DESC, c.id DESC LIMIT 100");
    let mut q = sqlx::query(&sql);
    for a in &args {
        q = q.bind(a.clone());
    }
    q.fetch_all(&db.pool).await?.iter().map(card).collect()
}

/// Every campaign of one organisation (drafts too when `all`).
pub async fn org_campaigns(db: &Db, org_id: i64, all: bool) -> Result<Vec<CampaignCard>, sqlx::Error> {
    let states = if all { "('draft', 'live', 'ended', 'archived')" } else { "('live', 'ended')" };
    let rows = sqlx::query(&format!(
        "SELECT {CARD_COLS} FROM donation_campaigns c JOIN organisations o ON o.id = c.org_id
         WHERE c.org_id = $1 AND c.status IN {states} ORDER BY c.created_at DESC, c.id DESC"
    ))
    .bind(org_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(card).collect()
}

/// Distinct localities of organisations that have public campaigns (for the filter).
pub async fn campaign_localities(db: &Db) -> Result<Vec<String>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT DISTINCT o.locality FROM donation_campaigns c JOIN organisations o ON o.id = c.org_id
         WHERE c.status IN ('live', 'ended') AND o.locality <> '' ORDER BY o.locality",
    )
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(|r| r.try_get(0)).collect()
}

/// The campaign's settings as stored.
#[derive(Clone, Debug)]
pub struct CampaignRow {
    pub card: CampaignCard,
    pub org_id: i64,
    pub org_cui: Option<String>,
    pub story_md: String,
    pub presets: Vec<i64>,
    pub min_bani: i64,
    pub max_bani: i64,
    pub allow_monthly: bool,
    pub thanks: String,
    pub currency: String,
}

pub async fn campaign(db: &Db, slug: &str) -> Result<Option<CampaignRow>, sqlx::Error> {
    let Some(r) = sqlx::query(&format!(
        "SELECT {CARD_COLS}, c.org_id, o.cui, c.story_md, c.presets, c.min_bani, c.max_bani, c.allow_monthly, c.thanks, c.currency
         FROM donation_campaigns c JOIN organisations o ON o.id = c.org_id WHERE c.slug = $1"
    ))
    .bind(slug)
    .fetch_optional(&db.pool)
    .await?
    else {
        return Ok(None);
    };
    let presets: String = r.try_get(18)?;
    Ok(Some(CampaignRow {
        card: card(&r)?,
        org_id: r.try_get(15)?,
        org_cui: r.try_get(16)?,
        story_md: r.try_get(17)?,
        presets: presets.split(',').filter_map(|p| p.trim().parse().ok()).collect(),
        min_bani: r.try_get(19)?,
        max_bani: r.try_get(20)?,
        allow_monthly: r.try_get::<i64, _>(21)? == 1,
        thanks: r.try_get(22)?,
        currency: r.try_get(23)?,
    }))
}

pub async fn campaign_slug_taken(db: &Db, slug: &str) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query("SELECT 1 FROM donation_campaigns WHERE slug = $1")
        .bind(slug)
        .fetch_optional(&db.pool)
        .await?
        .is_some())
}

/// The editable fields of a campaign, already checked.
#[derive(Clone, Debug)]
pub struct CampaignInput {
    pub title: String,
    pub summary: String,
    pub story_md: String,
    pub cover_url: String,
    pub cover_alt: String,
    pub goal_bani: Option<i64>,
    pub ends_at: Option<i64>,
    pub presets: Vec<i64>,
    pub min_bani: i64,
    pub max_bani: i64,
    pub allow_monthly: bool,
    pub thanks: String,
}

fn presets_text(p: &[i64]) -> String {
    p.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

pub async fn create_campaign(
    db: &Db,
    org_id: i64,
    slug: &str,
    c: &CampaignInput,
    by: i64,
    is_demo: bool,
) -> Result<i64, sqlx::Error> {
    let now = now();
    let r = sqlx::query(
        "INSERT INTO donation_campaigns (slug, org_id, title, summary, story_md, cover_url, cover_alt, goal_bani, currency, ends_at,
            presets, min_bani, max_bani, allow_monthly, thanks, status, is_demo, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'RON', $9, $10, $11, $12, $13, $14, 'draft', $15, $16, $17, $17) RETURNING id",
    )
    .bind(slug)
    .bind(org_id)
    .bind(&c.title)
    .bind(&c.summary)
    .bind(&c.story_md)
    .bind(&c.cover_url)
    .bind(&c.cover_alt)
    .bind(c.goal_bani)
    .bind(c.ends_at)
    .bind(presets_text(&c.presets))
    .bind(c.min_bani)
    .bind(c.max_bani)
    .bind(i64::from(c.allow_monthly))
    .bind(&c.thanks)
    .bind(i64::from(is_demo))
    .bind(by)
    .bind(now)
    .fetch_one(&db.pool)
    .await?;
    r.try_get(0)
}

pub async fn update_campaign(db: &Db, id: i64, c: &CampaignInput) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE donation_campaigns SET title = $1, summary = $2, story_md = $3, cover_url = $4, cover_alt = $5, goal_bani = $6,
            ends_at = $7, presets = $8, min_bani = $9, max_bani = $10, allow_monthly = $11, thanks = $12, updated_at = $13
         WHERE id = $14",
    )
    .bind(&c.title)
    .bind(&c.summary)
    .bind(&c.story_md)
    .bind(&c.cover_url)
    .bind(&c.cover_alt)
    .bind(c.goal_bani)
    .bind(c.ends_at)
    .bind(presets_text(&c.presets))
    .bind(c.min_bani)
    .bind(c.max_bani)
    .bind(i64::from(c.allow_monthly))
    .bind(&c.thanks)
    .bind(now())
    .bind(id)
    .execute(&db.pool)
    .await?;
    Ok(())
}

pub async fn set_cover(db: &Db, id: i64, url: &str, alt: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE donation_campaigns SET cover_url = $1, cover_alt = $2, updated_at = $3 WHERE id = $4")
        .bind(url)
        .bind(alt)
        .bind(now())
        .bind(id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Moves a campaign to `to` only from `from` (the rule decided which moves exist).
pub async fn set_campaign_status(db: &Db, id: i64, from: &str, to: &str) -> Result<bool, sqlx::Error> {
    let r = sqlx::query("UPDATE donation_campaigns SET status = $1, updated_at = $2 WHERE id = $3 AND status = $4")
        .bind(to)
        .bind(now())
        .bind(id)
        .bind(from)
        .execute(&db.pool)
        .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn add_update(db: &Db, campaign_id: i64, body: &str, by: i64) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO donation_updates (campaign_id, body_md, created_by, created_at) VALUES ($1, $2, $3, $4)")
        .bind(campaign_id)
        .bind(body)
        .bind(by)
        .bind(now())
        .execute(&db.pool)
        .await?;
    Ok(())
}

pub async fn updates(db: &Db, campaign_id: i64) -> Result<Vec<(i64, String)>, sqlx::Error> {
    let rows = sqlx::query("SELECT created_at, body_md FROM donation_updates WHERE campaign_id = $1 ORDER BY created_at DESC, id DESC LIMIT 20")
        .bind(campaign_id)
        .fetch_all(&db.pool)
        .await?;
    rows.iter().map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).collect()
}

/// Names and messages of paid, non-anonymous donors the organisation has not hidden.
pub async fn wall(db: &Db, campaign_id: i64) -> Result<Vec<WallEntry>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT donor_name, message, paid_at FROM donations
         WHERE campaign_id = $1 AND status = 'paid' AND show_name = 1 AND hidden = 0 AND paid_at IS NOT NULL
         ORDER BY paid_at DESC, id DESC LIMIT 50",
    )
    .bind(campaign_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(|r| Ok(WallEntry { name: r.try_get(0)?, message: r.try_get(1)?, at: r.try_get(2)? })).collect()
}

/// The public ledger: every entry, newest first; a name only for donors who chose to show it.
pub async fn ledger(db: &Db, campaign_id: i64, limit: i64) -> Result<Vec<LedgerRow>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT l.created_at, l.amount_bani, l.entry, CASE WHEN d.show_name = 1 AND d.hidden = 0 THEN d.donor_name ELSE '' END, d.monthly
         FROM donation_ledger l JOIN donations d ON d.id = l.donation_id
         WHERE l.campaign_id = $1 ORDER BY l.created_at DESC, l.id DESC LIMIT $2",
    )
    .bind(campaign_id)
    .bind(limit)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            let name: String = r.try_get(3)?;
            Ok(LedgerRow {
                at: r.try_get(0)?,
                amount_bani: r.try_get(1)?,
                entry: r.try_get(2)?,
                name: (!name.is_empty()).then_some(name),
                monthly: r.try_get::<i64, _>(4)? == 1,
            })
        })
        .collect()
}

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
        Some(r.try_get(0)?)
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
    let id: i64 = r.try_get(0)?;
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
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)))
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

const DONATION_COLS: &str = "d.id, d.public_id, d.campaign_id, c.slug, c.title, c.org_id, o.name, o.cui, d.gift_id, d.amount_bani,
    d.fee_bani, d.total_bani, d.currency, d.monthly, d.status, d.provider, d.payment_ref, d.donor_name, d.donor_email, d.message,
    d.show_name, d.hidden, d.lang, d.created_at, d.paid_at, c.thanks";
const DONATION_FROM: &str =
    "FROM donations d JOIN donation_campaigns c ON c.id = d.campaign_id JOIN organisations o ON o.id = c.org_id";

fn donation_row(r: &AnyRow) -> Result<DonationRow, sqlx::Error> {
    Ok(DonationRow {
        id: r.try_get(0)?,
        public_id: r.try_get(1)?,
        campaign_id: r.try_get(2)?,
        campaign_slug: r.try_get(3)?,
        campaign_title: r.try_get(4)?,
        org_id: r.try_get(5)?,
        org_name: r.try_get(6)?,
        org_cui: r.try_get(7)?,
        gift_id: r.try_get(8)?,
        amount_bani: r.try_get(9)?,
        fee_bani: r.try_get(10)?,
        total_bani: r.try_get(11)?,
        currency: r.try_get(12)?,
        monthly: r.try_get::<i64, _>(13)? == 1,
        status: r.try_get(14)?,
        provider: r.try_get(15)?,
        payment_ref: r.try_get(16)?,
        donor_name: r.try_get(17)?,
        donor_email: r.try_get(18)?,
        message: r.try_get(19)?,
        show_name: r.try_get::<i64, _>(20)? == 1,
        hidden: r.try_get::<i64, _>(21)? == 1,
        lang: r.try_get(22)?,
        created_at: r.try_get(23)?,
        paid_at: r.try_get(24)?,
        thanks: r.try_get(25)?,
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

/// Ledger totals per campaign and month (Bucharest months are close enough to UTC ones for
/// totals; the month is taken in UTC so both databases agree).
pub async fn totals(db: &Db, org_id: i64) -> Result<Vec<TotalRow>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT c.title, l.created_at, l.amount_bani FROM donation_ledger l JOIN donation_campaigns c ON c.id = l.campaign_id
         WHERE c.org_id = $1 ORDER BY l.created_at",
    )
    .bind(org_id)
    .fetch_all(&db.pool)
    .await?;
    let mut out: Vec<TotalRow> = vec![];
    for r in rows {
        let title: String = r.try_get(0)?;
        let at: i64 = r.try_get(1)?;
        let amount: i64 = r.try_get(2)?;
        let (y, m, _) = crate::fmt::civil_from_days(at.div_euclid(86_400));
        let month = format!("{y:04}-{m:02}");
        match out.iter_mut().find(|t| t.campaign == title && t.month == month) {
            Some(t) => {
                t.total_bani += amount;
                t.entries += 1;
            }
            None => out.push(TotalRow { campaign: title, month, total_bani: amount, entries: 1 }),
        }
    }
    out.sort_by(|a, b| b.month.cmp(&a.month).then(a.campaign.cmp(&b.campaign)));
    Ok(out)
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
    "g.id, g.public_id, g.campaign_id, c.slug, c.title, o.name, g.amount_bani, g.fee_bani, g.currency, g.status,
    g.provider, g.provider_ref, g.donor_name, g.donor_email, g.lang, c.min_bani, c.max_bani, g.link_version
    FROM donation_gifts g JOIN donation_campaigns c ON c.id = g.campaign_id JOIN organisations o ON o.id = c.org_id";

fn gift_row(r: &AnyRow) -> Result<GiftRow, sqlx::Error> {
    Ok(GiftRow {
        id: r.try_get(0)?,
        public_id: r.try_get(1)?,
        campaign_id: r.try_get(2)?,
        campaign_slug: r.try_get(3)?,
        campaign_title: r.try_get(4)?,
        org_name: r.try_get(5)?,
        amount_bani: r.try_get(6)?,
        fee_bani: r.try_get(7)?,
        currency: r.try_get(8)?,
        status: r.try_get(9)?,
        provider: r.try_get(10)?,
        provider_ref: r.try_get(11)?,
        donor_name: r.try_get(12)?,
        donor_email: r.try_get(13)?,
        lang: r.try_get(14)?,
        min_bani: r.try_get(15)?,
        max_bani: r.try_get(16)?,
        link_version: r.try_get(17)?,
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

/// Applies a gift event with a conditional update; true when the state changed.
async fn gift_transition(
    tx: &mut Transaction<'static, Any>,
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
    .execute(&mut **tx)
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

/// What an event did, for the caller's side effects (mails) and the log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The event id was seen before: nothing happened.
    Duplicate,
    /// A donation became paid (and got its ledger entry).
    Paid(i64),
    /// A donation was refunded (and its ledger entry reversed).
    Refunded(i64),
    /// A monthly renewal failed: the donor is told.
    RenewalFailed(i64),
    /// Applied, or not applicable in the current state (a late event).
    Noted(&'static str),
    /// Amount, currency or donation do not match the database: nothing credited.
    Rejected(&'static str),
}

impl Outcome {
    fn label(&self) -> &'static str {
        match self {
            Outcome::Duplicate => "duplicate",
            Outcome::Paid(_) => "paid",
            Outcome::Refunded(_) => "refunded",
            Outcome::RenewalFailed(_) => "renewal_failed",
            Outcome::Noted(s) => s,
            Outcome::Rejected(s) => s,
        }
    }
}

struct Found {
    id: i64,
    campaign_id: i64,
    total: i64,
    currency: String,
    gift_id: Option<i64>,
}

async fn find_donation(
    tx: &mut Transaction<'static, Any>,
    provider: &str,
    public_id: Option<&str>,
    payment: Option<&str>,
) -> Result<Option<Found>, sqlx::Error> {
    let row = if let Some(p) = public_id {
        sqlx::query("SELECT id, campaign_id, total_bani, currency, gift_id FROM donations WHERE public_id = $1 AND provider = $2")
            .bind(p)
            .bind(provider)
            .fetch_optional(&mut **tx)
            .await?
    } else if let Some(p) = payment {
        sqlx::query("SELECT id, campaign_id, total_bani, currency, gift_id FROM donations WHERE payment_ref = $1 AND provider = $2")
            .bind(p)
            .bind(provider)
            .fetch_optional(&mut **tx)
            .await?
    } else {
        None
    };
    row.map(|r| {
        Ok(Found {
            id: r.try_get(0)?,
            campaign_id: r.try_get(1)?,
            total: r.try_get(2)?,
            currency: r.try_get(3)?,
            gift_id: r.try_get(4)?,
        })
    })
    .transpose()
}

fn status_list(to: DonationStatus) -> String {
    let v: Vec<String> = to.reachable_from().iter().map(|s| format!("'{}'", s.code())).collect();
    format!("({})", v.join(", "))
}

/// Moves a donation to `to` if the state machine allows it from where it is.
async fn transition(tx: &mut Transaction<'static, Any>, id: i64, to: DonationStatus) -> Result<bool, sqlx::Error> {
    let now = now();
    let paid_at = (to == DonationStatus::Paid).then_some(now);
    let r = sqlx::query(&format!(
        "UPDATE donations SET status = $1, updated_at = $2, paid_at = COALESCE($3, paid_at) WHERE id = $4 AND status IN {}",
        status_list(to)
    ))
    .bind(to.code())
    .bind(now)
    .bind(paid_at)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(r.rows_affected() == 1)
}

async fn mark_paid(
    tx: &mut Transaction<'static, Any>,
    d: &Found,
    payment: Option<&str>,
) -> Result<Outcome, sqlx::Error> {
    if let Some(p) = payment {
        sqlx::query("UPDATE donations SET payment_ref = COALESCE(payment_ref, $1) WHERE id = $2")
            .bind(p)
            .bind(d.id)
            .execute(&mut **tx)
            .await?;
    }
    if !transition(tx, d.id, DonationStatus::Paid).await? {
        return Ok(Outcome::Noted("late"));
    }
    sqlx::query(
        "INSERT INTO donation_ledger (campaign_id, donation_id, entry, amount_bani, currency, created_at)
         VALUES ($1, $2, 'gift', $3, $4, $5) ON CONFLICT (donation_id, entry) DO NOTHING",
    )
    .bind(d.campaign_id)
    .bind(d.id)
    .bind(d.total)
    .bind(&d.currency)
    .bind(now())
    .execute(&mut **tx)
    .await?;
    Ok(Outcome::Paid(d.id))
}

fn matches(d: &Found, amount: i64, currency: &str) -> bool {
    d.total == amount && d.currency.eq_ignore_ascii_case(currency)
}

/// The gift behind a subscription reference, or behind the donation named in its metadata (an
/// invoice may arrive before the checkout event that tells us the subscription's id).
async fn find_gift(
    tx: &mut Transaction<'static, Any>,
    provider: &str,
    subscription: &str,
    donation: Option<&str>,
) -> Result<Option<i64>, sqlx::Error> {
    let by_ref = sqlx::query("SELECT id FROM donation_gifts WHERE provider = $1 AND provider_ref = $2")
        .bind(provider)
        .bind(subscription)
        .fetch_optional(&mut **tx)
        .await?;
    if let Some(r) = by_ref {
        return Ok(Some(r.try_get(0)?));
    }
    let Some(d) = donation else { return Ok(None) };
    let r = sqlx::query("SELECT gift_id FROM donations WHERE public_id = $1 AND provider = $2")
        .bind(d)
        .bind(provider)
        .fetch_optional(&mut **tx)
        .await?;
    let gift: Option<i64> = match r {
        Some(r) => r.try_get(0)?,
        None => None,
    };
    if let Some(g) = gift {
        sqlx::query("UPDATE donation_gifts SET provider_ref = $1 WHERE id = $2 AND provider_ref IS NULL")
            .bind(subscription)
            .bind(g)
            .execute(&mut **tx)
            .await?;
    }
    Ok(gift)
}

/// Applies one verified event exactly once.
pub async fn apply_event(db: &Db, provider: &str, ev: &Event) -> Result<Outcome, sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    // The first statement writes, so on SQLite the transaction takes the write lock at once
    // (no read-then-upgrade deadlock between concurrent deliveries).
    let inserted = sqlx::query(
        "INSERT INTO payment_events (provider, event_id, kind, outcome, received_at) VALUES ($1, $2, $3, '', $4)
         ON CONFLICT (provider, event_id) DO NOTHING",
    )
    .bind(provider)
    .bind(&ev.id)
    .bind(&ev.kind)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    if inserted.rows_affected() == 0 {
        tx.rollback().await?;
        return Ok(Outcome::Duplicate);
    }
    let (outcome, donation_id) = apply_effect(&mut tx, provider, &ev.effect).await?;
    sqlx::query("UPDATE payment_events SET outcome = $1, donation_id = $2 WHERE provider = $3 AND event_id = $4")
        .bind(outcome.label())
        .bind(donation_id)
        .bind(provider)
        .bind(&ev.id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(outcome)
}

async fn apply_effect(
    tx: &mut Transaction<'static, Any>,
    provider: &str,
    effect: &Effect,
) -> Result<(Outcome, Option<i64>), sqlx::Error> {
    Ok(match effect {
        Effect::CheckoutCompleted { donation, paid, amount, currency, subscription, payment, .. } => {
            let Some(d) = find_donation(tx, provider, Some(donation), None).await? else {
                return Ok((Outcome::Rejected("unknown_donation"), None));
            };
            if !matches(&d, *amount, currency) {
                return Ok((Outcome::Rejected("mismatch"), Some(d.id)));
            }
            if let (Some(g), Some(sub)) = (d.gift_id, subscription) {
                sqlx::query("UPDATE donation_gifts SET provider_ref = $1 WHERE id = $2 AND provider_ref IS NULL")
                    .bind(sub)
                    .bind(g)
                    .execute(&mut **tx)
                    .await?;
                gift_transition(tx, g, GiftEvent::CheckoutCompleted, GiftStatus::Active).await?;
            }
            if *paid {
                (mark_paid(tx, &d, payment.as_deref()).await?, Some(d.id))
            } else {
                let moved = transition(tx, d.id, DonationStatus::Processing).await?;
                (Outcome::Noted(if moved { "processing" } else { "late" }), Some(d.id))
            }
        }
        Effect::AsyncSucceeded { donation, amount, currency, payment } => {
            let Some(d) = find_donation(tx, provider, Some(donation), None).await? else {
                return Ok((Outcome::Rejected("unknown_donation"), None));
            };
            if !matches(&d, *amount, currency) {
                return Ok((Outcome::Rejected("mismatch"), Some(d.id)));
            }
            (mark_paid(tx, &d, payment.as_deref()).await?, Some(d.id))
        }
        Effect::Failed { donation } | Effect::Expired { donation } => {
            let Some(d) = find_donation(tx, provider, Some(donation), None).await? else {
                return Ok((Outcome::Rejected("unknown_donation"), None));
            };
            let to = if matches!(effect, Effect::Failed { .. }) {
                DonationStatus::Failed
            } else {
                DonationStatus::Cancelled
            };
            let moved = transition(tx, d.id, to).await?;
            (Outcome::Noted(if moved { to.code() } else { "late" }), Some(d.id))
        }
        Effect::InvoicePaid { invoice, subscription, donation, first, amount, currency, payment } => {
            let Some(gift_id) = find_gift(tx, provider, subscription, donation.as_deref()).await? else {
                return Ok((Outcome::Rejected("unknown_subscription"), None));
            };
            gift_transition(tx, gift_id, GiftEvent::RenewalPaid, GiftStatus::Active).await?;
            if *first {
                // The first invoice pays the donation created at checkout.
                let Some(d) = find_donation(tx, provider, donation.as_deref(), None).await? else {
                    return Ok((Outcome::Rejected("unknown_donation"), None));
                };
                if d.gift_id != Some(gift_id) || !matches(&d, *amount, currency) {
                    return Ok((Outcome::Rejected("mismatch"), Some(d.id)));
                }
                (mark_paid(tx, &d, payment.as_deref()).await?, Some(d.id))
            } else {
                // A renewal: a new donation, unique by the invoice's reference.
                let Some(id) = renewal_donation(tx, provider, gift_id, invoice, *amount, currency).await? else {
                    return Ok((Outcome::Rejected("mismatch"), None));
                };
                let d = find_by_id(tx, id).await?;
                (mark_paid(tx, &d, payment.as_deref()).await?, Some(id))
            }
        }
        Effect::InvoiceFailed { subscription, donation } => {
            let Some(gift_id) = find_gift(tx, provider, subscription, donation.as_deref()).await? else {
                return Ok((Outcome::Rejected("unknown_subscription"), None));
            };
            if gift_transition(tx, gift_id, GiftEvent::RenewalFailed, GiftStatus::PastDue).await? {
                (Outcome::RenewalFailed(gift_id), None)
            } else {
                (Outcome::Noted("late"), None)
            }
        }
        Effect::SubscriptionEnded { subscription, donation } => {
            let Some(gift_id) = find_gift(tx, provider, subscription, donation.as_deref()).await? else {
                return Ok((Outcome::Rejected("unknown_subscription"), None));
            };
            let moved = gift_transition(tx, gift_id, GiftEvent::Cancelled, GiftStatus::Cancelled).await?;
            (Outcome::Noted(if moved { "cancelled" } else { "late" }), None)
        }
        Effect::Refunded { donation, payment, amount } => {
            let Some(d) = find_donation(tx, provider, donation.as_deref(), payment.as_deref()).await? else {
                return Ok((Outcome::Rejected("unknown_donation"), None));
            };
            if !transition(tx, d.id, DonationStatus::Refunded).await? {
                return Ok((Outcome::Noted("late"), Some(d.id)));
            }
            // Reverse what the ledger credited (nothing if the payment event has not arrived: it never will count now).
            let reversed = if *amount > 0 { (*amount).min(d.total) } else { d.total };
            sqlx::query(
                "INSERT INTO donation_ledger (campaign_id, donation_id, entry, amount_bani, currency, created_at)
                 SELECT campaign_id, donation_id, 'refund', $1, currency, $2 FROM donation_ledger WHERE donation_id = $3 AND entry = 'gift'
                 ON CONFLICT (donation_id, entry) DO NOTHING",
            )
            .bind(-reversed)
            .bind(now())
            .bind(d.id)
            .execute(&mut **tx)
            .await?;
            (Outcome::Refunded(d.id), Some(d.id))
        }
        Effect::Ignored => (Outcome::Noted("ignored"), None),
    })
}

async fn find_by_id(tx: &mut Transaction<'static, Any>, id: i64) -> Result<Found, sqlx::Error> {
    let r = sqlx::query("SELECT id, campaign_id, total_bani, currency, gift_id FROM donations WHERE id = $1")
        .bind(id)
        .fetch_one(&mut **tx)
        .await?;
    Ok(Found {
        id: r.try_get(0)?,
        campaign_id: r.try_get(1)?,
        total: r.try_get(2)?,
        currency: r.try_get(3)?,
        gift_id: r.try_get(4)?,
    })
}

/// Creates (once per invoice) the donation of a monthly renewal, copying the gift's donor.
async fn renewal_donation(
    tx: &mut Transaction<'static, Any>,
    provider: &str,
    gift_id: i64,
    invoice: &str,
    amount: i64,
    currency: &str,
) -> Result<Option<i64>, sqlx::Error> {
    let g = sqlx::query("SELECT amount_bani, fee_bani, currency FROM donation_gifts WHERE id = $1")
        .bind(gift_id)
        .fetch_one(&mut **tx)
        .await?;
    let (gift, fee, cur): (i64, i64, String) = (g.try_get(0)?, g.try_get(1)?, g.try_get(2)?);
    if gift + fee != amount || !cur.eq_ignore_ascii_case(currency) {
        return Ok(None);
    }
    let now = now();
    sqlx::query(
        "INSERT INTO donations (public_id, campaign_id, gift_id, amount_bani, fee_bani, total_bani, currency, monthly, status, provider,
            provider_ref, idempotency_key, donor_name, donor_email, message, show_name, lang, consent_version, consent_at, newsletter,
            ip_hash, is_demo, created_at, updated_at)
         SELECT $1, g.campaign_id, g.id, g.amount_bani, g.fee_bani, $2, g.currency, 1, 'pending', g.provider, $3, $4, g.donor_name,
            g.donor_email, '', g.show_name, g.lang, d.consent_version, d.consent_at, 0, '', 0, $5, $5
         FROM donation_gifts g JOIN donations d ON d.gift_id = g.id
         WHERE g.id = $6 ORDER BY d.id LIMIT 1
         ON CONFLICT (provider, provider_ref) DO NOTHING",
    )
    .bind(crate::ssr::public_id())
    .bind(amount)
    .bind(invoice)
    .bind(format!("renewal:{provider}:{invoice}"))
    .bind(now)
    .bind(gift_id)
    .execute(&mut **tx)
    .await?;
    let r = sqlx::query("SELECT id FROM donations WHERE provider = $1 AND provider_ref = $2")
        .bind(provider)
        .bind(invoice)
        .fetch_one(&mut **tx)
        .await?;
    Ok(Some(r.try_get(0)?))
}

/// Paid donations per campaign (the ledger's sum), for tests and the benchmark.
pub async fn raised(db: &Db, campaign_id: i64) -> Result<i64, sqlx::Error> {
    let r =
        sqlx::query("SELECT CAST(COALESCE(SUM(amount_bani), 0) AS BIGINT) FROM donation_ledger WHERE campaign_id = $1")
            .bind(campaign_id)
            .fetch_one(&db.pool)
            .await?;
    r.try_get(0)
}

/// Where the organisation's "new donation" notice goes: its admins (in their languages), or its
/// public contact address when nobody administers it on the platform yet.
pub async fn org_admin_emails(db: &Db, org_id: i64) -> Result<Vec<(String, String)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT u.email, u.lang FROM roles r JOIN users u ON u.id = r.user_id
         WHERE r.role = 'org_admin' AND r.scope_id = $1 AND u.deleted_at IS NULL AND u.email_verified_at IS NOT NULL",
    )
    .bind(org_id)
    .fetch_all(&db.pool)
    .await?;
    let admins: Vec<(String, String)> =
        rows.iter().map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).collect::<Result<_, sqlx::Error>>()?;
    if !admins.is_empty() {
        return Ok(admins);
    }
    let contact: Option<String> = sqlx::query_scalar("SELECT contact_email FROM organisations WHERE id = $1")
        .bind(org_id)
        .fetch_optional(&db.pool)
        .await?;
    Ok(contact.filter(|e| e.contains('@')).map(|e| (e, "ro".to_string())).into_iter().collect())
}

/// The consent evidence (keyed IP hash) when the donor ticked the newsletter box on this
/// donation; `None` otherwise.
pub async fn newsletter_request(db: &Db, donation_id: i64) -> Result<Option<String>, sqlx::Error> {
    sqlx::query("SELECT ip_hash FROM donations WHERE id = $1 AND newsletter = 1")
        .bind(donation_id)
        .fetch_optional(&db.pool)
        .await?
        .map(|r| r.try_get(0))
        .transpose()
}

/// The campaign's organisation id (for authorisation).
pub async fn campaign_org(db: &Db, campaign_id: i64) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query("SELECT org_id FROM donation_campaigns WHERE id = $1")
        .bind(campaign_id)
        .fetch_optional(&db.pool)
        .await?
        .map(|r| r.try_get(0))
        .transpose()
}

pub async fn org_by_slug(db: &Db, slug: &str) -> Result<Option<(i64, String)>, sqlx::Error> {
    sqlx::query("SELECT id, name FROM organisations WHERE slug = $1")
        .bind(slug)
        .fetch_optional(&db.pool)
        .await?
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .transpose()
}

pub async fn org_by_id(db: &Db, id: i64) -> Result<Option<(String, String)>, sqlx::Error> {
    sqlx::query("SELECT slug, name FROM organisations WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .transpose()
}
