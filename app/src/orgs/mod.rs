//! Organisations (NGOs, foundations, civic groups) and public authorities.
#[cfg(feature = "ssr")]
pub mod db;
pub mod pages;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

crate::feature_error!(OrgsError);

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrgSummary {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub legal_form: String,
    pub locality: String,
    pub county: String,
    pub short_description: String,
    pub is_demo: bool,
}

#[server]
pub async fn list_orgs() -> Result<Vec<OrgSummary>, OrgsError> {
    Ok(db::list(&crate::ssr::state().db).await?)
}
