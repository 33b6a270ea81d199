//! The notification centre: one page where a person chooses which e-mails each capability may send
//! them. Mail that answers something they just did (verification, receipts, registrations) is always
//! sent; everything else can be switched off, one kind at a time or all at once. The page is
//! `pages::NotificationsPage`; the work is `service::notify`.
use crate::i18n::K;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One heading of the notification centre: the kinds a person may switch off, and the ones
/// always sent (listed for information).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NotifyGroup {
    pub label: K,
    pub optional: Vec<NotifyKind>,
    pub always: Vec<K>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NotifyKind {
    pub code: String,
    pub label: K,
    pub on: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    pub paused: bool,
    /// The kinds every feature registered, by heading, in the order they registered.
    pub groups: Vec<NotifyGroup>,
}

#[server]
pub async fn my_notifications() -> Result<Option<Settings>, super::AccountsError> {
    super::service::notify::my_notifications().await
}

#[server]
pub async fn save_notifications(
    #[server(default)] on: Vec<String>,
    #[server(default)] pause: Option<String>,
) -> Result<(), super::AccountsError> {
    super::service::notify::save_notifications(on, pause).await
}
