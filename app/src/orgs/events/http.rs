//! Plain HTTP endpoint of events (server only): the calendar file.
use crate::ssr::AppState;
use axum::routing::get;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new().route("/events/{slug}/event.ics", get(ics_file))
}

/// GET /events/{slug}/event.ics
pub async fn ics_file(
    axum::extract::State(st): axum::extract::State<crate::ssr::AppState>,
    axum::extract::Path(slug): axum::extract::Path<String>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    match super::db::event(&st.db, &slug, None).await {
        Ok(Some(e)) => {
            let url = format!("{}/events/{}", st.settings.public_url.trim_end_matches('/'), e.card.slug);
            let place = if e.card.place.is_empty() { e.online_url.clone() } else { e.card.place.clone() };
            let body = super::rules::ics(
                &format!("event-{}@participa", e.card.id),
                &e.card.title,
                &e.description,
                &place,
                &url,
                e.card.starts_at,
                e.card.ends_at,
                crate::ssr::now(),
            );
            let disposition = format!("attachment; filename=\"{}.ics\"", e.card.slug);
            (
                [
                    (axum::http::header::CONTENT_TYPE, "text/calendar; charset=utf-8".to_string()),
                    (axum::http::header::CONTENT_DISPOSITION, disposition),
                ],
                body,
            )
                .into_response()
        }
        Ok(None) => axum::http::StatusCode::NOT_FOUND.into_response(),
        Err(e) => {
            tracing::error!(error = %e, "ics");
            axum::http::StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
