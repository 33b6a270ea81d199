//! Donations: campaigns of organisations, a hosted-checkout donation flow confirmed by signed
//! webhooks, receipts, monthly gifts managed without an account, an append-only public ledger.
//!
//! Here: the wire types and the `#[server]` fns (parse, then one call to `service`). Decisions are
//! in `rules`, SQL in `db`, components in `pages`, plain HTTP handlers in `http`.
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod http;
pub mod pages;
#[cfg(feature = "ssr")]
mod personal;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod service;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The campaigns section of an organisation's page (assembled in `site::organisation`).
pub use pages::OrgCampaigns;

crate::feature_error!(DonationsError);

/// The personal data donations keep (registered at start, see `ssr::personal`).
#[cfg(feature = "ssr")]
pub use personal::PERSONAL_DATA;

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
    pub fee_rule: crate::types::money::FeeRule,
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

/// A monthly gift as its donor sees it through the mailed link.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GiftView {
    pub campaign_title: String,
    pub campaign_slug: String,
    pub org_name: String,
    pub amount_bani: i64,
    pub status: String,
    pub min_bani: i64,
    pub max_bani: i64,
}

#[server]
pub async fn list_campaigns(filter: CampaignFilter) -> Result<CampaignList, DonationsError> {
    service::campaigns::list_campaigns(&filter).await
}

/// The organisation page's campaigns: public ones, and drafts too for its managers.
#[server]
pub async fn org_campaign_cards(org_id: i64) -> Result<(bool, Vec<CampaignCard>), DonationsError> {
    service::campaigns::org_campaign_cards(org_id).await
}

#[server]
pub async fn get_campaign(slug: String) -> Result<CampaignPage, DonationsError> {
    service::campaigns::get_campaign(&slug).await
}

/// The editor's data (`slug` empty: a new campaign of `org`); managers only.
#[server]
pub async fn campaign_for_edit(slug: String, org: i64) -> Result<Option<CampaignPage>, DonationsError> {
    service::campaigns::campaign_for_edit(&slug, org).await
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
    leptos_axum::redirect(&service::campaigns::save_campaign(org_id, &slug, &f).await?);
    Ok(())
}

#[server]
pub async fn set_campaign_status(campaign_id: i64, status: String) -> Result<(), DonationsError> {
    leptos_axum::redirect(&service::campaigns::set_campaign_status(campaign_id, &status).await?);
    Ok(())
}

#[server]
pub async fn post_campaign_update(campaign_id: i64, body: String) -> Result<(), DonationsError> {
    leptos_axum::redirect(&service::campaigns::post_campaign_update(campaign_id, &body).await?);
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
    let form = service::donate::DonateForm {
        campaign,
        attempt,
        amount,
        custom_amount,
        frequency,
        cover_fee: cover_fee.is_some(),
        name,
        email,
        message,
        show_name: show_name.is_some(),
        consent,
        newsletter: newsletter.is_some(),
        website,
    };
    leptos_axum::redirect(&service::donate::donate(&form).await?);
    Ok(())
}

#[server]
pub async fn donation_status(id: String) -> Result<String, DonationsError> {
    service::donate::donation_status(&id).await
}

#[server]
pub async fn get_return(id: String) -> Result<ReturnView, DonationsError> {
    service::donate::get_return(&id).await
}

/// The values of a failed or cancelled donation, to fill the form again for a retry.
#[server]
pub async fn retry_prefill(id: String) -> Result<Option<DonorPrefill>, DonationsError> {
    service::donate::retry_prefill(&id).await
}

#[server]
pub async fn org_dashboard(org: String, filter: DashboardFilter) -> Result<Dashboard, DonationsError> {
    service::dashboard::org_dashboard(org, &filter).await
}

/// Asks the provider to refund a paid donation; the ledger is reversed when the provider confirms.
#[server]
pub async fn refund_donation(donation_id: i64) -> Result<(), DonationsError> {
    leptos_axum::redirect(&service::dashboard::refund_donation(donation_id).await?);
    Ok(())
}

#[server]
pub async fn hide_donation(donation_id: i64, hidden: bool) -> Result<(), DonationsError> {
    leptos_axum::redirect(&service::dashboard::hide_donation(donation_id, hidden).await?);
    Ok(())
}

#[server]
pub async fn get_gift(token: String) -> Result<GiftView, DonationsError> {
    service::gifts::get_gift(&token).await
}

#[server]
pub async fn change_gift_amount(token: String, amount: String) -> Result<(), DonationsError> {
    leptos_axum::redirect(&service::gifts::change_gift_amount(&token, &amount).await?);
    Ok(())
}

/// `pause`, `resume` or `cancel`: the provider first, then our record by the gift's state machine.
#[server]
pub async fn gift_action(token: String, action: String) -> Result<(), DonationsError> {
    leptos_axum::redirect(&service::gifts::gift_action(&token, &action).await?);
    Ok(())
}
