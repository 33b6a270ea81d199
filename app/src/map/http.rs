//! Plain HTTP endpoints of the map (server only): data by bounding box, exports, Leaflet's files,
//! the petition PDF, and the multipart forms that carry photos and imports.
use super::handlers::{MAX_BODY, MAX_IMPORT_BODY};
use crate::ssr::AppState;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::Router;

/// Upload routes and their larger body limits (every other route gets the server's default).
pub const BODY_LIMITS: &[(&str, usize)] =
    &[("/map/reports", MAX_BODY), ("/map/reports/*/fixed", MAX_BODY), ("/map/import/upload", MAX_IMPORT_BODY)];

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/map/data.json", get(super::handlers::data))
        .route("/map/export.geojson", get(super::handlers::export_geojson))
        .route("/map/export.csv", get(super::handlers::export_csv))
        .route("/map/petition.pdf", get(super::handlers::petition_pdf))
        .route("/vendor/leaflet/{version}/{*file}", get(super::handlers::leaflet))
        .route("/map/reports", post(super::handlers::create_report).layer(DefaultBodyLimit::max(MAX_BODY)))
        .route("/map/reports/{id}/fixed", post(super::handlers::mark_fixed).layer(DefaultBodyLimit::max(MAX_BODY)))
        .route("/map/import/upload", post(super::handlers::upload_import).layer(DefaultBodyLimit::max(MAX_IMPORT_BODY)))
}
