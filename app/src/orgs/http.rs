//! Plain HTTP endpoints of organisations (server only): open data, the stories feed, event
//! calendars, the newsletter's one-click unsubscribe, the logo upload.
use crate::ssr::AppState;
use axum::routing::{get, post};
use axum::Router;

/// Upload routes and their larger body limits (every other route gets the server's default).
pub const BODY_LIMITS: &[(&str, usize)] = &[("/organisations/*/logo", crate::ssr::images::MAX_BYTES + 64 * 1024)];

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/organisations.csv", get(super::export::csv))
        .route("/organisations.json", get(super::export::json))
        .route("/stories/feed.atom", get(super::stories::feed))
        .route("/events/{slug}/event.ics", get(super::events::ics_file))
        .route("/newsletter/one-click", post(super::newsletter::one_click))
        .route(
            "/organisations/{slug}/logo",
            post(super::profile::upload_logo).layer(axum::extract::DefaultBodyLimit::max(BODY_LIMITS[0].1)),
        )
}
