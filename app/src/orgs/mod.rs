//! Organisations (NGOs, foundations, civic groups) and public authorities: catalogue, profiles,
//! registration and verification, open data.
#[cfg(feature = "ssr")]
pub mod db;
pub mod events;
#[cfg(feature = "ssr")]
pub mod export;
#[cfg(feature = "ssr")]
pub mod http;
pub mod members;
pub mod newsletter;
pub mod officials;
pub mod pages;
pub mod profile;
pub mod rules;
pub mod stories;

#[cfg(feature = "ssr")]
use crate::error::{FormState, Problem};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

crate::feature_error!(OrgsError);

/// Every kind of e-mail organisations, members, events and officials send.
#[cfg(feature = "ssr")]
pub const MAIL_KINDS: &[crate::ssr::mail::kinds::MailKind] = {
    use crate::i18n::K;
    use crate::ssr::mail::kinds::MailKind;
    &[
        MailKind::essential("official_decision", K::notify_group_account, K::notify_kind_official),
        MailKind::essential("org_invite", K::notify_group_orgs, K::notify_kind_org_invite),
        MailKind::essential("event", K::notify_group_orgs, K::notify_kind_event),
        MailKind::optional("event_reminder", K::notify_group_orgs, K::notify_kind_event_reminder),
        MailKind::optional("org_join_request", K::notify_group_orgs, K::notify_kind_join_request),
        MailKind::essential("official_work_email", K::notify_group_account, K::notify_kind_official_work),
    ]
};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct OrgFilter {
    pub q: String,
    pub domain: String,
    pub county: String,
    pub form: String,
    pub verified: bool,
    pub page: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrgCard {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub legal_form: String,
    pub locality: String,
    pub county: String,
    pub short_description: String,
    pub domains: Vec<String>,
    pub verified: bool,
    pub is_demo: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrgResults {
    pub cards: Vec<OrgCard>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    pub counties: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrgProfile {
    pub card: OrgCard,
    pub cui: Option<String>,
    pub registry_number: String,
    pub description: String,
    pub website: String,
    pub social_url: String,
    /// Split so the page never shows a harvestable address in its markup.
    pub contact_parts: Option<(String, String)>,
    pub founding_year: Option<i64>,
    pub areas: String,
    /// Served from the media store; None without a logo.
    pub logo_url: Option<String>,
    pub logo_alt: String,
    pub status: String,
    pub members: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Authority {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub kind: String,
    pub locality: String,
    pub county: String,
    pub address: String,
    pub website: String,
    pub officer_name: String,
    pub officer_email: String,
    pub officer_phone: String,
    pub petition_email: String,
}

#[server]
pub async fn search_orgs(filter: OrgFilter) -> Result<OrgResults, OrgsError> {
    Ok(db::search(&crate::ssr::state().db, &filter).await?)
}

#[server]
pub async fn get_org(slug: String) -> Result<OrgProfile, OrgsError> {
    let st = crate::ssr::state();
    let profile = db::profile(&st.db, &slug).await?.ok_or(OrgsError(Problem::NotFound))?;
    // Pending or restricted organisations are visible only to their admins and platform admins.
    if profile.status != "active" {
        let me = crate::accounts::session::current_user().await?;
        let allowed = me
            .is_some_and(|u| u.is_admin() || u.has_scoped(crate::accounts::rules::RoleKind::OrgAdmin, profile.card.id));
        if !allowed {
            return Err(OrgsError(Problem::NotFound));
        }
    }
    Ok(profile)
}

#[server]
pub async fn list_authorities(county: String) -> Result<Vec<Authority>, OrgsError> {
    Ok(db::authorities(&crate::ssr::state().db, county.trim()).await?)
}

#[server]
pub async fn get_authority(slug: String) -> Result<Authority, OrgsError> {
    db::authority(&crate::ssr::state().db, &slug).await?.ok_or(OrgsError(Problem::NotFound))
}

/// A signed-in person registers an organisation and becomes its admin; it stays "pending" until a
/// platform admin verifies it.
#[server]
pub async fn register_org(
    name: String,
    legal_form: String,
    cui: String,
    registry_number: String,
    locality: String,
    county: String,
    #[server(default)] domains: Vec<String>,
    short_description: String,
    website: String,
    contact_email: String,
) -> Result<(), OrgsError> {
    use crate::i18n::K;
    use crate::text::clean_text;
    let st = crate::ssr::state();
    let me = crate::accounts::session::current_user().await?.ok_or(OrgsError(Problem::Unauthenticated))?;
    if let Some(wait) = crate::ssr::rate_limit::hit(&st.db, &format!("org.register:{}", me.id), 3, 86_400).await? {
        return Err(OrgsError(Problem::rate_limited(wait, FormState::new().value("name", &name))));
    }
    let mut form = FormState::new()
        .value("name", &name)
        .value("legal_form", &legal_form)
        .value("cui", &cui)
        .value("registry_number", &registry_number)
        .value("locality", &locality)
        .value("county", &county)
        .value("domains", &domains.join(","))
        .value("short_description", &short_description)
        .value("website", &website)
        .value("contact_email", &contact_email);
    if !me.verified {
        return Err(OrgsError(Problem::Refused(K::err_verify_first)));
    }
    let name = clean_text(&name, 120);
    if name.chars().count() < 3 {
        form.add("name", K::err_org_name);
    }
    if !rules::LEGAL_FORMS.contains(&legal_form.as_str()) {
        form.add("legal_form", K::err_choose);
    }
    // Informal groups have no fiscal code; everyone else must give a valid one.
    let cui = if legal_form == "informal" && cui.trim().is_empty() {
        None
    } else {
        form.check("cui", rules::Cui::parse(&cui))
    };
    let domains: Vec<String> = domains.into_iter().filter(|d| rules::DOMAINS.contains(&d.as_str())).collect();
    if domains.is_empty() {
        form.add("domains", K::err_choose_domain);
    }
    if clean_text(&locality, 80).is_empty() {
        form.add("locality", K::err_required);
    }
    if clean_text(&short_description, 300).chars().count() < 10 {
        form.add("short_description", K::err_description);
    }
    let contact = if contact_email.trim().is_empty() {
        String::new()
    } else {
        form.check("contact_email", crate::types::Email::parse(&contact_email))
            .map(|e| e.to_string())
            .unwrap_or_default()
    };
    let website = clean_text(&website, 200);
    let web_ok = website.is_empty() || website.starts_with("https://") || website.starts_with("http://");
    if !web_ok {
        form.add("website", K::err_url);
    }
    let Some(slug) = crate::types::Slug::from_name(&name) else {
        form.add("name", K::err_org_name);
        return Err(form.into());
    };
    if !form.is_ok() {
        return Err(form.into());
    }
    if db::slug_taken(&st.db, slug.as_str()).await? {
        form.add("name", K::err_org_exists);
        return Err(form.into());
    }
    let new = db::NewOrg {
        slug: slug.as_str().to_string(),
        name,
        legal_form,
        cui: cui.map(|c| c.as_str().to_string()),
        registry_number: clean_text(&registry_number, 40),
        locality: clean_text(&locality, 80),
        county: clean_text(&county, 40),
        short_description: clean_text(&short_description, 300),
        website,
        contact_email: contact,
        domains,
    };
    db::create(&st.db, &new, me.id).await?;
    leptos_axum::redirect(&format!("/organisations/{}?created=1", new.slug));
    Ok(())
}

/// Platform admins verify (badge), restrict or reopen an organisation.
#[server]
pub async fn set_org_status(org_id: i64, status: String) -> Result<(), OrgsError> {
    let me = crate::accounts::session::current_user().await?.ok_or(OrgsError(Problem::Unauthenticated))?;
    if !me.is_admin() {
        return Err(OrgsError(Problem::Forbidden));
    }
    let st = crate::ssr::state();
    let slug = db::set_status(&st.db, org_id, &status).await?.ok_or(OrgsError(Problem::NotFound))?;
    leptos_axum::redirect(&format!("/organisations/{slug}?status=1"));
    Ok(())
}
