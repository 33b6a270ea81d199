//! Officials: a person who works at an authority asks for the official role from the authority's
//! page; a platform admin approves (the role is granted, scoped to that authority) or declines.
#[cfg(feature = "ssr")]
pub mod db;
pub mod pages;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod service;

use super::OrgsError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub use rules::{email_at_domain, web_domain};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OfficialRequest {
    pub id: i64,
    pub user_name: String,
    pub user_email: String,
    pub authority_name: String,
    pub authority_slug: String,
    pub position: String,
    pub work_email: String,
    pub message: String,
    pub created_at: i64,
    /// The applicant followed the link mailed to the work address.
    pub work_verified: bool,
    /// The work address is proven and at the authority's own web domain: a strong hint.
    pub domain_matches: bool,
}

/// What the authority page needs to show the request form.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum MyStanding {
    SignedOut,
    Official,
    Pending,
    CanRequest,
}

#[server]
pub async fn official_standing(authority_id: i64) -> Result<MyStanding, OrgsError> {
    service::standing(authority_id).await
}

#[server]
pub async fn request_official(
    authority_id: i64,
    position: String,
    work_email: String,
    message: String,
) -> Result<(), OrgsError> {
    service::request(authority_id, &position, &work_email, &message).await
}

/// The link in the mail to the work address: proves the applicant reads that mailbox.
#[server]
pub async fn confirm_work_email(token: String) -> Result<(), OrgsError> {
    service::confirm_work_email(&token).await
}

#[server]
pub async fn pending_official_requests() -> Result<Vec<OfficialRequest>, OrgsError> {
    service::pending().await
}

#[server]
pub async fn decide_official(request_id: i64, approve: String, note: String) -> Result<(), OrgsError> {
    service::decide(request_id, approve == "yes", &note).await
}
