//! Plain HTTP endpoints of the catalogue (server only): open data (the public fields of every
//! active organisation as CSV and JSON) and the logo upload.
use crate::ssr::AppState;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;

/// Upload routes and their larger body limits (every other route gets the server's default).
pub const BODY_LIMITS: &[(&str, usize)] = &[("/organisations/*/logo", crate::ssr::images::MAX_BYTES + 64 * 1024)];

pub fn routes() -> Router<AppState> {
    Router::new().route("/organisations.csv", get(csv)).route("/organisations.json", get(json)).route(
        "/organisations/{slug}/logo",
        post(upload_logo).layer(axum::extract::DefaultBodyLimit::max(BODY_LIMITS[0].1)),
    )
}

/// The organisations as CSV (RFC 4180, formula-safe cells: see `ssr::csv`).
pub async fn csv(State(st): State<AppState>) -> Response {
    match super::db::export_rows(&st.db).await {
        Ok(rows) => {
            use crate::ssr::csv::{Cells, Table};
            let header = [
                "name",
                "legal_form",
                "cui",
                "registry_number",
                "locality",
                "county",
                "domains",
                "website",
                "verified",
                "url",
            ];
            let mut table = Table::new(&header, Cells::Neutralise, true, false);
            for p in rows {
                table.row([
                    p.card.name.clone(),
                    p.card.legal_form.clone(),
                    p.cui.clone().unwrap_or_default(),
                    p.registry_number.clone(),
                    p.card.locality.clone(),
                    p.card.county.clone(),
                    p.card.domains.join(";"),
                    p.website.clone(),
                    p.card.verified.to_string(),
                    format!("{}/organisations/{}", st.settings.public_url.trim_end_matches('/'), p.card.slug),
                ]);
            }
            let out = table.finish();
            (
                [
                    (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                    (header::CONTENT_DISPOSITION, "attachment; filename=\"participa-organisations.csv\""),
                ],
                out,
            )
                .into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "organisations export");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

pub async fn json(State(st): State<AppState>) -> Response {
    match super::db::export_rows(&st.db).await {
        Ok(rows) => {
            let items: Vec<_> = rows
                .into_iter()
                .map(|p| {
                    serde_json::json!({
                        "name": p.card.name, "slug": p.card.slug, "legal_form": p.card.legal_form, "cui": p.cui,
                        "registry_number": p.registry_number, "locality": p.card.locality, "county": p.card.county,
                        "domains": p.card.domains, "website": p.website, "verified": p.card.verified,
                        "short_description": p.card.short_description, "demo": p.card.is_demo,
                    })
                })
                .collect();
            axum::Json(serde_json::json!({ "organisations": items })).into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "organisations export");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// `POST /organisations/{id}/logo` (multipart, works without JavaScript): the logo and its alt
/// text. Only the organisation's admins get the body read; problems come back to the edit page,
/// next to the file field.
pub async fn upload_logo(
    State(st): State<AppState>,
    axum::extract::Path(org_id): axum::extract::Path<i64>,
    headers: axum::http::HeaderMap,
    mp: axum::extract::Multipart,
) -> Response {
    match crate::accounts::session::user_of(&st, &headers).await {
        Ok(Some(u)) if crate::orgs::members::can_manage(&u, org_id) => {}
        Ok(_) => return StatusCode::FORBIDDEN.into_response(),
        Err(e) => {
            tracing::error!(error = %e, "logo upload");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    }
    let slug = match super::db::slug_and_name(&st.db, org_id).await {
        Ok(Some((slug, _))) => slug,
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(e) => {
            tracing::error!(error = %e, "logo upload");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let path = format!("/organisations/{slug}/edit");
    let back = |code: &str| {
        let errors = [crate::ssr::forms::FieldProblem::new("logo", code)];
        crate::ssr::forms::send_back(&headers, &path, Some("logo-h"), &errors, &[], |lang, code| {
            lang.t(super::rules::logo_problem(code)).to_string()
        })
    };
    let limits = crate::ssr::multipart::Limits::files(crate::ssr::images::MAX_BYTES);
    let form = match crate::ssr::multipart::read(mp, limits).await {
        Ok(f) if !f.too_large.is_empty() => return back("size"),
        Ok(f) => f,
        Err(e) => return e.status().into_response(),
    };
    let alt = crate::text::clean_text(&form.get("logo_alt"), 200);
    let Some(file) = form.files.get("logo").cloned() else { return back("missing") };
    if alt.chars().count() < 3 {
        return back("alt");
    }
    let img = match crate::ssr::images::process_off_thread(file).await {
        Ok(img) => img,
        Err(crate::ssr::images::ImageError::TooLarge | crate::ssr::images::ImageError::TooManyPixels) => {
            return back("size")
        }
        Err(_) => return back("type"),
    };
    let key = format!("orgs/{}.jpg", crate::ssr::public_id());
    if let Err(e) = st.store.put(&key, img.thumb).await {
        tracing::error!(error = %e, "logo store");
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    match super::db::set_logo(&st.db, org_id, &key, &alt).await {
        Ok(old) => {
            if let Some(old) = old {
                let _ = st.store.delete(&old).await;
            }
            axum::response::Redirect::to(&format!("/organisations/{slug}?saved=1")).into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "logo upload");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
