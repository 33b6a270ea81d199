//! Plain HTTP endpoint of the newsletter (server only): RFC 8058 one-click unsubscribe.
use crate::ssr::one_click::{St, TokenQuery};
use crate::ssr::AppState;
use axum::routing::post;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new().route("/newsletter/one-click", post(one_click))
}

/// Mail clients POST here without cookies or a page.
pub async fn one_click(axum::extract::State(st): St, axum::extract::Query(q): TokenQuery) -> axum::response::Response {
    crate::ssr::one_click::answer(st, q, "newsletter", |st, token| async move {
        super::service::unsubscribe_by_token(&st.db, &st.settings.keys, &token).await
    })
    .await
}
