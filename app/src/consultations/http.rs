//! Plain HTTP endpoints of consultations (server only): the report as CSV and PDF, one-click
//! unsubscribe, and the files (attachments, position papers, minutes, the draft as a file).
use super::files::{MAX_DRAFT_BODY, MAX_PDF_BODY};
use crate::ssr::AppState;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::Router;

/// Upload routes and their larger body limits (every other route gets the server's default).
pub const BODY_LIMITS: &[(&str, usize)] = &[
    ("/consultations/*/files", MAX_PDF_BODY),
    ("/consultations/*/papers/*", MAX_PDF_BODY),
    ("/consultations/*/draft-file", MAX_DRAFT_BODY),
];

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/consultations/{slug}/report.csv", get(super::report::csv_file))
        .route("/consultations/{slug}/report.pdf", get(super::report::pdf_file))
        .route("/consultations/one-click", post(super::server::one_click))
        .route(
            "/consultations/{slug}/files",
            post(super::files::upload_file).layer(DefaultBodyLimit::max(MAX_PDF_BODY)),
        )
        .route("/consultations/{slug}/files/{id}", get(super::files::download))
        .route("/consultations/{slug}/files/{id}/delete", post(super::files::delete_file))
        .route(
            "/consultations/{slug}/papers/{comment}",
            post(super::files::upload_paper).layer(DefaultBodyLimit::max(MAX_PDF_BODY)),
        )
        .route(
            "/consultations/{slug}/draft-file",
            post(super::files::upload_draft).layer(DefaultBodyLimit::max(MAX_DRAFT_BODY)),
        )
}
