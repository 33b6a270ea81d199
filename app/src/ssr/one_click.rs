//! RFC 8058 one-click unsubscribe: a mail client POSTs `…/one-click?token=…` with no cookie and no
//! page. Every feature that mails lists (the newsletter, consultation follows) answers the same way:
//! 200 when done, 400 for a link that is not ours, 500 (logged) when the database fails.
use super::AppState;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::future::Future;

/// The handler for one feature: `unsubscribe(state, token)` says whether the token was one of ours
/// (and acted on it).
pub async fn answer<F, Fut>(st: AppState, q: HashMap<String, String>, what: &'static str, unsubscribe: F) -> Response
where
    F: FnOnce(AppState, String) -> Fut,
    Fut: Future<Output = Result<bool, sqlx::Error>>,
{
    let token = q.get("token").cloned().unwrap_or_default();
    match unsubscribe(st, token).await {
        Ok(true) => (http::StatusCode::OK, "unsubscribed / dezabonat").into_response(),
        Ok(false) => (http::StatusCode::BAD_REQUEST, "invalid link").into_response(),
        Err(e) => {
            tracing::error!(error = %e, what, "one-click unsubscribe");
            http::StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// The query of a one-click request, for handlers' signatures.
pub type TokenQuery = Query<HashMap<String, String>>;
/// The state of a one-click request, for handlers' signatures.
pub type St = State<AppState>;
