//! Donations: campaigns of organisations, a hosted-checkout donation flow confirmed by signed
//! webhooks, receipts, monthly gifts managed without an account, an append-only public ledger.
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod http;
pub mod manage;
pub mod money;
pub mod org;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod receipt;
pub mod rules;
pub mod states;

#[cfg(feature = "ssr")]
use crate::error::{FormState, Problem};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The campaigns section of an organisation's page (assembled in `site::organisation`).
pub use org::OrgCampaigns;

crate::feature_error!(DonationsError);

/// Every kind of e-mail this feature sends (the notification centre offers a setting per optional kind).
#[cfg(feature = "ssr")]
pub const MAIL_KINDS: &[crate::ssr::mail::kinds::MailKind] = {
    use crate::i18n::K;
    use crate::ssr::mail::kinds::MailKind;
    &[
        MailKind::essential("donations.receipt", K::notify_group_donations, K::notify_kind_donations_receipt),
        MailKind::essential(
            "donations.renewal_failed",
            K::notify_group_donations,
            K::notify_kind_donations_renewal_failed,
        ),
        MailKind::optional("donations.org_received", K::notify_group_donations, K::notify_kind_donations_org_received),
        MailKind::essential("donations.gift_changed", K::notify_group_donations, K::notify_kind_donations_gift_changed),
    ]
};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CampaignFilter {
    pub org: String,
    pub domain: String,
    pub locality: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CampaignCard {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub org_name: String,
    pub org_slug: String,
    pub cover_url: String,
    pub cover_alt: String,
    pub status: String,
    pub goal_bani: Option<i64>,
    pub ends_at: Option<i64>,
    pub locality: String,
    pub is_demo: bool,
    pub raised_bani: i64,
    pub donors: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CampaignList {
    pub cards: Vec<CampaignCard>,
    pub localities: Vec<String>,
    pub orgs: Vec<(String, String)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WallEntry {
    pub name: String,
    pub message: String,
    pub at: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LedgerRow {
    pub at: i64,
    pub amount_bani: i64,
    /// `gift` or `refund`.
    pub entry: String,
    /// `None` for anonymous donors.
    pub name: Option<String>,
    pub monthly: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CampaignPage {
    pub card: CampaignCard,
    pub org_id: i64,
    pub story_html: String,
    pub story_md: String,
    pub presets: Vec<i64>,
    pub min_bani: i64,
    pub max_bani: i64,
    pub allow_monthly: bool,
    pub thanks: String,
    pub updates: Vec<(i64, String)>,
    pub wall: Vec<WallEntry>,
    pub ledger: Vec<LedgerRow>,
    pub can_manage: bool,
    pub test_mode: bool,
    /// No payment provider is configured: the page says online giving is not available yet.
    pub payments_off: bool,
    pub monthly_supported: bool,
    pub fee_rule: money::FeeRule,
    pub accepts: bool,
    pub days_left: Option<i64>,
    pub share_url: String,
    /// A fresh idempotency key for the donation form on this page load.
    pub attempt: String,
}

/// Values put back into the donation form (a retry after a decline, or a refused submit).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DonorPrefill {
    pub amount: String,
    pub monthly: bool,
    pub cover_fee: bool,
    pub name: String,
    pub email: String,
    pub message: String,
    pub show_name: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReturnView {
    pub status: String,
    pub campaign_slug: String,
    pub campaign_title: String,
    pub thanks: String,
    pub total_bani: i64,
    pub monthly: bool,
    pub test_mode: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DashboardFilter {
    pub campaign: String,
    pub status: String,
    pub kind: String,
    pub q: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DashboardRow {
    pub id: i64,
    pub public_id: String,
    pub campaign_title: String,
    pub total_bani: i64,
    pub fee_bani: i64,
    pub monthly: bool,
    pub status: String,
    pub donor_name: String,
    pub donor_email: String,
    pub message: String,
    pub show_name: bool,
    pub hidden: bool,
    pub created_at: i64,
    /// Paid, and the active provider can refund it from here.
    pub refundable: bool,
    /// Paid, but refunded in the provider's own dashboard (the provider has no refund call here).
    pub refund_elsewhere: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TotalRow {
    pub campaign: String,
    pub month: String,
    pub total_bani: i64,
    pub entries: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    pub org_id: i64,
    pub org_slug: String,
    pub org_name: String,
    pub rows: Vec<DashboardRow>,
    pub totals: Vec<TotalRow>,
    pub campaigns: Vec<CampaignCard>,
    pub grand_total: i64,
}

#[cfg(feature = "ssr")]
pub(crate) async fn manager_of(org_id: i64) -> Result<crate::accounts::SessionUser, DonationsError> {
    let me = crate::accounts::session::current_user().await?.ok_or(DonationsError(Problem::Unauthenticated))?;
    if crate::orgs::members::can_manage(&me, org_id) {
        Ok(me)
    } else {
        Err(DonationsError(Problem::Forbidden))
    }
}

#[server]
pub async fn list_campaigns(filter: CampaignFilter) -> Result<CampaignList, DonationsError> {
    let st = crate::ssr::state();
    let cards = db::campaigns(&st.db, &filter).await?;
    let all = db::campaigns(&st.db, &CampaignFilter::default()).await?;
    let mut orgs: Vec<(String, String)> = all.iter().map(|c| (c.org_slug.clone(), c.org_name.clone())).collect();
    orgs.sort_by(|a, b| a.1.cmp(&b.1));
    orgs.dedup();
    Ok(CampaignList { cards, localities: db::campaign_localities(&st.db).await?, orgs })
}

/// The organisation page's campaigns: public ones, and drafts too for its managers.
#[server]
pub async fn org_campaign_cards(org_id: i64) -> Result<(bool, Vec<CampaignCard>), DonationsError> {
    let st = crate::ssr::state();
    let me = crate::accounts::session::current_user().await?;
    let manage = me.as_ref().is_some_and(|u| crate::orgs::members::can_manage(u, org_id));
    Ok((manage, db::org_campaigns(&st.db, org_id, manage).await?))
}

#[server]
pub async fn get_campaign(slug: String) -> Result<CampaignPage, DonationsError> {
    let st = crate::ssr::state();
    let c = db::campaign(&st.db, &slug).await?.ok_or(DonationsError(Problem::NotFound))?;
    let me = crate::accounts::session::current_user().await?;
    let can_manage = me.as_ref().is_some_and(|u| crate::orgs::members::can_manage(u, c.org_id));
    if c.card.status == "draft" && !can_manage {
        return Err(DonationsError(Problem::NotFound));
    }
    let now = crate::ssr::now();
    let status = states::CampaignStatus::parse(&c.card.status).unwrap_or(states::CampaignStatus::Draft);
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

#[cfg(feature = "ssr")]
fn campaign_form_state(f: &rules::CampaignForm) -> FormState {
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

/// Creates (empty `slug`) or edits a campaign; only the organisation's admins (or platform admins).
#[server]
#[allow(clippy::too_many_arguments)]
pub async fn save_campaign(
    org_id: i64,
    slug: String,
    title: String,
    summary: String,
    story: String,
    cover_url: String,
    cover_alt: String,
    goal: String,
    ends_on: String,
    presets: String,
    min: String,
    max: String,
    #[server(default)] allow_monthly: Option<String>,
    thanks: String,
) -> Result<(), DonationsError> {
    let st = crate::ssr::state();
    let existing = if slug.is_empty() { None } else { db::campaign(&st.db, &slug).await? };
    if !slug.is_empty() && existing.is_none() {
        return Err(DonationsError(Problem::NotFound));
    }
    let org_id = existing.as_ref().map(|c| c.org_id).unwrap_or(org_id);
    let me = manager_of(org_id).await?;
    let f = rules::CampaignForm {
        title,
        summary,
        story,
        cover_url,
        cover_alt,
        goal,
        ends_on,
        presets,
        min,
        max,
        allow_monthly: allow_monthly.is_some(),
        thanks,
    };
    let mut form = campaign_form_state(&f);
    let checked = match rules::check_campaign(&f, crate::ssr::now()) {
        Ok(c) => c,
        Err(errs) => {
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
            let base = crate::types::Slug::from_name(&checked.title)
                .map(|s| s.as_str().to_string())
                .unwrap_or_else(|| "campanie".into());
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
    leptos_axum::redirect(&format!("/campaigns/{slug}/edit?saved=1"));
    Ok(())
}

#[server]
pub async fn set_campaign_status(campaign_id: i64, status: String) -> Result<(), DonationsError> {
    let st = crate::ssr::state();
    let org_id = db::campaign_org(&st.db, campaign_id).await?.ok_or(DonationsError(Problem::NotFound))?;
    manager_of(org_id).await?;
    let to = states::CampaignStatus::parse(&status).ok_or(DonationsError(Problem::NotFound))?;
    let cards = db::org_campaigns(&st.db, org_id, true).await?;
    let c = cards.into_iter().find(|c| c.id == campaign_id).ok_or(DonationsError(Problem::NotFound))?;
    let from = states::CampaignStatus::parse(&c.status).unwrap_or(states::CampaignStatus::Draft);
    if !from.can_become(to) || !db::set_campaign_status(&st.db, campaign_id, from.code(), to.code()).await? {
        return Err(DonationsError(Problem::Refused(crate::i18n::K::donations_err_status)));
    }
    leptos_axum::redirect(&format!("/campaigns/{}/edit?saved=1", c.slug));
    Ok(())
}

#[server]
pub async fn post_campaign_update(campaign_id: i64, body: String) -> Result<(), DonationsError> {
    let st = crate::ssr::state();
    let org_id = db::campaign_org(&st.db, campaign_id).await?.ok_or(DonationsError(Problem::NotFound))?;
    let me = manager_of(org_id).await?;
    let mut form = FormState::new().value("body", &body);
    if let Some(wait) =
        crate::ssr::rate_limit::hit(&st.db, &format!("campaign.update:{campaign_id}"), 10, 86_400).await?
    {
        return Err(DonationsError(Problem::rate_limited(wait, form)));
    }
    let body: String = body.trim().chars().take(10_000).collect();
    if body.chars().count() < 10 {
        form.add("body", crate::i18n::K::donations_err_update);
        return Err(form.into());
    }
    db::add_update(&st.db, campaign_id, &body, me.id).await?;
    let slug = db::org_campaigns(&st.db, org_id, true)
        .await?
        .into_iter()
        .find(|c| c.id == campaign_id)
        .map(|c| c.slug)
        .unwrap_or_default();
    leptos_axum::redirect(&format!("/campaigns/{slug}/edit?posted=1"));
    Ok(())
}

/// Step 3 of the flow: checks the gift, applies the card-testing limits, creates the pending
/// donation with the amount computed here, and sends the donor to the provider's checkout.
#[server]
#[allow(clippy::too_many_arguments)]
pub async fn donate(
    campaign: String,
    attempt: String,
    amount: String,
    #[server(default)] custom_amount: String,
    frequency: String,
    #[server(default)] cover_fee: Option<String>,
    name: String,
    email: String,
    #[server(default)] message: String,
    #[server(default)] show_name: Option<String>,
    #[server(default)] consent: Option<String>,
    #[server(default)] newsletter: Option<String>,
    #[server(default)] website: String,
) -> Result<(), DonationsError> {
    use crate::i18n::K;
    use crate::ssr::payments::CheckoutRequest;
    let st = crate::ssr::state();
    let monthly = frequency == "monthly";
    let mut form = FormState::new()
        .value("amount", &amount)
        .value("custom_amount", &custom_amount)
        .value("frequency", &frequency)
        .value("cover_fee", if cover_fee.is_some() { "1" } else { "" })
        .value("name", &name)
        .value("email", &email)
        .value("message", &message)
        .value("show_name", if show_name.is_some() { "1" } else { "" })
        .value("newsletter", if newsletter.is_some() { "1" } else { "" });
    let c = db::campaign(&st.db, &campaign).await?.ok_or(DonationsError(Problem::NotFound))?;
    let status = states::CampaignStatus::parse(&c.card.status).unwrap_or(states::CampaignStatus::Draft);
    if !status.accepts_gifts(c.card.ends_at, crate::ssr::now()) {
        return Err(DonationsError(Problem::Refused(K::donations_err_closed)));
    }
    if !st.payments.provider.enabled() {
        return Err(DonationsError(Problem::Refused(K::donations_err_payments_off)));
    }
    // Honeypot: the same generic answer a card tester gets, nothing created.
    if !website.is_empty() {
        form.add("payment", K::donations_err_not_accepted);
        return Err(form.into());
    }
    let raw = if amount == "other" || amount.is_empty() { custom_amount.clone() } else { amount.clone() };
    let gift = if amount != "other" && !amount.is_empty() {
        // A preset travels as bani and must be one of the campaign's presets.
        amount
            .parse::<i64>()
            .ok()
            .filter(|b| c.presets.contains(b))
            .map(money::Bani)
            .ok_or(K::donations_err_amount_invalid)
    } else {
        money::Bani::parse_lei(&raw)
    }
    .and_then(|b| money::check_bounds(b, c.min_bani, c.max_bani));
    let gift = form.check(if amount == "other" || amount.is_empty() { "custom_amount" } else { "amount" }, gift);
    if monthly && !(c.allow_monthly && st.payments.provider.supports_monthly()) {
        form.add("frequency", K::donations_err_monthly);
    }
    let name = form.check("name", rules::donor_name(&name));
    let email = form.check("email", crate::types::Email::parse(&email));
    if consent.as_deref() != Some("yes") {
        form.add("consent", K::donations_err_consent);
    }
    let (Some(gift), Some(name), Some(email)) = (gift, name, email) else { return Err(form.into()) };
    if !form.is_ok() {
        return Err(form.into());
    }
    // A double submit of the same page: back to the checkout already opened.
    if let Some((public_id, status, url)) = db::checkout_by_key(&st.db, &attempt).await? {
        let target = if status == "pending" && !url.is_empty() { url } else { format!("/donate/return/{public_id}") };
        leptos_axum::redirect(&target);
        return Ok(());
    }
    let ip = crate::ssr::request::client_ip();
    let limits = st.payments.limits;
    for (key, limit) in [
        (format!("donate:ip:{ip}"), limits.per_ip),
        (format!("donate:email:{email}"), limits.per_email),
        (format!("donate:campaign:{}", c.card.id), limits.per_campaign),
    ] {
        if crate::ssr::rate_limit::hit(&st.db, &key, limit, 3600).await?.is_some() {
            tracing::warn!(%key, "donation checkout limit reached");
            form.add("payment", K::donations_err_not_accepted);
            return Err(form.into());
        }
    }
    let provider = st.payments.provider.clone();
    let (charge, fee) = money::charge_for(provider.fee_rule(), gift, cover_fee.is_some());
    let lang = crate::i18n::request_lang();
    let public_id = crate::ssr::public_id();
    let attempt = if attempt.trim().len() >= 20 { attempt.trim().to_string() } else { crate::ssr::random_token() };
    let new = db::NewDonation {
        public_id: public_id.clone(),
        campaign_id: c.card.id,
        amount_bani: gift.0,
        fee_bani: fee,
        currency: c.currency.clone(),
        monthly,
        provider: provider.name().into(),
        idempotency_key: attempt.clone(),
        donor_name: name,
        donor_email: email.to_string(),
        message: rules::donor_message(&message),
        show_name: show_name.is_some(),
        lang: lang.code().into(),
        consent_version: rules::CONSENT_VERSION.into(),
        newsletter: newsletter.is_some(),
        ip_hash: crate::ssr::signing::ip_hash(&st.settings.keys, &ip),
        is_demo: false,
    };
    let id = db::create_donation(&st.db, &new).await?;
    let base = st.settings.public_url.trim_end_matches('/');
    let req = CheckoutRequest {
        donation_id: public_id.clone(),
        idempotency_key: attempt,
        title: c.card.title.clone(),
        amount: charge,
        currency: c.currency.clone(),
        monthly,
        donor_email: email.to_string(),
        donor_name: new.donor_name.clone(),
        lang,
        success_url: format!("{base}/donate/return/{public_id}"),
        cancel_url: format!("{base}/donate/return/{public_id}?cancelled=1"),
        notify_url: format!("{base}/webhooks/{}", provider.name()),
    };
    match provider.create_checkout(&req).await {
        // Only the provider's own checkout pages: a compromised or misconfigured API answer must
        // not send donors anywhere else.
        Ok(checkout) if !crate::ssr::payments::is_checkout_url(provider.as_ref(), &checkout.redirect_url, base) => {
            tracing::error!(donation = %public_id, url = %checkout.redirect_url, "checkout URL outside the provider's origins");
            db::mark_checkout_failed(&st.db, id).await?;
            form.add("payment", K::donations_err_provider);
            Err(form.into())
        }
        Ok(checkout) => {
            db::set_checkout(&st.db, id, &checkout.session_ref, &checkout.redirect_url).await?;
            leptos_axum::redirect(&checkout.redirect_url);
            Ok(())
        }
        Err(e) => {
            tracing::error!(error = %e, donation = %public_id, "checkout could not be opened");
            db::mark_checkout_failed(&st.db, id).await?;
            form.add("payment", K::donations_err_provider);
            Err(form.into())
        }
    }
}

#[server]
pub async fn donation_status(id: String) -> Result<String, DonationsError> {
    let st = crate::ssr::state();
    let d = db::donation_by_public(&st.db, &id).await?.ok_or(DonationsError(Problem::NotFound))?;
    Ok(d.status)
}

#[server]
pub async fn get_return(id: String) -> Result<ReturnView, DonationsError> {
    let st = crate::ssr::state();
    let d = db::donation_by_public(&st.db, &id).await?.ok_or(DonationsError(Problem::NotFound))?;
    Ok(ReturnView {
        status: d.status,
        campaign_slug: d.campaign_slug,
        campaign_title: d.campaign_title,
        thanks: d.thanks,
        total_bani: d.total_bani,
        monthly: d.monthly,
        test_mode: st.payments.provider.test_mode(),
    })
}

/// The values of a failed or cancelled donation, to fill the form again for a retry.
#[server]
pub async fn retry_prefill(id: String) -> Result<Option<DonorPrefill>, DonationsError> {
    if id.is_empty() {
        return Ok(None);
    }
    let st = crate::ssr::state();
    let Some(d) = db::donation_by_public(&st.db, &id).await? else { return Ok(None) };
    if !matches!(d.status.as_str(), "failed" | "cancelled") {
        return Ok(None);
    }
    Ok(Some(DonorPrefill {
        amount: money::Bani(d.amount_bani).to_input(),
        monthly: d.monthly,
        cover_fee: d.fee_bani > 0,
        name: d.donor_name,
        email: d.donor_email,
        message: d.message,
        show_name: d.show_name,
    }))
}

/// Side effects of an applied event: the receipt and the organisation's notice once a donation is
/// paid, the donor's warning when a renewal failed. Errors are logged: the event is already recorded.
#[cfg(feature = "ssr")]
pub async fn after_event(db: &crate::ssr::Db, settings: &crate::ssr::Settings, outcome: &db::Outcome) {
    let r = match outcome {
        db::Outcome::Paid(id) => receipt::send_paid_mails(db, settings, *id).await,
        db::Outcome::RenewalFailed(gift) => receipt::send_renewal_failed(db, settings, *gift).await,
        _ => Ok(()),
    };
    if let Err(e) = r {
        tracing::error!(error = %e, ?outcome, "donation mail");
    }
}
