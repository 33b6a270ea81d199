//! The pages of donations, one file per page: the campaign list, a campaign (with the
//! organisation page's section), giving and its return page, the campaign editor, the
//! organisation's dashboard, and a monthly gift managed from its link.
mod campaign;
mod dashboard;
mod donate;
mod edit;
mod list;
mod manage;

pub use campaign::*;
pub use dashboard::*;
pub use donate::*;
pub use edit::*;
pub use list::*;
pub use manage::*;

use super::CampaignCard;
use crate::i18n::{fill, t, use_lang, K};
use leptos::prelude::*;

#[component]
pub fn CampaignCardView(c: CampaignCard) -> impl IntoView {
    let lang = use_lang();
    let href = format!("/campaigns/{}", c.slug);
    let raised = crate::fmt::lei(lang, c.raised_bani);
    let goal = c.goal_bani.map(|g| fill(t(K::donations_of_goal), &[("goal", &crate::fmt::lei(lang, g))]));
    view! {
        <li class="card campaign-card">
            <h2 class="card-title">
                <a href=href>{c.title}</a>
            </h2>
            <p class="muted">{c.org_name} {(!c.locality.is_empty()).then(|| format!(" · {}", c.locality))}</p>
            <p>{c.summary}</p>
            <p class="raised">
                <strong>{raised}</strong>
                " "
                {goal}
            </p>
            {(c.status != "live").then(|| view! { <p class="tag">{t(campaign_status_label(&c.status))}</p> })}
            {c.is_demo.then(|| view! { <p class="tag">{t(K::demo_badge)}</p> })}
        </li>
    }
}

#[component]
pub fn TestModeBanner() -> impl IntoView {
    view! {
        <p class="test-mode" role="note">
            <strong>{t(K::donations_test_mode)}</strong>
            " "
            {t(K::donations_test_mode_text)}
        </p>
    }
}

pub fn campaign_status_label(code: &str) -> K {
    match code {
        "live" => K::donations_campaign_live,
        "ended" => K::donations_campaign_ended,
        "archived" => K::donations_campaign_archived,
        _ => K::donations_campaign_draft,
    }
}

/// The message of a cover problem (the edit page shows it next to the file field).
pub fn cover_problem(code: &str) -> K {
    match code {
        "alt" => K::donations_err_cover_alt,
        "large" => K::donations_err_cover_large,
        _ => K::donations_err_cover_image,
    }
}
