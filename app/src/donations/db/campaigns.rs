//! Campaigns: the cards of the list and the organisation page, a campaign's settings, its
//! updates, the donor wall and the public ledger.
use super::super::{CampaignCard, CampaignFilter, LedgerRow, WallEntry};
use crate::ssr::{now, Db};
use sqlx::any::AnyRow;
use sqlx::Row;

const CARD_COLS: &str =
    "c.id, c.slug, c.title, c.summary, o.name AS org_name, o.slug AS org_slug, c.cover_url, c.cover_alt, c.status,
    c.goal_bani, c.ends_at, o.locality, c.is_demo,
    CAST(COALESCE((SELECT SUM(l.amount_bani) FROM donation_ledger l WHERE l.campaign_id = c.id), 0) AS BIGINT) AS raised_bani,
    (SELECT COUNT(DISTINCT d.donor_email) FROM donations d WHERE d.campaign_id = c.id AND d.status = 'paid') AS donors";

fn card(r: &AnyRow) -> Result<CampaignCard, sqlx::Error> {
    Ok(CampaignCard {
        id: r.try_get("id")?,
        slug: r.try_get("slug")?,
        title: r.try_get("title")?,
        summary: r.try_get("summary")?,
        org_name: r.try_get("org_name")?,
        org_slug: r.try_get("org_slug")?,
        cover_url: r.try_get("cover_url")?,
        cover_alt: r.try_get("cover_alt")?,
        status: r.try_get("status")?,
        goal_bani: r.try_get("goal_bani")?,
        ends_at: r.try_get("ends_at")?,
        locality: r.try_get("locality")?,
        is_demo: r.try_get::<i64, _>("is_demo")? == 1,
        raised_bani: r.try_get("raised_bani")?,
        donors: r.try_get("donors")?,
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
    rows.iter().map(|r| r.try_get("locality")).collect()
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
        "SELECT {CARD_COLS}, c.org_id, o.cui AS org_cui, c.story_md, c.presets, c.min_bani, c.max_bani, c.allow_monthly, c.thanks, c.currency
         FROM donation_campaigns c JOIN organisations o ON o.id = c.org_id WHERE c.slug = $1"
    ))
    .bind(slug)
    .fetch_optional(&db.pool)
    .await?
    else {
        return Ok(None);
    };
    let presets: String = r.try_get("presets")?;
    Ok(Some(CampaignRow {
        card: card(&r)?,
        org_id: r.try_get("org_id")?,
        org_cui: r.try_get("org_cui")?,
        story_md: r.try_get("story_md")?,
        presets: presets.split(',').filter_map(|p| p.trim().parse().ok()).collect(),
        min_bani: r.try_get("min_bani")?,
        max_bani: r.try_get("max_bani")?,
        allow_monthly: r.try_get::<i64, _>("allow_monthly")? == 1,
        thanks: r.try_get("thanks")?,
        currency: r.try_get("currency")?,
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
    r.try_get("id")
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
    rows.iter().map(|r| Ok((r.try_get("created_at")?, r.try_get("body_md")?))).collect()
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
    rows.iter()
        .map(|r| {
            Ok(WallEntry { name: r.try_get("donor_name")?, message: r.try_get("message")?, at: r.try_get("paid_at")? })
        })
        .collect()
}

/// The public ledger: every entry, newest first; a name only for donors who chose to show it.
pub async fn ledger(db: &Db, campaign_id: i64, limit: i64) -> Result<Vec<LedgerRow>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT l.created_at, l.amount_bani, l.entry, CASE WHEN d.show_name = 1 AND d.hidden = 0 THEN d.donor_name ELSE '' END AS donor_name, d.monthly
         FROM donation_ledger l JOIN donations d ON d.id = l.donation_id
         WHERE l.campaign_id = $1 ORDER BY l.created_at DESC, l.id DESC LIMIT $2",
    )
    .bind(campaign_id)
    .bind(limit)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            let name: String = r.try_get("donor_name")?;
            Ok(LedgerRow {
                at: r.try_get("created_at")?,
                amount_bani: r.try_get("amount_bani")?,
                entry: r.try_get("entry")?,
                name: (!name.is_empty()).then_some(name),
                monthly: r.try_get::<i64, _>("monthly")? == 1,
            })
        })
        .collect()
}

/// Paid donations per campaign (the ledger's sum), for tests and the benchmark.
pub async fn raised(db: &Db, campaign_id: i64) -> Result<i64, sqlx::Error> {
    let r = sqlx::query(
        "SELECT CAST(COALESCE(SUM(amount_bani), 0) AS BIGINT) AS raised FROM donation_ledger WHERE campaign_id = $1",
    )
    .bind(campaign_id)
    .fetch_one(&db.pool)
    .await?;
    r.try_get("raised")
}

/// Money raised on every campaign since `since` (the ledger's sum, refunds included; the home
/// page's figure).
pub async fn raised_since(db: &Db, since: i64) -> Result<i64, sqlx::Error> {
    let r = sqlx::query(
        "SELECT CAST(COALESCE(SUM(amount_bani), 0) AS BIGINT) AS raised FROM donation_ledger WHERE created_at >= $1",
    )
    .bind(since)
    .fetch_one(&db.pool)
    .await?;
    r.try_get("raised")
}
