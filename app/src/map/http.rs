//! Plain HTTP endpoints of the map (server only): data by bounding box, exports, Leaflet's files,
//! the petition PDF, and the multipart forms that carry photos and imports. Each handler reads the
//! request (who asks, the form) and answers; the work is in `service`.
use super::rules::{self, report_form::check_report};
use super::service::{self, Stop};
use super::PlaceFilter;
use crate::accounts::session::user_of;
use crate::i18n::{Lang, K};
use crate::ssr::forms::{done, FieldProblem};
use crate::ssr::AppState;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use std::collections::HashMap;

/// Whole request: five photos of 10 MB and the text around them.
pub const MAX_BODY: usize = 5 * 10 * 1024 * 1024 + 1024 * 1024;
/// Whole import request: the file and the organisation field.
pub const MAX_IMPORT_BODY: usize = rules::import::MAX_FILE + 64 * 1024;

/// Upload routes and their larger body limits (every other route gets the server's default).
pub const BODY_LIMITS: &[(&str, usize)] =
    &[("/map/reports", MAX_BODY), ("/map/reports/*/fixed", MAX_BODY), ("/map/import/upload", MAX_IMPORT_BODY)];

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/map/data.json", get(data))
        .route("/map/export.geojson", get(export_geojson))
        .route("/map/export.csv", get(export_csv))
        .route("/map/petition.pdf", get(petition_pdf))
        .route("/vendor/leaflet/{version}/{*file}", get(leaflet))
        .route("/map/reports", post(create_report).layer(DefaultBodyLimit::max(MAX_BODY)))
        .route("/map/reports/{id}/fixed", post(mark_fixed).layer(DefaultBodyLimit::max(MAX_BODY)))
        .route("/map/import/upload", post(upload_import).layer(DefaultBodyLimit::max(MAX_IMPORT_BODY)))
        // The page itself (GET) is the app's; its form posts here.
        .route("/map/reports/{id}/follow-up", post(answer_followup))
}

/// Pinned with `app/package.json`; the version is part of the URL so the files can be cached forever.
pub const LEAFLET_VERSION: &str = "1.9.4";

fn internal(e: impl std::fmt::Display) -> Response {
    tracing::error!(error = %e, "map endpoint");
    (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
}

fn filter_of(q: &HashMap<String, String>) -> PlaceFilter {
    PlaceFilter::from_pairs(|k| q.get(k).cloned())
}

/// `GET /map/data.json?bbox=west,south,east,north&z=zoom&<filters>`: points or clusters.
pub async fn data(State(st): State<AppState>, Query(q): Query<HashMap<String, String>>) -> Response {
    let bbox: Vec<f64> =
        q.get("bbox").map(|b| b.split(',').filter_map(|x| x.trim().parse().ok()).collect()).unwrap_or_default();
    let [w, s, e, n] = bbox[..] else {
        return (StatusCode::BAD_REQUEST, "bbox=west,south,east,north").into_response();
    };
    if !(rules::valid_coords(s, w) && rules::valid_coords(n, e)) || s > n || w > e {
        return (StatusCode::BAD_REQUEST, "bbox out of range").into_response();
    }
    let zoom: i64 = q.get("z").and_then(|z| z.parse().ok()).unwrap_or(13);
    match service::places::map_data_json(&st.db, &filter_of(&q), (w, s, e, n), zoom).await {
        Ok(bytes) => (
            [(header::CONTENT_TYPE, "application/json"), (header::CACHE_CONTROL, "public, max-age=30")],
            (*bytes).clone(),
        )
            .into_response(),
        Err(e) => internal(e),
    }
}

pub async fn export_geojson(State(st): State<AppState>, Query(q): Query<HashMap<String, String>>) -> Response {
    match service::exports::rows(&st.db, &filter_of(&q)).await {
        Ok(rows) => (
            [
                (header::CONTENT_TYPE, "application/geo+json; charset=utf-8"),
                (header::CONTENT_DISPOSITION, "attachment; filename=\"harta-accesibilitate.geojson\""),
            ],
            rules::export::geojson(&rows),
        )
            .into_response(),
        Err(e) => internal(e),
    }
}

pub async fn export_csv(State(st): State<AppState>, Query(q): Query<HashMap<String, String>>) -> Response {
    match service::exports::rows(&st.db, &filter_of(&q)).await {
        Ok(rows) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (header::CONTENT_DISPOSITION, "attachment; filename=\"harta-accesibilitate.csv\""),
            ],
            service::exports::csv(&rows),
        )
            .into_response(),
        Err(e) => internal(e),
    }
}

/// Where Leaflet's `dist/` is: `LEAFLET_DIR`, else `app/node_modules/leaflet/dist` from the
/// repository root (or from `server/`, where `cargo test` runs).
fn leaflet_dir() -> std::path::PathBuf {
    if let Ok(d) = std::env::var("LEAFLET_DIR") {
        if !d.trim().is_empty() {
            return d.into();
        }
    }
    for cand in ["app/node_modules/leaflet/dist", "../app/node_modules/leaflet/dist"] {
        let p = std::path::PathBuf::from(cand);
        if p.is_dir() {
            return p;
        }
    }
    "app/node_modules/leaflet/dist".into()
}

/// `GET /vendor/leaflet/<version>/<file>`: Leaflet's own files, from the npm package.
pub async fn leaflet(Path((version, file)): Path<(String, String)>) -> Response {
    const FILES: &[(&str, &str)] = &[
        ("leaflet.js", "text/javascript; charset=utf-8"),
        ("leaflet.css", "text/css; charset=utf-8"),
        ("images/layers.png", "image/png"),
        ("images/layers-2x.png", "image/png"),
        ("images/marker-icon.png", "image/png"),
        ("images/marker-icon-2x.png", "image/png"),
        ("images/marker-shadow.png", "image/png"),
    ];
    let Some((name, ctype)) = FILES.iter().find(|(f, _)| *f == file) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    if version != LEAFLET_VERSION {
        return StatusCode::NOT_FOUND.into_response();
    }
    match tokio::fs::read(leaflet_dir().join(name)).await {
        Ok(bytes) => {
            ([(header::CONTENT_TYPE, *ctype), (header::CACHE_CONTROL, "public, max-age=31536000, immutable")], bytes)
                .into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, file = name, "Leaflet is missing: run `npm ci` in app/ (server/scripts/setup.sh does)");
            StatusCode::NOT_FOUND.into_response()
        }
    }
}

/// Per field: a photo of up to 10 MB (more is refused next to its field), small text fields.
const FORM_LIMITS: crate::ssr::multipart::Limits = crate::ssr::multipart::Limits::files(crate::ssr::images::MAX_BYTES);

fn problem_key(code: &str) -> K {
    match code {
        "required" => K::err_required,
        "problem" => K::err_choose,
        "description" => K::map_err_description,
        "alt" => K::map_err_alt,
        "too_large" => K::map_err_photo_large,
        "not_image" => K::map_err_photo_type,
        "coords" => K::map_err_coords,
        "sign_in" => K::err_sign_in_required,
        "verify" => K::err_verify_first,
        "rate" => K::map_err_rate,
        "photo_required" => K::map_err_fixed_needs_photo,
        "too_many_pixels" => K::map_err_photo_pixels,
        "not_allowed" => K::map_err_not_allowed,
        _ => K::err_internal,
    }
}

pub fn problem_message(lang: Lang, code: &str) -> String {
    lang.t(problem_key(code)).to_string()
}

/// Failure: back to the form with the problems (and the text typed), or as JSON for the island.
fn failed(headers: &HeaderMap, back: &str, errors: &[FieldProblem], keep: &[(&str, &str)]) -> Response {
    crate::ssr::forms::send_back(headers, back, None, errors, keep, problem_message)
}

/// The answer to a stopped form: back to `back` with its problems, or the matching status.
fn stopped(headers: &HeaderMap, back: &str, stop: Stop, keep: &[(&str, &str)]) -> Response {
    match stop {
        Stop::Back(errors) => failed(headers, back, &errors, keep),
        Stop::NotFound => StatusCode::NOT_FOUND.into_response(),
        Stop::Forbidden => StatusCode::FORBIDDEN.into_response(),
        Stop::Internal(e) => internal(e),
    }
}

/// `POST /map/reports` (multipart): a signed-in resident reports a problem at a place, or at a new
/// place (name, category, locality and the pin's coordinates), with up to five photos.
pub async fn create_report(State(st): State<AppState>, headers: HeaderMap, mp: Multipart) -> Response {
    // Who is asking is known from the headers: nobody else makes the server read a body.
    let generic_back = "/map/report";
    let me = match user_of(&st, &headers).await {
        Ok(Some(u)) => u,
        Ok(None) => return failed(&headers, generic_back, &[FieldProblem::new("form", "sign_in")], &[]),
        Err(e) => return internal(e),
    };
    if let Err(stop) = service::reports::may_report(&st.db, &me).await {
        return stopped(&headers, generic_back, stop, &[]);
    }
    let parts = match crate::ssr::multipart::read(mp, FORM_LIMITS).await {
        Ok(p) => p,
        Err(e) => return e.status().into_response(),
    };
    let (problem, description) = (parts.get("problem"), parts.get("description"));
    let keep = [("problem", problem.as_str()), ("description", description.as_str())];
    let (input, problems) = check_report(|k| parts.get(k));
    let back = input.back();
    match service::reports::create_report(&st, &me, input, problems, &parts).await {
        Ok(id) => done(&headers, &format!("/map/reports/{id}?created=1")),
        Err(stop) => stopped(&headers, &back, stop, &keep),
    }
}

/// `POST /map/reports/{id}/fixed` (multipart): "it is fixed", with a photo as evidence.
pub async fn mark_fixed(
    State(st): State<AppState>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    mp: Multipart,
) -> Response {
    let back = format!("/map/reports/{id}");
    let me = match user_of(&st, &headers).await {
        Ok(Some(u)) => u,
        Ok(None) => return failed(&headers, &back, &[FieldProblem::new("form", "sign_in")], &[]),
        Err(e) => return internal(e),
    };
    let action = match service::reports::fixed_action_for(&st.db, &me, id).await {
        Ok(a) => a,
        Err(stop) => return stopped(&headers, &back, stop, &[]),
    };
    let parts = match crate::ssr::multipart::read(mp, FORM_LIMITS).await {
        Ok(p) => p,
        Err(e) => return e.status().into_response(),
    };
    let comment = parts.text.get("comment").cloned().unwrap_or_default();
    let keep = [("comment", comment.as_str())];
    match service::reports::mark_fixed(&st, &me, id, action, comment.clone(), &parts).await {
        Ok(()) => done(&headers, &format!("/map/reports/{id}?done={}", action.code())),
        Err(stop) => stopped(&headers, &back, stop, &keep),
    }
}

/// `GET /map/petition.pdf?org=&authority=`: the letter listing every confirmed problem.
pub async fn petition_pdf(
    State(st): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let org: i64 = q.get("org").and_then(|v| v.parse().ok()).unwrap_or(0);
    let authority: i64 = q.get("authority").and_then(|v| v.parse().ok()).unwrap_or(0);
    let me = match user_of(&st, &headers).await {
        Ok(Some(u)) => u,
        Ok(None) => return StatusCode::UNAUTHORIZED.into_response(),
        Err(e) => return internal(e),
    };
    match service::petition::pdf(&st, &me, org, authority).await {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, "application/pdf"),
                (header::CONTENT_DISPOSITION, "attachment; filename=\"petitie-accesibilitate.pdf\""),
            ],
            bytes,
        )
            .into_response(),
        Err(stop) => stopped(&headers, "/map/petition", stop, &[]),
    }
}

/// `POST /map/import/upload` (multipart, works without JS): an organisation admin (or a platform
/// admin) uploads a CSV or GeoJSON file; it is checked by content, kept for its preview and the
/// person is sent to `/map/import?upload=<token>`. Nothing is imported here.
pub async fn upload_import(State(st): State<AppState>, headers: HeaderMap, mp: Multipart) -> Response {
    let me = match user_of(&st, &headers).await {
        Ok(Some(u)) => u,
        Ok(None) => {
            return (StatusCode::SEE_OTHER, [(header::LOCATION, "/account/login?next=/map/import")]).into_response()
        }
        Err(e) => return internal(e),
    };
    // Only someone who may import for some organisation gets the body read.
    if !rules::may_import(&me, None) {
        return StatusCode::FORBIDDEN.into_response();
    }
    // The form is sent back by redirect, even to a script: the page shows the problem.
    let back = |stop| stopped(&HeaderMap::new(), "/map/import", stop, &[]);
    let limits = crate::ssr::multipart::Limits::files(rules::import::MAX_FILE);
    let parts = match crate::ssr::multipart::read(mp, limits).await {
        Ok(p) if p.too_large.is_empty() => p,
        Ok(_) | Err(crate::ssr::multipart::ReadError::TooLarge) => {
            return back(Stop::Back(vec![FieldProblem::new("file", "too_large")]))
        }
        Err(e) => return e.status().into_response(),
    };
    let org_id: i64 = parts.get("org_id").parse().unwrap_or(0);
    match service::imports::upload(&st, &me, org_id, &parts).await {
        Ok(token) => {
            (StatusCode::SEE_OTHER, [(header::LOCATION, format!("/map/import?upload={token}"))]).into_response()
        }
        Err(stop) => back(stop),
    }
}

/// A short translated page for a follow-up answer that cannot be taken (400 for a link that is not
/// valid, 429 when one address tries too often).
fn followup_stop(status: StatusCode, lang: Lang, text: K) -> Response {
    let esc = crate::text::escape_html;
    let html = format!(
        "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{}</title></head><body><main><h1>{}</h1><p>{}</p><p><a href=\"/map\">{}</a></p></main></body></html>",
        lang.code(),
        esc(lang.t(K::map_followup_title)),
        esc(lang.t(K::map_followup_title)),
        esc(lang.t(text)),
        esc(lang.t(K::map_title)),
    );
    (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response()
}

/// `POST /map/reports/{id}/follow-up` (plain form, works without JS, no sign-in): the reporter's
/// "fixed" / "not yet" from the signed link in the follow-up mail; then the report page with a
/// notice. The token is the only credential, so it is checked before anything is read or written.
pub async fn answer_followup(
    State(st): State<AppState>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    ip: Option<axum::Extension<crate::ssr::request::ClientIp>>,
    axum::extract::Form(form): axum::extract::Form<HashMap<String, String>>,
) -> Response {
    let lang = crate::ssr::request::lang_of(&headers);
    let ip = ip.map(|e| e.0 .0).unwrap_or_default();
    match crate::ssr::rate_limit::hit(&st.db, &format!("map.followup:{ip}"), 30, 3600).await {
        Ok(None) => {}
        Ok(Some(_)) => return followup_stop(StatusCode::TOO_MANY_REQUESTS, lang, K::map_err_rate),
        Err(e) => return internal(e),
    }
    let token = form.get("token").map(String::as_str).unwrap_or_default();
    let Some(answer) = form.get("answer").and_then(|a| rules::FollowupAnswer::parse(a)) else {
        return followup_stop(StatusCode::BAD_REQUEST, lang, K::map_followup_invalid);
    };
    match service::followups::answer(&st.db, &st.settings.keys, &st.settings.public_url, id, token, answer).await {
        Ok(service::followups::Answered::Done(a)) => {
            done(&headers, &format!("/map/reports/{id}?followup={}", a.code()))
        }
        Ok(service::followups::Answered::Refused(code)) => {
            done(&headers, &format!("/map/reports/{id}?followup={code}"))
        }
        Ok(service::followups::Answered::Invalid) => {
            followup_stop(StatusCode::BAD_REQUEST, lang, K::map_followup_invalid)
        }
        Err(e) => internal(e),
    }
}
