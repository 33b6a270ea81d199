//! Plain HTTP endpoints of the map (server only): map data by bounding box, exports, Leaflet's
//! files, and the multipart forms that carry photos (reports, "fixed" with a photo).
use super::*;
use crate::i18n::{Lang, K};
use crate::ssr::{public_id, AppState};
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

/// A photo already checked, re-encoded and stored.
#[derive(Clone, Debug)]
pub struct StoredPhoto {
    pub key_full: String,
    pub key_thumb: String,
    pub alt: String,
    pub width: i64,
    pub height: i64,
}

pub const MAX_PHOTOS: usize = 5;
/// Whole request: five photos of 10 MB and the text around them.
pub const MAX_BODY: usize = 5 * 10 * 1024 * 1024 + 1024 * 1024;

/// Pinned with `app/package.json`; the version is part of the URL so the files can be cached forever.
pub const LEAFLET_VERSION: &str = "1.9.4";

use crate::accounts::session::user_of;

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
    let filter = filter_of(&q);
    // Everyone looking at this view with these filters gets the same bytes: kept briefly (ssr::reads).
    let key = format!("map-data|{w},{s},{e},{n}|{zoom}|{filter:?}");
    let json = st
        .db
        .reads
        .get(&key, || async {
            let d = db::bbox(&st.db, &filter, (w, s, e, n), zoom).await?;
            serde_json::to_vec(&d).map(axum::body::Bytes::from).map_err(|e| sqlx::Error::Decode(Box::new(e)))
        })
        .await;
    match json {
        Ok(bytes) => (
            [(header::CONTENT_TYPE, "application/json"), (header::CACHE_CONTROL, "public, max-age=30")],
            (*bytes).clone(),
        )
            .into_response(),
        Err(e) => internal(e),
    }
}

pub async fn export_geojson(State(st): State<AppState>, Query(q): Query<HashMap<String, String>>) -> Response {
    match db::export_rows(&st.db, &filter_of(&q), 20_000).await {
        Ok(rows) => (
            [
                (header::CONTENT_TYPE, "application/geo+json; charset=utf-8"),
                (header::CONTENT_DISPOSITION, "attachment; filename=\"harta-accesibilitate.geojson\""),
            ],
            export::geojson(&rows),
        )
            .into_response(),
        Err(e) => internal(e),
    }
}

pub async fn export_csv(State(st): State<AppState>, Query(q): Query<HashMap<String, String>>) -> Response {
    match db::export_rows(&st.db, &filter_of(&q), 20_000).await {
        Ok(rows) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (header::CONTENT_DISPOSITION, "attachment; filename=\"harta-accesibilitate.csv\""),
            ],
            export::csv(&rows),
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

type Parts = crate::ssr::multipart::Form;

use crate::ssr::forms::{done, FieldProblem};

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

/// Checks, re-encodes and stores the photos of a form (`photo_1..5` with `alt_1..5`). Every photo is
/// checked before any is stored, so a rejected one leaves nothing half-saved.
async fn photos_of(st: &AppState, parts: &Parts, errors: &mut Vec<FieldProblem>) -> Vec<StoredPhoto> {
    let mut ready = vec![];
    for name in &parts.too_large {
        errors.push(FieldProblem { field: name.clone(), code: "too_large".into() });
    }
    for i in 1..=MAX_PHOTOS {
        let Some(bytes) = parts.files.get(&format!("photo_{i}")) else {
            continue;
        };
        let alt = crate::text::clean_text(parts.text.get(&format!("alt_{i}")).map(String::as_str).unwrap_or(""), 300);
        if alt.chars().count() < 3 {
            errors.push(FieldProblem { field: format!("alt_{i}"), code: "alt".into() });
        }
        match crate::ssr::images::process_off_thread(bytes.clone()).await {
            Ok(p) => ready.push((p, alt)),
            Err(crate::ssr::images::ImageError::TooLarge) => {
                errors.push(FieldProblem { field: format!("photo_{i}"), code: "too_large".into() })
            }
            Err(crate::ssr::images::ImageError::TooManyPixels) => {
                errors.push(FieldProblem { field: format!("photo_{i}"), code: "too_many_pixels".into() })
            }
            Err(_) => errors.push(FieldProblem { field: format!("photo_{i}"), code: "not_image".into() }),
        }
    }
    if !errors.is_empty() {
        return vec![];
    }
    let mut stored = vec![];
    for (p, alt) in ready {
        let id = public_id();
        let (full, thumb) = (format!("map/{id}.jpg"), format!("map/{id}_t.jpg"));
        if let Err(e) = st.store.put(&full, p.full).await.and(st.store.put(&thumb, p.thumb).await) {
            tracing::error!(error = %e, "storing a photo");
            errors.push(FieldProblem { field: "photo_1".into(), code: "internal".into() });
            return vec![];
        }
        stored.push(StoredPhoto {
            key_full: full,
            key_thumb: thumb,
            alt,
            width: p.width as i64,
            height: p.height as i64,
        });
    }
    stored
}

/// Failure: back to the form with the problems (and the text typed), or as JSON for the island.
fn failed(headers: &HeaderMap, back: &str, errors: &[FieldProblem], keep: &[(&str, &str)]) -> Response {
    crate::ssr::forms::send_back(headers, back, None, errors, keep, problem_message)
}

/// `POST /map/reports` (multipart): a signed-in resident reports a problem at a place, or at a new
/// place (name, category, locality and the pin's coordinates), with up to five photos.
pub async fn create_report(State(st): State<AppState>, headers: HeaderMap, mp: Multipart) -> Response {
    // Who is asking is known from the headers: nobody else makes the server read a body.
    let generic_back = "/map/report";
    let me = match user_of(&st, &headers).await {
        Ok(Some(u)) => u,
        Ok(None) => {
            return failed(
                &headers,
                generic_back,
                &[FieldProblem { field: "form".into(), code: "sign_in".into() }],
                &[],
            )
        }
        Err(e) => return internal(e),
    };
    if !me.verified {
        return failed(&headers, generic_back, &[FieldProblem { field: "form".into(), code: "verify".into() }], &[]);
    }
    match crate::ssr::rate_limit::hit(&st.db, &format!("map.report:{}", me.id), 20, 3600).await {
        Ok(Some(_)) => {
            return failed(&headers, generic_back, &[FieldProblem { field: "form".into(), code: "rate".into() }], &[])
        }
        Ok(None) => {}
        Err(e) => return internal(e),
    }
    let parts = match crate::ssr::multipart::read(mp, FORM_LIMITS).await {
        Ok(p) => p,
        Err(e) => return e.status().into_response(),
    };
    let get = |k: &str| parts.get(k);
    let place_id: Option<i64> = get("place_id").parse().ok();
    let back = match place_id {
        Some(id) => format!("/map/places/{id}/report"),
        None => "/map/report".to_string(),
    };
    let (problem, description) = (get("problem"), get("description"));
    let keep = [("problem", problem.as_str()), ("description", description.as_str())];
    let mut errors = vec![];
    if !PROBLEMS.contains(&problem.as_str()) {
        errors.push(FieldProblem { field: "problem".into(), code: "problem".into() });
    }
    let description = crate::text::clean_text(&description, 2000);
    if description.chars().count() < 10 {
        errors.push(FieldProblem { field: "description".into(), code: "description".into() });
    }
    let new_place = if place_id.is_none() {
        let name = crate::text::clean_text(&get("name"), 150);
        let category = get("category");
        let locality = crate::text::clean_text(&get("locality"), 80);
        if name.chars().count() < 3 {
            errors.push(FieldProblem { field: "name".into(), code: "required".into() });
        }
        if locality.is_empty() {
            errors.push(FieldProblem { field: "locality".into(), code: "required".into() });
        }
        let lat = get("lat").parse::<f64>().ok();
        let lon = get("lon").parse::<f64>().ok();
        let coords = match (lat, lon) {
            (Some(a), Some(b)) if rules::valid_coords(a, b) => Some((a, b)),
            _ => {
                errors.push(FieldProblem { field: "lat".into(), code: "coords".into() });
                None
            }
        };
        let category = if rules::CATEGORIES.contains(&category.as_str()) { category } else { "other".into() };
        let address = crate::text::clean_text(&get("address"), 200);
        coords.map(|(lat, lon)| db::NewPlace { name, category, locality, address, lat, lon, ..Default::default() })
    } else {
        None
    };
    if let Some(id) = place_id {
        match db::place_owners(&st.db, id).await {
            Ok(Some(_)) => {}
            Ok(None) => return StatusCode::NOT_FOUND.into_response(),
            Err(e) => return internal(e),
        }
    }
    if !errors.is_empty() {
        return failed(&headers, &back, &errors, &keep);
    }
    let photos = photos_of(&st, &parts, &mut errors).await;
    if !errors.is_empty() {
        return failed(&headers, &back, &errors, &keep);
    }
    let result = async {
        let place = match (place_id, new_place) {
            (Some(id), _) => id,
            (None, Some(mut p)) => {
                p.authority_id = db::default_authority(&st.db, &p.locality, &p.category).await?;
                p.org_id = db::locality_org(&st.db, &p.locality).await?;
                db::insert_place(&st.db.pool, &p, Some(me.id), false).await?
            }
            (None, None) => return Err(sqlx::Error::RowNotFound),
        };
        let id = db::insert_report(&st.db, place, &problem, &description, me.id, &photos).await?;
        db::refresh_place(&st.db, place, today()).await?;
        Ok::<_, sqlx::Error>(id)
    }
    .await;
    match result {
        Ok(id) => done(&headers, &format!("/map/reports/{id}?created=1")),
        Err(e) => internal(e),
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
    let refused =
        |code: &str| failed(&headers, &back, &[FieldProblem { field: "form".into(), code: code.into() }], &[]);
    let me = match user_of(&st, &headers).await {
        Ok(Some(u)) => u,
        Ok(None) => return refused("sign_in"),
        Err(e) => return internal(e),
    };
    // May this person say "fixed" here at all? Decided before any photo is read or stored.
    let action = match fixed_action_for(&st, &me, id).await {
        Ok(Some(a)) => a,
        Ok(None) => return refused("not_allowed"),
        Err(MapError(crate::error::Problem::NotFound)) => return StatusCode::NOT_FOUND.into_response(),
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    match crate::ssr::rate_limit::hit(&st.db, &format!("map.fixed:{}", me.id), 20, 3600).await {
        Ok(Some(_)) => return refused("rate"),
        Ok(None) => {}
        Err(e) => return internal(e),
    }
    let parts = match crate::ssr::multipart::read(mp, FORM_LIMITS).await {
        Ok(p) => p,
        Err(e) => return e.status().into_response(),
    };
    let comment = parts.text.get("comment").cloned().unwrap_or_default();
    let keep = [("comment", comment.as_str())];
    let mut errors = vec![];
    let photos = photos_of(&st, &parts, &mut errors).await;
    if !errors.is_empty() {
        return failed(&headers, &back, &errors, &keep);
    }
    let input =
        ActInput { comment: comment.clone(), registration_no: String::new(), registered_on: String::new(), photos };
    match apply_action(&st.db, &me, id, action, input, &st.settings.public_url).await {
        Ok(_) => done(&headers, &format!("/map/reports/{id}?done={}", action.code())),
        Err(MapError(crate::error::Problem::Refused(K::map_err_fixed_needs_photo))) => {
            failed(&headers, &back, &[FieldProblem { field: "photo_1".into(), code: "photo_required".into() }], &keep)
        }
        Err(MapError(crate::error::Problem::NotFound)) => StatusCode::NOT_FOUND.into_response(),
        Err(MapError(crate::error::Problem::Refused(_))) => StatusCode::FORBIDDEN.into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// The "it is fixed" action this person may take on this report: staff and the authority close it,
/// a resident proposes it (with a photo) for the organisation or a moderator to confirm.
async fn fixed_action_for(
    st: &AppState,
    me: &crate::accounts::SessionUser,
    report_id: i64,
) -> Result<Option<Action>, MapError> {
    let r = db::report_facts(&st.db, report_id).await?.ok_or(MapError(crate::error::Problem::NotFound))?;
    let who = actor_for(Some(me), r.org_id, r.authority_id, r.reporter_id);
    let facts = rules::ReportFacts { extended: r.extended, with_photo: true };
    Ok([Action::Fixed, Action::ProposeFixed].into_iter().find(|a| rules::transition(r.state, *a, who, facts).is_ok()))
}

/// `GET /map/petition.pdf?org=&authority=`: the letter listing every confirmed problem.
pub async fn petition_pdf(
    State(st): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    use crate::accounts::rules::RoleKind;
    let org: i64 = q.get("org").and_then(|v| v.parse().ok()).unwrap_or(0);
    let authority: i64 = q.get("authority").and_then(|v| v.parse().ok()).unwrap_or(0);
    let me = match user_of(&st, &headers).await {
        Ok(Some(u)) => u,
        Ok(None) => return StatusCode::UNAUTHORIZED.into_response(),
        Err(e) => return internal(e),
    };
    if !(me.is_admin() || me.has_scoped(RoleKind::OrgAdmin, org) || me.has_scoped(RoleKind::OrgMember, org)) {
        return StatusCode::FORBIDDEN.into_response();
    }
    let parties = match db::petition_parties(&st.db, org, authority).await {
        Ok(Some(p)) => p,
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(e) => return internal(e),
    };
    let items = match db::petition_items(&st.db, org, authority).await {
        Ok(i) => i,
        Err(e) => return internal(e),
    };
    match petition::render(&parties, &items, today(), &st.settings.public_url) {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, "application/pdf"),
                (header::CONTENT_DISPOSITION, "attachment; filename=\"petitie-accesibilitate.pdf\""),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => internal(e),
    }
}

/// Whole import request: the file and the organisation field.
pub const MAX_IMPORT_BODY: usize = import::MAX_FILE + 64 * 1024;

fn import_back(code: &str) -> Response {
    crate::ssr::forms::send_back(
        &HeaderMap::new(),
        "/map/import",
        None,
        &[FieldProblem::new("file", code)],
        &[],
        problem_message,
    )
}

/// `POST /map/import/upload` (multipart, works without JS): an organisation admin (or a platform
/// admin) uploads a CSV or GeoJSON file; it is checked by content, kept for its preview and the
/// person is sent to `/map/import?upload=<token>`. Nothing is imported here.
pub async fn upload_import(State(st): State<AppState>, headers: HeaderMap, mp: Multipart) -> Response {
    use crate::accounts::rules::RoleKind;
    let me = match user_of(&st, &headers).await {
        Ok(Some(u)) => u,
        Ok(None) => {
            return (StatusCode::SEE_OTHER, [(header::LOCATION, "/account/login?next=/map/import")]).into_response()
        }
        Err(e) => return internal(e),
    };
    // Only someone who may import for some organisation gets the body read.
    if !(me.is_admin() || me.roles.iter().any(|r| r.kind == RoleKind::OrgAdmin)) {
        return StatusCode::FORBIDDEN.into_response();
    }
    let parts = match crate::ssr::multipart::read(mp, crate::ssr::multipart::Limits::files(import::MAX_FILE)).await {
        Ok(p) if p.too_large.is_empty() => p,
        Ok(_) | Err(crate::ssr::multipart::ReadError::TooLarge) => return import_back("too_large"),
        Err(e) => return e.status().into_response(),
    };
    let org_id: i64 = parts.get("org_id").parse().unwrap_or(0);
    if !(me.is_admin() || me.has_scoped(RoleKind::OrgAdmin, org_id)) {
        return StatusCode::FORBIDDEN.into_response();
    }
    match crate::ssr::rate_limit::hit(&st.db, &format!("map.import:{}", me.id), 30, 3600).await {
        Ok(Some(_)) => return import_back("rate"),
        Ok(None) => {}
        Err(e) => return internal(e),
    }
    let Some(bytes) = parts.files.get("file") else {
        return import_back("required");
    };
    let text = match import::file_text(bytes) {
        Ok(t) => t,
        Err(code) => return import_back(code),
    };
    let name = parts.file_names.get("file").cloned().unwrap_or_default();
    let name = crate::text::clean_text(&name, 120);
    let token = public_id();
    match db::save_import(&st.db, &token, me.id, org_id, &name, &text).await {
        Ok(()) => (StatusCode::SEE_OTHER, [(header::LOCATION, format!("/map/import?upload={token}"))]).into_response(),
        Err(e) => internal(e),
    }
}
