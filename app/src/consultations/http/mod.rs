//! Plain HTTP endpoints of consultations (server only): the report as CSV and PDF, one-click
//! unsubscribe, and the files (attachments, position papers, minutes, the draft as a file).
use super::rules::files::{MAX_DRAFT_BODY, MAX_PDF_BODY};
use super::rules::report::Report;
use super::service;
use crate::i18n::Lang;
use crate::ssr::{self, AppState};
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;

mod files;

/// Upload routes and their larger body limits (every other route gets the server's default).
pub const BODY_LIMITS: &[(&str, usize)] = &[
    ("/consultations/*/files", MAX_PDF_BODY),
    ("/consultations/*/papers/*", MAX_PDF_BODY),
    ("/consultations/*/draft-file", MAX_DRAFT_BODY),
];

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/consultations/{slug}/report.csv", get(csv_file))
        .route("/consultations/{slug}/report.pdf", get(pdf_file))
        .route("/consultations/one-click", post(one_click))
        .route("/consultations/{slug}/files", post(files::upload_file).layer(DefaultBodyLimit::max(MAX_PDF_BODY)))
        .route("/consultations/{slug}/files/{id}", get(files::download))
        .route("/consultations/{slug}/files/{id}/delete", post(files::delete_file))
        .route(
            "/consultations/{slug}/papers/{comment}",
            post(files::upload_paper).layer(DefaultBodyLimit::max(MAX_PDF_BODY)),
        )
        .route(
            "/consultations/{slug}/draft-file",
            post(files::upload_draft).layer(DefaultBodyLimit::max(MAX_DRAFT_BODY)),
        )
}

/// RFC 8058 one-click unsubscribe: mail clients POST here without cookies or a page.
async fn one_click(State(st): ssr::one_click::St, Query(q): ssr::one_click::TokenQuery) -> Response {
    ssr::one_click::answer(st, q, "consultations", |st, token| async move {
        service::follows::unsubscribe_with(&st.db, &st.settings.keys, &token).await
    })
    .await
}

/// `GET /consultations/{slug}/report.csv`
async fn csv_file(
    State(st): State<AppState>,
    Path(slug): Path<String>,
    req: ::http::Request<axum::body::Body>,
) -> Response {
    download(st, slug, req, false).await
}

/// `GET /consultations/{slug}/report.pdf`
async fn pdf_file(
    State(st): State<AppState>,
    Path(slug): Path<String>,
    req: ::http::Request<axum::body::Body>,
) -> Response {
    download(st, slug, req, true).await
}

/// The report with the page's access rule: published reports for everyone, previews for organisers.
async fn load_for_download(st: AppState, parts: ::http::request::Parts, slug: String) -> Option<Report> {
    let owner = leptos::prelude::Owner::new();
    // The server-function helpers read the state and the session from the reactive context.
    owner
        .with(|| {
            leptos::prelude::provide_context(st);
            leptos::prelude::provide_context(parts);
            leptos::reactive::computed::ScopedFuture::new(async move { service::answers::report(&slug).await.ok() })
        })
        .await
}

async fn download(st: AppState, slug: String, req: ::http::Request<axum::body::Body>, as_pdf: bool) -> Response {
    let (parts, _) = req.into_parts();
    let Some(report) = load_for_download(st.clone(), parts, slug).await else {
        return (::http::StatusCode::NOT_FOUND, "not found").into_response();
    };
    let base = st.settings.public_url.trim_end_matches('/').to_string();
    let name = format!("raport-{}", report.detail.card.slug);
    if as_pdf {
        let bytes = tokio::task::spawn_blocking(move || service::report_files::pdf(&report, &base)).await;
        match bytes {
            Ok(Ok(b)) => (
                [
                    (::http::header::CONTENT_TYPE, "application/pdf".to_string()),
                    (::http::header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}.pdf\"")),
                ],
                b,
            )
                .into_response(),
            _ => ::http::StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        }
    } else {
        let text = service::report_files::csv(&report, &base, Lang::Ro);
        (
            [
                (::http::header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (::http::header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}.csv\"")),
            ],
            text,
        )
            .into_response()
    }
}
