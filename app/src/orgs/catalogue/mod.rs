//! The organisation itself: the catalogue and its search, the profile and its editing,
//! registration and verification, the authorities directory, open data.
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod http;
pub mod pages;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod service;

use super::OrgsError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

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
    /// The registry's address (registratura), where petitions go.
    pub petition_email: String,
}

impl Authority {
    pub fn officer(&self) -> crate::orgs::officer::Officer {
        crate::orgs::officer::Officer {
            name: self.officer_name.clone(),
            email: self.officer_email.clone(),
            phone: self.officer_phone.clone(),
        }
    }
}

#[server]
pub async fn search_orgs(filter: OrgFilter) -> Result<OrgResults, OrgsError> {
    service::search(&filter).await
}

#[server]
pub async fn get_org(slug: String) -> Result<OrgProfile, OrgsError> {
    service::get_org(&slug).await
}

#[server]
pub async fn list_authorities(county: String) -> Result<Vec<Authority>, OrgsError> {
    service::authorities(county.trim()).await
}

#[server]
pub async fn get_authority(slug: String) -> Result<Authority, OrgsError> {
    service::authority(&slug).await
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
    let form = rules::RegistrationForm {
        name,
        legal_form,
        cui,
        registry_number,
        locality,
        county,
        domains,
        short_description,
        website,
        contact_email,
    };
    service::register_org(form).await
}

/// Platform admins verify (badge), restrict or reopen an organisation.
#[server]
pub async fn set_org_status(org_id: i64, status: String) -> Result<(), OrgsError> {
    service::set_org_status(org_id, &status).await
}

/// The organisation's admins keep its profile current: descriptions, links, where it works,
/// founding year, contact. (The logo has its own multipart form: `http::upload_logo`.)
#[server]
pub async fn update_org_profile(
    org_id: i64,
    short_description: String,
    description: String,
    website: String,
    social_links: String,
    areas: String,
    founding_year: String,
    contact_email: String,
) -> Result<(), OrgsError> {
    let form = rules::ProfileForm {
        short_description,
        description,
        website,
        social_links,
        areas,
        founding_year,
        contact_email,
    };
    service::update_org_profile(org_id, form).await
}
