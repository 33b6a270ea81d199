//! Plain HTTP endpoints of donations (server only): the organisation's CSV, receipts by signed
//! link, the campaign cover upload. Provider webhooks are the server's (it owns the providers).
use super::service::{dashboard, links, mail};
use super::{db, pages::cover_problem, rules};
use crate::ssr::AppState;
use ::http::{header, HeaderMap, StatusCode};
use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;

/// Upload routes and their larger body limits (every other route gets the server's default).
pub const BODY_LIMITS: &[(&str, usize)] = &[("/campaigns/*/cover", crate::ssr::images::MAX_BYTES + 64 * 1024)];

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/organisations/{slug}/donations.csv", get(csv))
        .route("/donate/receipt/{token}", get(receipt_file))
        .route(
            "/campaigns/{slug}/cover",
            post(upload_cover).layer(axum::extract::DefaultBodyLimit::max(BODY_LIMITS[0].1)),
        )
}

/// `POST /campaigns/{slug}/cover` (multipart: `cover` image, `cover_alt` text): the campaign's cover,
/// checked by content and re-encoded (metadata dropped), stored under an unguessable key.
pub async fn upload_cover(
    State(st): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    mp: Multipart,
) -> Response {
    let path = format!("/campaigns/{slug}/edit");
    let back = |code: &str| {
        let errors = [crate::ssr::forms::FieldProblem::new("cover", code)];
        crate::ssr::forms::send_back(&headers, &path, Some("cover-h"), &errors, &[], |lang, code| {
            lang.t(cover_problem(code)).to_string()
        })
    };
    let Ok(Some(c)) = db::campaign(&st.db, &slug).await else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match crate::accounts::session::user_of(&st, &headers).await {
        Ok(Some(u)) if crate::orgs::members::can_manage(&u, c.org_id) => {}
        _ => return StatusCode::FORBIDDEN.into_response(),
    }
    let limits = crate::ssr::multipart::Limits::files(crate::ssr::images::MAX_BYTES);
    let form = match crate::ssr::multipart::read(mp, limits).await {
        Ok(f) if !f.too_large.is_empty() => return back("large"),
        Ok(f) => f,
        Err(e) => return e.status().into_response(),
    };
    let alt = crate::text::clean_text(&form.get("cover_alt"), 200);
    let Some(bytes) = form.files.get("cover").cloned() else { return back("image") };
    if alt.is_empty() {
        return back("alt");
    }
    let processed = match crate::ssr::images::process_off_thread(bytes).await {
        Ok(p) => p,
        Err(crate::ssr::images::ImageError::TooLarge | crate::ssr::images::ImageError::TooManyPixels) => {
            return back("large")
        }
        Err(_) => return back("image"),
    };
    let key = format!("donations/{}.jpg", crate::ssr::public_id());
    if let Err(e) = st.store.put(&key, processed.full).await {
        tracing::error!(error = %e, "campaign cover");
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    if let Err(e) = db::set_cover(&st.db, c.card.id, &format!("/media/{key}"), &alt).await {
        tracing::error!(error = %e, "campaign cover");
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    Redirect::to(&format!("/campaigns/{slug}/edit?saved=1")).into_response()
}

/// `GET /organisations/{slug}/donations.csv`: every donation, for the organisation's managers.
pub async fn csv(State(st): State<AppState>, Path(slug): Path<String>, headers: HeaderMap) -> Response {
    let slug = slug.trim_end_matches(".csv").to_string();
    let result = match crate::accounts::session::user_of(&st, &headers).await {
        Ok(Some(user)) => dashboard::donations_csv(&st.db, &user, &slug).await,
        Ok(None) => Ok(None),
        Err(e) => Err(e),
    };
    match result {
        Ok(Some(body)) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"donations-{slug}.csv\"")),
                (header::CACHE_CONTROL, "no-store".to_string()),
            ],
            body,
        )
            .into_response(),
        Ok(None) => (StatusCode::FORBIDDEN, "forbidden").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "donations csv");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// `GET /donate/receipt/{token}`: the PDF, for whoever holds the signed link from the mail.
pub async fn receipt_file(State(st): State<AppState>, Path(token): Path<String>) -> Response {
    let Some(id) = links::verify_receipt_token(&st.settings.keys, &token) else {
        return (StatusCode::NOT_FOUND, "invalid link").into_response();
    };
    let d = match db::donation_by_public(&st.db, &id).await {
        Ok(Some(d)) if rules::has_receipt(&d.status) => d,
        Ok(_) => return (StatusCode::NOT_FOUND, "not found").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "receipt");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    match mail::receipt_pdf(&d) {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, "application/pdf".to_string()),
                (header::CONTENT_DISPOSITION, format!("inline; filename=\"{}.pdf\"", rules::reference(&d.public_id))),
                (header::CACHE_CONTROL, "private, no-store".to_string()),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "receipt pdf");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
