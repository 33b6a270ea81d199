//! Plain HTTP endpoints of organisations (server only), merged from the sub-features: open data
//! and the logo upload (catalogue), the stories feed, event calendars, the newsletter's one-click
//! unsubscribe.
use crate::ssr::AppState;
use axum::Router;

/// Upload routes and their larger body limits (only the catalogue's logo upload has one).
pub use super::catalogue::http::BODY_LIMITS;

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(super::catalogue::http::routes())
        .merge(super::stories::http::routes())
        .merge(super::events::http::routes())
        .merge(super::newsletter::http::routes())
}
