//! Events: trainings, workshops, networking and public debates, with registration, a waiting
//! list, a reminder the day before and an .ics file for any calendar.
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

/// The server's job loop sends the reminders.
#[cfg(feature = "ssr")]
pub use service::send_reminders;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventCard {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub kind: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub place: String,
    pub org_name: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventView {
    pub card: EventCard,
    pub description: String,
    pub online_url: String,
    pub capacity: i64,
    pub confirmed: i64,
    pub waitlisted: i64,
    pub materials: String,
    pub my_status: Option<String>,
    pub signed_in: bool,
    /// Registration is closed once the event has started.
    pub past: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventLists {
    pub upcoming: Vec<EventCard>,
    pub past: Vec<EventCard>,
}

#[server]
pub async fn list_events() -> Result<EventLists, OrgsError> {
    service::list().await
}

#[server]
pub async fn get_event(slug: String) -> Result<EventView, OrgsError> {
    service::get(&slug).await
}

#[server]
pub async fn register_event(event_id: i64) -> Result<(), OrgsError> {
    service::register(event_id).await
}

#[server]
pub async fn cancel_registration(event_id: i64) -> Result<(), OrgsError> {
    service::cancel(event_id).await
}

/// Organisation admins (and platform admins) announce an event.
#[server]
pub async fn create_event(
    org_id: i64,
    title: String,
    description: String,
    kind: String,
    date: String,
    time: String,
    duration_minutes: String,
    place: String,
    online_url: String,
    capacity: String,
) -> Result<(), OrgsError> {
    let form = rules::EventForm { title, description, kind, date, time, duration_minutes, place, online_url, capacity };
    service::create(org_id, form).await
}
