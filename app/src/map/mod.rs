//! Accessibility map: public institutions with structured audits and a derived rating, a list and
//! a map that are equals, problem reports from phones with photos, and the advocacy workflow
//! (confirmed → sent to the authority under OG 27/2002 → answered → fixed).
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod export;
#[cfg(feature = "ssr")]
pub mod handlers;
#[cfg(feature = "ssr")]
pub mod http;
pub mod import;
pub mod localities;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod petition;
pub mod rules;
pub mod widget;

#[cfg(feature = "ssr")]
use crate::error::{FormState, Problem};
use leptos::prelude::*;
pub use rules::{Action, Audit, Badges, Confidence, Rating, Reason, ReportState};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The map reports section of an organisation's page (assembled in `site::organisation`).
pub use pages::OrgMapReports;

crate::feature_error!(MapError);

/// Every kind of e-mail this feature sends (the notification centre offers a setting per optional kind).
#[cfg(feature = "ssr")]
pub const MAIL_KINDS: &[crate::ssr::mail::kinds::MailKind] = {
    use crate::i18n::K;
    use crate::ssr::mail::kinds::MailKind;
    &[
        MailKind::optional("map.report_state", K::notify_group_map, K::notify_kind_map_report_state),
        MailKind::optional("map.report_overdue", K::notify_group_map, K::notify_kind_map_report_overdue),
    ]
};

/// What a report can be about: the parts of the audit.
pub const PROBLEMS: &[&str] =
    &["entrance", "ramp", "door", "lift", "toilet", "parking", "blind", "deaf", "staff", "other"];

pub fn problem_label(code: &str) -> crate::i18n::K {
    use crate::i18n::K;
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
    pub actor_name: String,
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
    pub reporter_name: String,
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

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditSummary {
    pub checked_day: i64,
    pub verified: bool,
    pub by: String,
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

#[cfg(feature = "ssr")]
pub fn actor_for(
    user: Option<&crate::accounts::SessionUser>,
    org_id: Option<i64>,
    authority_id: Option<i64>,
    reporter_id: Option<i64>,
) -> rules::Actor {
    use crate::accounts::rules::RoleKind;
    let Some(u) = user else {
        return rules::Actor::default();
    };
    rules::Actor {
        resident: u.verified,
        reporter: reporter_id == Some(u.id),
        moderator: u.is_admin() || u.has(RoleKind::Moderator),
        org: org_id.is_some_and(|o| u.has_scoped(RoleKind::OrgAdmin, o) || u.has_scoped(RoleKind::OrgMember, o)),
        official: authority_id.is_some_and(|a| u.has_scoped(RoleKind::Official, a)),
    }
}

/// Today in Bucharest, as days since 1970-01-01 (legal terms count local calendar days).
#[cfg(feature = "ssr")]
pub fn today() -> i64 {
    day_of(crate::ssr::now())
}

pub fn day_of(utc: i64) -> i64 {
    (utc + crate::fmt::bucharest_offset(utc)).div_euclid(86_400)
}

/// `YYYY-MM-DD` → days since 1970-01-01.
pub fn parse_day(s: &str) -> Option<i64> {
    let mut it = s.trim().splitn(3, '-');
    let y: i64 = it.next()?.parse().ok()?;
    let m: u32 = it.next()?.parse().ok()?;
    let d: u32 = it.next()?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || !(1900..=2200).contains(&y) {
        return None;
    }
    let days = crate::fmt::days_from_civil(y, m, d);
    (crate::fmt::civil_from_days(days) == (y, m, d)).then_some(days)
}

pub fn day_iso(day: i64) -> String {
    let (y, m, d) = crate::fmt::civil_from_days(day);
    format!("{y:04}-{m:02}-{d:02}")
}

pub fn day_text(lang: crate::i18n::Lang, day: i64) -> String {
    crate::fmt::date(lang, day * 86_400 + 12 * 3600)
}

#[server]
pub async fn search_places(filter: PlaceFilter) -> Result<PlaceResults, MapError> {
    // The same for everyone who asks with these filters: kept briefly (see ssr::reads).
    let st = crate::ssr::state();
    let key = format!("map-search|{filter:?}");
    Ok((*st.db.reads.get(&key, || db::search(&st.db, &filter)).await?).clone())
}

#[server]
pub async fn get_place(id: i64) -> Result<PlaceDetail, MapError> {
    let st = crate::ssr::state();
    let me = crate::accounts::session::current_user().await?;
    db::detail(&st.db, id, me.as_ref(), today()).await?.ok_or(MapError(Problem::NotFound))
}

#[server]
pub async fn get_report(id: i64) -> Result<ReportView, MapError> {
    let st = crate::ssr::state();
    let me = crate::accounts::session::current_user().await?;
    db::report(&st.db, id, me.as_ref(), today()).await?.ok_or(MapError(Problem::NotFound))
}

#[server]
pub async fn org_reports(org_id: i64) -> Result<Vec<ReportView>, MapError> {
    Ok(db::org_reports(&crate::ssr::state().db, org_id, today()).await?)
}

#[server]
pub async fn map_stats() -> Result<Stats, MapError> {
    let st = crate::ssr::state();
    let day = today();
    Ok((*st.db.reads.get(&format!("map-stats|{day}"), || db::stats(&st.db, day)).await?).clone())
}

/// Authorities the signed-in person's organisations can petition (for the petition form).
#[server]
pub async fn petition_targets() -> Result<Vec<PetitionTarget>, MapError> {
    let me = crate::accounts::session::current_user().await?.ok_or(MapError(Problem::Unauthenticated))?;
    Ok(db::petition_targets(&crate::ssr::state().db, &me).await?)
}

/// Adds an audit (a signed-in resident's, or a verified one from a moderator / the organisation).
/// Fields arrive as `audit[<field>]`: "yes" / "no" / "" (unknown) or a number.
#[server]
pub async fn save_audit(
    place_id: i64,
    checked_on: String,
    #[server(default)] audit: HashMap<String, String>,
) -> Result<(), MapError> {
    use crate::i18n::K;
    let st = crate::ssr::state();
    let me = crate::accounts::session::current_user().await?.ok_or(MapError(Problem::Unauthenticated))?;
    if !me.verified {
        return Err(MapError(Problem::Refused(K::err_verify_first)));
    }
    if let Some(wait) = crate::ssr::rate_limit::hit(&st.db, &format!("map.audit:{}", me.id), 30, 3600).await? {
        return Err(MapError(Problem::rate_limited(wait, FormState::new())));
    }
    let (org_id, authority_id) = db::place_owners(&st.db, place_id).await?.ok_or(MapError(Problem::NotFound))?;
    let mut form = FormState::new().value("checked_on", &checked_on);
    for (k, v) in &audit {
        form = form.value(&format!("audit[{k}]"), v);
    }
    let parsed = parse_audit(&audit, &mut form);
    let day = if checked_on.trim().is_empty() { Some(today()) } else { parse_day(&checked_on) };
    let day = match day {
        Some(d) if d <= today() => Some(d),
        _ => {
            form.add("checked_on", K::map_err_date);
            None
        }
    };
    if !form.is_ok() {
        return Err(form.into());
    }
    let who = actor_for(Some(&me), org_id, authority_id, None);
    let verified = who.moderator || who.org;
    db::insert_audit(&st.db, place_id, &parsed, day.unwrap_or_else(today), verified, me.id, today()).await?;
    leptos_axum::redirect(&format!("/map/places/{place_id}?audit=1"));
    Ok(())
}

/// Parses the audit form: tri-state fields and bounded numbers; messages land next to the field.
pub fn parse_audit(fields: &HashMap<String, String>, form: &mut crate::error::FormState) -> Audit {
    use crate::i18n::K;
    let mut a = Audit::default();
    for (f, _) in rules::TRI_FIELDS {
        let v = match fields.get(*f).map(|s| s.trim()) {
            Some("yes") => Some(true),
            Some("no") => Some(false),
            _ => None,
        };
        a.set_tri(f, v);
    }
    for (f, _, max) in rules::NUM_FIELDS {
        let raw = fields.get(*f).map(|s| s.trim()).unwrap_or("");
        if raw.is_empty() {
            continue;
        }
        match raw.parse::<i64>() {
            Ok(n) if (0..=*max).contains(&n) => a.set_num(f, Some(n)),
            _ => form.add_with(&format!("audit[{f}]"), K::map_err_number, &[("max", &max.to_string())]),
        }
    }
    let note = |k: &str| fields.get(k).map(|s| crate::text::clean_text(s, 1000)).unwrap_or_default();
    a.notes_wheelchair = note("notes_wheelchair");
    a.notes_blind = note("notes_blind");
    a.notes_deaf = note("notes_deaf");
    a
}

#[cfg(feature = "ssr")]
async fn platform_admin() -> Result<crate::accounts::SessionUser, MapError> {
    let me = crate::accounts::session::current_user().await?.ok_or(MapError(Problem::Unauthenticated))?;
    if me.is_admin() {
        Ok(me)
    } else {
        Err(MapError(Problem::Forbidden))
    }
}

/// The locality assignments (platform admins only).
#[server]
pub async fn locality_owners() -> Result<Vec<LocalityOwner>, MapError> {
    platform_admin().await?;
    Ok(db::locality_owners(&crate::ssr::state().db).await?)
}

/// A platform admin assigns (or re-assigns) a locality to an active organisation.
#[server]
pub async fn assign_locality(locality: String, org_id: i64) -> Result<(), MapError> {
    use crate::i18n::K;
    let me = platform_admin().await?;
    let st = crate::ssr::state();
    let mut form = FormState::new().value("locality", &locality);
    let locality = crate::text::clean_text(&locality, 80);
    if locality.chars().count() < 2 {
        form.add("locality", K::err_required);
    }
    if !crate::orgs::db::org_is_active(&st.db, org_id).await? {
        form.add("org_id", K::err_choose);
    }
    if !form.is_ok() {
        return Err(form.into());
    }
    db::assign_locality(&st.db, &locality, org_id, me.id).await?;
    leptos_axum::redirect("/map/localities?saved=1");
    Ok(())
}

#[server]
pub async fn unassign_locality(locality_key: String) -> Result<(), MapError> {
    platform_admin().await?;
    db::unassign_locality(&crate::ssr::state().db, &locality_key).await?;
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
    let st = crate::ssr::state();
    let me = crate::accounts::session::current_user().await?.ok_or(MapError(Problem::Unauthenticated))?;
    let action = Action::parse(&action).ok_or(MapError(Problem::NotFound))?;
    let input = ActInput { comment, registration_no, registered_on, photos: vec![] };
    apply_action(&st.db, &me, report_id, action, input, &st.settings.public_url).await?;
    leptos_axum::redirect(&format!("/map/reports/{report_id}?done={}", action.code()));
    Ok(())
}

#[cfg(feature = "ssr")]
pub struct ActInput {
    pub comment: String,
    pub registration_no: String,
    pub registered_on: String,
    pub photos: Vec<handlers::StoredPhoto>,
}

/// The one path every state change takes (server fn and the multipart "fixed with photo" form).
#[cfg(feature = "ssr")]
pub async fn apply_action(
    db: &crate::ssr::Db,
    me: &crate::accounts::SessionUser,
    report_id: i64,
    action: Action,
    input: ActInput,
    public_url: &str,
) -> Result<ReportState, MapError> {
    use crate::i18n::K;
    use crate::text::clean_text;
    let r = db::report_facts(db, report_id).await?.ok_or(MapError(Problem::NotFound))?;
    let who = actor_for(Some(me), r.org_id, r.authority_id, r.reporter_id);
    let facts = rules::ReportFacts { extended: r.extended, with_photo: !input.photos.is_empty() };
    let next = rules::transition(r.state, action, who, facts).map_err(|k| MapError(Problem::Refused(k)))?;
    let comment = clean_text(&input.comment, 2000);
    let mut form = FormState::new()
        .value("comment", &input.comment)
        .value("registration_no", &input.registration_no)
        .value("registered_on", &input.registered_on);
    let mut send = None;
    match action {
        Action::Send => {
            let no = clean_text(&input.registration_no, 60);
            if no.is_empty() {
                form.add("registration_no", K::err_required);
            }
            match parse_day(&input.registered_on) {
                Some(d) if d <= today() => send = Some((no, d)),
                _ => form.add("registered_on", K::map_err_date),
            }
        }
        Action::Answer | Action::Reject | Action::NotResponsible | Action::Duplicate if comment.is_empty() => {
            form.add("comment", K::map_err_comment_required)
        }
        _ => {}
    }
    if !form.is_ok() {
        return Err(form.into());
    }
    let role = if who.official {
        "official"
    } else if who.org {
        "org"
    } else if who.moderator {
        "moderator"
    } else if who.reporter {
        "reporter"
    } else {
        "resident"
    };
    let change = db::StateChange {
        report_id,
        place_id: r.place_id,
        actor_id: me.id,
        role,
        action,
        next,
        comment,
        send,
        extend: action == Action::Extend,
        photos: input.photos,
    };
    db::apply_change(db, &change).await?;
    db::refresh_place(db, r.place_id, today()).await?;
    // The resident who reported hears of every step someone else takes.
    if let Some(reporter) = r.reporter_id.filter(|id| *id != me.id) {
        if let Some(u) = crate::accounts::db::find_user_by_id(db, reporter).await?.filter(|u| u.deleted_at.is_none()) {
            // In the language the person chose (Romanian unless they picked English).
            let lang = db::user_lang(db, reporter).await?;
            let link = format!("{}/map/reports/{report_id}", public_url.trim_end_matches('/'));
            let para = lang.tf(K::map_mail_state_body, &[("state", lang.t(next.label()))]);
            let mail = crate::ssr::mail::compose(
                lang,
                &u.email,
                "map.report_state",
                K::map_mail_state_subject,
                &[para],
                Some((K::map_mail_open_report, &link)),
            );
            crate::ssr::mail::enqueue(db, &mail).await?;
        }
    }
    Ok(next)
}

/// Finds reports whose OG 27 deadline passed without an answer and mails their organisation once.
/// Called from the server's periodic job loop.
#[cfg(feature = "ssr")]
pub async fn notify_overdue(db: &crate::ssr::Db, public_url: &str) -> Result<usize, sqlx::Error> {
    use crate::i18n::{Lang, K};
    let today = today();
    let due = db::newly_overdue(db, today).await?;
    let mut sent = 0;
    for o in &due {
        if !o.org_email.is_empty() {
            let link = format!("{}/map/reports/{}", public_url.trim_end_matches('/'), o.report_id);
            // The organisation's contact is an address, not a person: when a member signs in with
            // it, their language; otherwise Romanian (an authority-facing workflow).
            let lang = db::email_lang(db, &o.org_email).await?.unwrap_or(Lang::Ro);
            let para = lang.tf(
                K::map_mail_overdue_body,
                &[("place", &o.place_name), ("no", &o.registration_no), ("due", &day_text(lang, o.due_day))],
            );
            let mail = crate::ssr::mail::compose(
                lang,
                &o.org_email,
                "map.report_overdue",
                K::map_mail_overdue_subject,
                &[para],
                Some((K::map_mail_open_report, &link)),
            );
            crate::ssr::mail::enqueue(db, &mail).await?;
            sent += 1;
        }
        db::mark_overdue_notified(db, o.report_id).await?;
        db::refresh_place(db, o.place_id, today).await?;
    }
    Ok(sent)
}
