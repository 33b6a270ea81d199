//! Newsletter: double opt-in with consent evidence, preferences and one-click unsubscribe reached
//! from every mail through a signed link (no account needed, and nobody else's link can be guessed).
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

// Donations start the opt-in from their form; the server's job loop sends the issues.
#[cfg(feature = "ssr")]
pub use service::{request_subscription, send_batch};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Preferences {
    /// Masked (`a***@example.ro`): whoever holds the link learns no more than they already know.
    pub email: String,
    pub topics: Vec<String>,
    pub county: String,
    pub status: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IssueRow {
    pub id: i64,
    pub subject: String,
    /// The body rendered as it will be mailed: the preview.
    pub html: String,
    pub topic: String,
    pub county: String,
    pub status: String,
    pub sent: i64,
    pub audience: i64,
    pub unsubscribed: i64,
    pub bounced: i64,
}

#[server]
pub async fn subscribe(
    email: String,
    #[server(default)] topics: Vec<String>,
    county: String,
    #[server(default)] consent: Option<String>,
    website: String,
) -> Result<(), OrgsError> {
    service::subscribe(&email, &topics, &county, consent.as_deref(), &website).await
}

#[server]
pub async fn confirm_subscription(token: String) -> Result<(), OrgsError> {
    service::confirm(&token).await
}

#[server]
pub async fn get_preferences(token: String) -> Result<Preferences, OrgsError> {
    service::preferences(&token).await
}

#[server]
pub async fn update_preferences(
    token: String,
    #[server(default)] topics: Vec<String>,
    county: String,
) -> Result<(), OrgsError> {
    service::update_preferences(&token, &topics, &county).await
}

#[server]
pub async fn unsubscribe(token: String) -> Result<(), OrgsError> {
    service::unsubscribe(&token).await
}

#[server]
pub async fn admin_issues() -> Result<Vec<IssueRow>, OrgsError> {
    service::admin_issues().await
}

#[server]
pub async fn create_issue(subject: String, body: String, topic: String, county: String) -> Result<(), OrgsError> {
    service::create_issue(&subject, &body, &topic, &county).await
}

/// Sends the issue to the admin alone, to see it as subscribers will.
#[server]
pub async fn test_send_issue(issue_id: i64) -> Result<(), OrgsError> {
    service::test_send(issue_id).await
}

/// Starts sending; the server's job delivers it in rate-limited batches and can resume after a restart.
#[server]
pub async fn start_sending(issue_id: i64) -> Result<(), OrgsError> {
    service::start_sending(issue_id).await
}
