//! The authority's contact for the public: its transparency officer (Legea 52/2003: name, e-mail,
//! phone) and its registry address (where petitions go), kept current by platform admins and the
//! authority's approved officials, shown on the authority's page and its consultations.
#[cfg(feature = "ssr")]
pub mod db;
pub mod pages;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod service;

use super::OrgsError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The transparency officer as stored; every part may be empty (not known yet).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Officer {
    pub name: String,
    pub email: String,
    pub phone: String,
}

impl Officer {
    pub fn is_empty(&self) -> bool {
        self.name.trim().is_empty() && self.email.trim().is_empty() && self.phone.trim().is_empty()
    }
}

/// What the edit page shows: the authority and its stored contact.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ContactPage {
    pub authority_id: i64,
    pub slug: String,
    pub name: String,
    pub officer: Officer,
    pub registry_email: String,
}

/// The edit form's data; refused to everyone but platform admins and the authority's officials.
#[server]
pub async fn authority_contact_form(slug: String) -> Result<ContactPage, OrgsError> {
    service::form(&slug).await
}

/// Saves the officer and the registry address, then back to the authority's page.
#[server]
pub async fn save_authority_contact(
    authority_id: i64,
    officer_name: String,
    officer_email: String,
    officer_phone: String,
    registry_email: String,
) -> Result<(), OrgsError> {
    let form = rules::ContactForm { officer_name, officer_email, officer_phone, registry_email };
    service::save(authority_id, form).await
}
