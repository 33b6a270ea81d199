//! Plain HTTP endpoints of donations (server only): the organisation's CSV, receipts by signed
//! link, the campaign cover upload. Provider webhooks are the server's (it owns the providers).
use crate::ssr::AppState;
use axum::routing::{get, post};
use axum::Router;

/// Upload routes and their larger body limits (every other route gets the server's default).
pub const BODY_LIMITS: &[(&str, usize)] = &[("/campaigns/*/cover", crate::ssr::images::MAX_BYTES + 64 * 1024)];

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/organisations/{slug}/donations.csv", get(super::org::csv))
        .route("/donate/receipt/{token}", get(super::receipt::receipt_file))
        .route(
            "/campaigns/{slug}/cover",
            post(super::org::upload_cover).layer(axum::extract::DefaultBodyLimit::max(BODY_LIMITS[0].1)),
        )
}
