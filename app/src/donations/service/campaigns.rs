//! Campaigns: the public list, the organisation page's cards, a campaign's page, and what its
//! managers do (save, move its status, post an update).
use super::super::rules::{self, states::CampaignStatus, CampaignForm};
use super::super::{db, CampaignCard, CampaignFilter, CampaignList, CampaignPage, DonationsError};
use super::{manager_of, viewer_manages};
use crate::error::{FormState, Problem};

pub async fn list_campaigns(filter: &CampaignFilter) -> Result<CampaignList, DonationsError> {
    let st = crate::ssr::state();
    let cards = db::campaigns(&st.db, filter).await?;
    let all = db::campaigns(&st.db, &CampaignFilter::default()).await?;
    let mut orgs: Vec<(String, String)> = all.iter().map(|c| (c.org_slug.clone(), c.org_name.clone())).collect();
    orgs.sort_by(|a, b| a.1.cmp(&b.1));
    orgs.dedup();
    Ok(CampaignList { cards, localities: db::campaign_localities(&st.db).await?, orgs })
}

/// The organisation page's campaigns: public ones, and drafts too for its managers.
pub async fn org_campaign_cards(org_id: i64) -> Result<(bool, Vec<CampaignCard>), DonationsError> {
    let st = crate::ssr::state();
    let manage = viewer_manages(org_id).await?;
    Ok((manage, db::org_campaigns(&st.db, org_id, manage).await?))
}

pub async fn get_campaign(slug: &str) -> Result<CampaignPage, DonationsError> {
    let st = crate::ssr::state();
    let c = db::campaign(&st.db, slug).await?.ok_or(DonationsError(Problem::NotFound))?;
    let can_manage = viewer_manages(c.org_id).await?;
    if !rules::campaign_visible(&c.card.status, can_manage) {
        return Err(DonationsError(Problem::NotFound));
    }
    let now = crate::ssr::now();
    let status = CampaignStatus::parse(&c.card.status).unwrap_or(CampaignStatus::Draft);
    let provider = &st.payments.provider;
    let updates = db::updates(&st.db, c.card.id)
        .await?
        .into_iter()
        .map(|(at, md)| (at, crate::ssr::markdown::render(&md)))
        .collect();
    Ok(CampaignPage {
        story_html: crate::ssr::markdown::render(&c.story_md),
        story_md: c.story_md.clone(),
        wall: db::wall(&st.db, c.card.id).await?,
        ledger: db::ledger(&st.db, c.card.id, 100).await?,
        updates,
        org_id: c.org_id,
        presets: c.presets,
        min_bani: c.min_bani,
        max_bani: c.max_bani,
        allow_monthly: c.allow_monthly,
        thanks: c.thanks,
        can_manage,
        test_mode: provider.test_mode(),
        payments_off: !provider.enabled(),
        monthly_supported: provider.supports_monthly(),
        fee_rule: provider.fee_rule(),
        accepts: status.accepts_gifts(c.card.ends_at, now) && provider.enabled(),
        days_left: rules::days_left(c.card.ends_at, now),
        share_url: format!("{}/campaigns/{}", st.settings.public_url.trim_end_matches('/'), c.card.slug),
        attempt: crate::ssr::random_token(),
        card: c.card,
    })
}

/// The editor's data: nothing for a new campaign (`slug` empty), else the campaign; managers only.
pub async fn campaign_for_edit(slug: &str, org: i64) -> Result<Option<CampaignPage>, DonationsError> {
    if slug.is_empty() {
        manager_of(org).await?;
        return Ok(None);
    }
    let page = get_campaign(slug).await?;
    manager_of(page.org_id).await?;
    Ok(Some(page))
}

/// The form's values, sent back with its problems.
fn campaign_form_state(f: &CampaignForm) -> FormState {
    FormState::new()
        .value("title", &f.title)
        .value("summary", &f.summary)
        .value("story", &f.story)
        .value("cover_url", &f.cover_url)
        .value("cover_alt", &f.cover_alt)
        .value("goal", &f.goal)
        .value("ends_on", &f.ends_on)
        .value("presets", &f.presets)
        .value("min", &f.min)
        .value("max", &f.max)
        .value("allow_monthly", if f.allow_monthly { "1" } else { "" })
        .value("thanks", &f.thanks)
}

/// Creates (empty `slug`) or edits a campaign; only the organisation's admins (or platform
/// admins). Returns the editor's address to go back to.
pub async fn save_campaign(org_id: i64, slug: &str, f: &CampaignForm) -> Result<String, DonationsError> {
    let st = crate::ssr::state();
    let existing = if slug.is_empty() { None } else { db::campaign(&st.db, slug).await? };
    if !slug.is_empty() && existing.is_none() {
        return Err(DonationsError(Problem::NotFound));
    }
    let org_id = existing.as_ref().map(|c| c.org_id).unwrap_or(org_id);
    let me = manager_of(org_id).await?;
    let checked = match rules::check_campaign(f, crate::ssr::now()) {
        Ok(c) => c,
        Err(errs) => {
            let mut form = campaign_form_state(f);
            for (field, k) in errs {
                form.add(field, k);
            }
            return Err(form.into());
        }
    };
    let input = db::CampaignInput {
        title: checked.title.clone(),
        summary: checked.summary,
        story_md: checked.story,
        cover_url: checked.cover_url,
        cover_alt: checked.cover_alt,
        goal_bani: checked.goal_bani,
        ends_at: checked.ends_at,
        presets: checked.presets,
        min_bani: checked.min_bani,
        max_bani: checked.max_bani,
        allow_monthly: checked.allow_monthly,
        thanks: checked.thanks,
    };
    let slug = match existing {
        Some(c) => {
            db::update_campaign(&st.db, c.card.id, &input).await?;
            c.card.slug
        }
        None => {
            if db::org_by_id(&st.db, org_id).await?.is_none() {
                return Err(DonationsError(Problem::NotFound));
            }
            let base = rules::campaign_slug_base(&checked.title);
            let mut slug = base.clone();
            let mut n = 2;
            while db::campaign_slug_taken(&st.db, &slug).await? {
                slug = format!("{base}-{n}");
                n += 1;
            }
            db::create_campaign(&st.db, org_id, &slug, &input, me.id, false).await?;
            slug
        }
    };
    Ok(format!("/campaigns/{slug}/edit?saved=1"))
}

/// Moves a campaign along its life (publish, end, reopen, archive); returns the editor's address.
pub async fn set_campaign_status(campaign_id: i64, status: &str) -> Result<String, DonationsError> {
    let st = crate::ssr::state();
    let org_id = db::campaign_org(&st.db, campaign_id).await?.ok_or(DonationsError(Problem::NotFound))?;
    manager_of(org_id).await?;
    let to = CampaignStatus::parse(status).ok_or(DonationsError(Problem::NotFound))?;
    let cards = db::org_campaigns(&st.db, org_id, true).await?;
    let c = cards.into_iter().find(|c| c.id == campaign_id).ok_or(DonationsError(Problem::NotFound))?;
    let from = CampaignStatus::parse(&c.status).unwrap_or(CampaignStatus::Draft);
    if !from.can_become(to) || !db::set_campaign_status(&st.db, campaign_id, from.code(), to.code()).await? {
        return Err(DonationsError(Problem::Refused(crate::i18n::K::donations_err_status)));
    }
    Ok(format!("/campaigns/{}/edit?saved=1", c.slug))
}

/// An update for the campaign's donors (ten a day); returns the editor's address.
pub async fn post_campaign_update(campaign_id: i64, body: &str) -> Result<String, DonationsError> {
    let st = crate::ssr::state();
    let org_id = db::campaign_org(&st.db, campaign_id).await?.ok_or(DonationsError(Problem::NotFound))?;
    let me = manager_of(org_id).await?;
    let mut form = FormState::new().value("body", body);
    if let Some(wait) =
        crate::ssr::rate_limit::hit(&st.db, &format!("campaign.update:{campaign_id}"), 10, 86_400).await?
    {
        return Err(DonationsError(Problem::rate_limited(wait, form)));
    }
    let body = match rules::check_update_body(body) {
        Ok(b) => b,
        Err(k) => {
            form.add("body", k);
            return Err(form.into());
        }
    };
    db::add_update(&st.db, campaign_id, &body, me.id).await?;
    let slug = db::org_campaigns(&st.db, org_id, true)
        .await?
        .into_iter()
        .find(|c| c.id == campaign_id)
        .map(|c| c.slug)
        .unwrap_or_default();
    Ok(format!("/campaigns/{slug}/edit?posted=1"))
}

/// The home page's figure: money raised on the platform this calendar month (Bucharest time).
pub async fn raised_this_month(db: &crate::ssr::Db) -> Result<i64, sqlx::Error> {
    db::raised_since(db, crate::fmt::bucharest_month_start(crate::ssr::now())).await
}
