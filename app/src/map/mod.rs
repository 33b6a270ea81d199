//! Accessibility map: public institutions with structured audits and a derived rating, a list and
//! a map that are equals, problem reports from phones with photos, and the advocacy workflow
//! (confirmed → sent to the authority under OG 27/2002 → answered → fixed).
//!
//! This file holds the wire types and the `#[server]` functions (each a call into `service`);
//! `rules/` the pure domain rules, `db/` the SQL, `pages/` the components and islands, `http.rs`
//! the plain handlers (uploads, downloads, map data).
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod http;
pub mod pages;
#[cfg(feature = "ssr")]
mod personal;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod service;

use crate::accounts::rules::Signer;
use crate::i18n::K;
use leptos::prelude::*;
pub use rules::{day_iso, day_of, day_text, parse_day};
pub use rules::{Action, Audit, Badges, Confidence, Rating, Reason, ReportState};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The map reports section of an organisation's page (assembled in `site::organisation`).
pub use pages::OrgMapReports;
/// The server's job loop and demo data name these here.
#[cfg(feature = "ssr")]
pub use service::{
    jobs::{notify_overdue, send_followups},
    today,
};

crate::feature_error!(MapError);

/// The personal data the map keeps (registered at start, see `ssr::personal`).
#[cfg(feature = "ssr")]
pub use personal::PERSONAL_DATA;

/// Every kind of e-mail this feature sends (the notification centre offers a setting per optional kind).
#[cfg(feature = "ssr")]
pub const MAIL_KINDS: &[crate::ssr::mail::kinds::MailKind] = {
    use crate::ssr::mail::kinds::MailKind;
    &[
        MailKind::optional("map.report_state", K::notify_group_map, K::notify_kind_map_report_state),
        MailKind::optional("map.report_overdue", K::notify_group_map, K::notify_kind_map_report_overdue),
        MailKind::optional("map.report_followup", K::notify_group_map, K::notify_kind_map_report_followup),
        MailKind::optional("map.followup_fixed", K::notify_group_map, K::notify_kind_map_followup_fixed),
    ]
};

/// What a report can be about: the parts of the audit.
pub const PROBLEMS: &[&str] =
    &["entrance", "ramp", "door", "lift", "toilet", "parking", "blind", "deaf", "staff", "other"];

pub fn problem_label(code: &str) -> K {
    match code {
        "entrance" => K::map_prob_entrance,
        "ramp" => K::map_prob_ramp,
        "door" => K::map_prob_door,
        "lift" => K::map_prob_lift,
        "toilet" => K::map_prob_toilet,
        "parking" => K::map_prob_parking,
        "blind" => K::map_prob_blind,
        "deaf" => K::map_prob_deaf,
        "staff" => K::map_prob_staff,
        _ => K::map_prob_other,
    }
}

/// Specific needs a visitor can filter by.
pub const NEEDS: &[&str] = &["step_free", "toilet", "lift", "blind", "deaf"];

pub const PAGE_SIZE: i64 = 25;

/// The list's filters; the same struct drives the map data and the exports, and lives in the URL.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PlaceFilter {
    pub q: String,
    pub category: String,
    pub locality: String,
    pub rating: String,
    /// Comma-separated `NEEDS`.
    pub needs: String,
    pub reports: bool,
    /// name | rating | distance
    pub sort: String,
    /// A typed locality or address to measure distances from.
    pub near: String,
    pub lat: String,
    pub lon: String,
    pub page: i64,
}

impl PlaceFilter {
    pub fn has_need(&self, n: &str) -> bool {
        self.needs.split(',').any(|x| x == n)
    }

    pub fn origin(&self) -> Option<(f64, f64)> {
        let lat = self.lat.trim().parse::<f64>().ok()?;
        let lon = self.lon.trim().parse::<f64>().ok()?;
        rules::valid_coords(lat, lon).then_some((lat, lon))
    }

    /// The query string of this filter (without the page), as the GET form would write it.
    pub fn query(&self) -> String {
        let mut parts = vec![];
        for (k, v) in [
            ("q", &self.q),
            ("category", &self.category),
            ("locality", &self.locality),
            ("rating", &self.rating),
            ("sort", &self.sort),
            ("near", &self.near),
            ("lat", &self.lat),
            ("lon", &self.lon),
        ] {
            if !v.is_empty() {
                parts.push(format!("{k}={}", crate::text::encode_query(v)));
            }
        }
        for n in NEEDS {
            if self.has_need(n) {
                parts.push(format!("need_{n}=1"));
            }
        }
        if self.reports {
            parts.push("reports=1".into());
        }
        parts.join("&")
    }

    /// Reads the filter from query parameters (the list page and the GET endpoints share this).
    pub fn from_pairs(get: impl Fn(&str) -> Option<String>) -> PlaceFilter {
        let needs: Vec<&str> =
            NEEDS.iter().copied().filter(|n| get(&format!("need_{n}")).is_some_and(|v| v == "1")).collect();
        PlaceFilter {
            q: get("q").unwrap_or_default(),
            category: get("category").unwrap_or_default(),
            locality: get("locality").unwrap_or_default(),
            rating: get("rating").unwrap_or_default(),
            needs: needs.join(","),
            reports: get("reports").is_some_and(|v| v == "1"),
            sort: get("sort").unwrap_or_default(),
            near: get("near").unwrap_or_default(),
            lat: get("lat").unwrap_or_default(),
            lon: get("lon").unwrap_or_default(),
            page: get("page").and_then(|p| p.parse().ok()).unwrap_or(1).max(1),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlaceRow {
    pub id: i64,
    pub name: String,
    pub category: String,
    pub address: String,
    pub locality: String,
    pub lat: f64,
    pub lon: f64,
    pub rating: Rating,
    pub badges: Badges,
    pub confidence: Confidence,
    pub verified_day: Option<i64>,
    pub open_reports: i64,
    pub overdue_reports: i64,
    pub distance_m: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlaceResults {
    pub items: Vec<PlaceRow>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    pub localities: Vec<String>,
    /// The point distances are measured from, and whether a typed place was not found.
    pub origin: Option<(f64, f64)>,
    pub near_not_found: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Photo {
    pub full: String,
    pub thumb: String,
    pub alt: String,
    pub width: i64,
    pub height: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub action: String,
    pub to_state: ReportState,
    /// Who took the step (shown through `Signer::display_name_or_deleted`).
    pub actor: Signer,
    pub actor_role: String,
    pub comment: String,
    pub at: i64,
    pub photos: Vec<Photo>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportView {
    pub id: i64,
    pub place_id: i64,
    pub place_name: String,
    pub problem: String,
    pub description: String,
    pub state: ReportState,
    /// Who filed it: no byline for reports without an account (demo data, imports).
    pub reporter: Signer,
    pub created_at: i64,
    pub registration_no: String,
    pub registered_day: Option<i64>,
    pub due_day: Option<i64>,
    pub extended: bool,
    pub overdue: bool,
    pub photos: Vec<Photo>,
    pub timeline: Vec<TimelineEntry>,
    /// What the person looking may do next.
    pub actions: Vec<Action>,
}

/// The "has it been fixed?" page opened from the reporter's mail.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FollowupView {
    pub report_id: i64,
    pub place_id: i64,
    pub place_name: String,
    pub problem: String,
    pub description: String,
    /// The reporter answered already.
    pub answered: bool,
    /// An answer is still taken (not answered yet, the report still answered).
    pub open: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditSummary {
    pub checked_day: i64,
    pub verified: bool,
    pub by: Signer,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlaceDetail {
    pub row: PlaceRow,
    pub county: String,
    pub contact: String,
    pub osm_id: String,
    pub authority: Option<(String, String)>,
    pub org: Option<(String, String)>,
    pub audit: Audit,
    pub reasons: Vec<Reason>,
    pub audits: Vec<AuditSummary>,
    pub reports: Vec<ReportView>,
    pub photos: Vec<Photo>,
    pub signed_in: bool,
    pub can_verify: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Stats {
    /// (rating code, count)
    pub by_rating: Vec<(String, i64)>,
    /// (category, [yes, limited, no, unknown])
    pub by_category: Vec<(String, [i64; 4])>,
    pub by_locality: Vec<(String, [i64; 4])>,
    /// (state code, count)
    pub reports: Vec<(String, i64)>,
    pub overdue: i64,
    pub total: i64,
}

/// Which organisation receives the reports of places residents add in a locality.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LocalityOwner {
    pub locality: String,
    pub locality_key: String,
    pub org_id: i64,
    pub org_name: String,
    pub assigned_at: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PetitionTarget {
    pub org_id: i64,
    pub org_name: String,
    pub authority_id: i64,
    pub authority_name: String,
    pub reports: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImportRow {
    pub name: String,
    pub category: String,
    pub address: String,
    pub locality: String,
    pub county: String,
    pub lat: f64,
    pub lon: f64,
    pub contact: String,
    pub osm_id: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RowError {
    /// 1-based data row (CSV: line after the header; GeoJSON: feature number).
    pub row: usize,
    pub field: String,
    pub msg: K,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Preview {
    pub rows: Vec<ImportRow>,
    pub errors: Vec<RowError>,
    /// Set once the rows were written.
    pub imported: i64,
}

/// An uploaded file waiting for its preview to be confirmed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Upload {
    pub token: String,
    pub file_name: String,
    pub org_name: String,
    pub preview: Preview,
}

#[server]
pub async fn search_places(filter: PlaceFilter) -> Result<PlaceResults, MapError> {
    service::places::search(filter).await
}

#[server]
pub async fn get_place(id: i64) -> Result<PlaceDetail, MapError> {
    service::places::get(id).await
}

#[server]
pub async fn get_report(id: i64) -> Result<ReportView, MapError> {
    service::reports::get(id).await
}

/// The follow-up page's facts, for the holder of the signed link (no sign-in); a link that is not
/// valid is refused.
#[server]
pub async fn get_followup(id: i64, token: String) -> Result<FollowupView, MapError> {
    let st = crate::ssr::state();
    service::followups::view(&st.db, &st.settings.keys, id, &token)
        .await?
        .ok_or(MapError(crate::error::Problem::Refused(K::map_followup_invalid)))
}

#[server]
pub async fn org_reports(org_id: i64) -> Result<Vec<ReportView>, MapError> {
    service::reports::of_org(org_id).await
}

#[server]
pub async fn map_stats() -> Result<Stats, MapError> {
    service::places::stats().await
}

/// Authorities the signed-in person's organisations can petition (for the petition form).
#[server]
pub async fn petition_targets() -> Result<Vec<PetitionTarget>, MapError> {
    service::petition::targets().await
}

/// The QR code of a place's page, for its printable poster.
#[server]
pub async fn poster_qr(id: i64) -> Result<String, MapError> {
    service::petition::poster_qr(id).await
}

/// Adds an audit (a signed-in resident's, or a verified one from a moderator / the organisation).
/// Fields arrive as `audit[<field>]`: "yes" / "no" / "" (unknown) or a number.
#[server]
pub async fn save_audit(
    place_id: i64,
    checked_on: String,
    #[server(default)] audit: HashMap<String, String>,
) -> Result<(), MapError> {
    service::audits::save(place_id, &checked_on, &audit).await?;
    leptos_axum::redirect(&format!("/map/places/{place_id}?audit=1"));
    Ok(())
}

/// The locality assignments (platform admins only).
#[server]
pub async fn locality_owners() -> Result<Vec<LocalityOwner>, MapError> {
    service::localities::list().await
}

/// A platform admin assigns (or re-assigns) a locality to an active organisation.
#[server]
pub async fn assign_locality(locality: String, org_id: i64) -> Result<(), MapError> {
    service::localities::assign(&locality, org_id).await?;
    leptos_axum::redirect("/map/localities?saved=1");
    Ok(())
}

#[server]
pub async fn unassign_locality(locality_key: String) -> Result<(), MapError> {
    service::localities::unassign(&locality_key).await?;
    leptos_axum::redirect("/map/localities?saved=1");
    Ok(())
}

/// Moves a report along the workflow (the same gate as everywhere: `rules::transition`).
#[server]
pub async fn act_on_report(
    report_id: i64,
    action: String,
    #[server(default)] comment: String,
    #[server(default)] registration_no: String,
    #[server(default)] registered_on: String,
) -> Result<(), MapError> {
    let input = service::reports::ActInput { comment, registration_no, registered_on, photos: vec![] };
    let action = service::reports::act(report_id, &action, input).await?;
    leptos_axum::redirect(&format!("/map/reports/{report_id}?done={}", action.code()));
    Ok(())
}

/// The organisations the signed-in person may import places for.
#[server]
pub async fn import_orgs() -> Result<Vec<(i64, String)>, MapError> {
    service::imports::orgs().await
}

/// The preview of a file the signed-in person uploaded (`POST /map/import/upload`).
#[server]
pub async fn import_upload(token: String) -> Result<Option<Upload>, MapError> {
    service::imports::preview(token).await
}

/// Imports a previewed file: every row or none (one transaction), only for an organisation the
/// person manages (platform admins: any organisation), and only once.
#[server]
pub async fn import_commit(token: String) -> Result<(), MapError> {
    let n = service::imports::commit(&token).await?;
    leptos_axum::redirect(&format!("/map/import?imported={n}"));
    Ok(())
}
