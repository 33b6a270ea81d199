//! Plain HTTP endpoint of stories (server only): the Atom feed.
use crate::ssr::AppState;
use axum::routing::get;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new().route("/stories/feed.atom", get(feed))
}

pub async fn feed(axum::extract::State(st): axum::extract::State<crate::ssr::AppState>) -> axum::response::Response {
    use axum::response::IntoResponse;
    match super::db::stories(&st.db, 0, 30).await {
        Ok(list) => (
            [(axum::http::header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
            super::rules::atom(st.settings.public_url.trim_end_matches('/'), &list),
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "atom feed");
            axum::http::StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
