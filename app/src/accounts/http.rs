//! Plain HTTP endpoints of accounts (server only): "download my data" as a ZIP, with the files the
//! person uploaded (a server function answers JSON only).
use super::service::profile::person;
use super::session::user_of;
use crate::ssr::{personal, rate_limit, AppState};
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new().route("/account/export.zip", get(export_zip))
}

/// Archives per person per hour: each reads every file they uploaded from the store.
const ZIPS_PER_HOUR: i64 = 5;

/// `GET /account/export.zip`: the signed-in person's data and files; anyone else is sent to sign in.
pub async fn export_zip(State(st): State<AppState>, headers: HeaderMap) -> Response {
    let user = match user_of(&st, &headers).await {
        Ok(Some(u)) => u,
        Ok(None) => return Redirect::to("/account/login?next=/account").into_response(),
        Err(e) => return internal(e),
    };
    match rate_limit::hit(&st.db, &format!("export-zip:{}", user.id), ZIPS_PER_HOUR, 3600).await {
        Ok(None) => {}
        Ok(Some(wait)) => {
            let text = crate::error::rate_limited_text(crate::ssr::request::lang_of(&headers), wait);
            return (StatusCode::TOO_MANY_REQUESTS, [(header::RETRY_AFTER, wait.to_string())], text).into_response();
        }
        Err(e) => return internal(e),
    }
    match personal::archive::build(&st.db, &st.store, &person(&user)).await {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, "application/zip"),
                (header::CONTENT_DISPOSITION, "attachment; filename=\"participa-my-data.zip\""),
                // Personal: never kept by a shared cache.
                (header::CACHE_CONTROL, "private, no-store"),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => internal(e),
    }
}

fn internal(e: impl std::fmt::Display) -> Response {
    tracing::error!(error = %e, "personal data archive");
    (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
}
