//! Stories of public participation and news, in Markdown, tagged by domain and locality, with an
//! Atom feed.
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

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoryCard {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub domain: String,
    pub locality: String,
    pub org_name: Option<String>,
    pub published_at: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoryView {
    pub card: StoryCard,
    /// Sanitised HTML rendered from the Markdown on the server.
    pub html: String,
}

/// `org_id` 0 means every organisation.
#[server]
pub async fn list_stories(org_id: i64, limit: i64) -> Result<Vec<StoryCard>, OrgsError> {
    service::list(org_id, limit).await
}

#[server]
pub async fn get_story(slug: String) -> Result<StoryView, OrgsError> {
    service::get(&slug).await
}

#[server]
pub async fn create_story(
    org_id: i64,
    title: String,
    summary: String,
    body: String,
    domain: String,
    locality: String,
) -> Result<(), OrgsError> {
    service::create(org_id, rules::StoryForm { title, summary, body, domain, locality }).await
}
