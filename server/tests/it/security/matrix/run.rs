//! The role × action matrix of the platform (issue #13, "Proof"), over real HTTP on SQLite and
//! PostgreSQL. Every server function and plain handler that writes or reads private data has a row
//! (matrix/*.rs): how to call it, built fresh from fixtures for each role, and which roles may.
//! Allowed roles succeed; every other role is refused on the server (401/403/404/422 with a
//! refusal, or a redirect to sign in) and the row's probe of the database stays as it was.
//! One run prints every mismatch as a table. A second test fails when a server function or a
//! route is neither in the matrix nor in the lists of public reads and token-holder endpoints.
//! `MATRIX_VERBOSE=1 … -- --nocapture` prints every cell, not only the mismatches.

use super::{Answer, Call, Check, Ctx, Role, Row};
use std::collections::BTreeSet;
use std::sync::Arc;

fn rows() -> Vec<Row> {
    let mut v = super::accounts_orgs::rows();
    v.extend(super::consultations::rows());
    v.extend(super::donations_map::rows());
    v
}

/// What an answer was, as far as the matrix cares.
enum Outcome {
    Success,
    Refusal,
    /// Neither: a form error, a rate limit, a fault.
    Other,
}

/// The kind of refusal a feature error names ("Forbidden", "Refused(err_verify_first)", …).
fn problem_name(body: &str) -> Option<String> {
    match serde_json::from_str::<serde_json::Value>(body).ok()? {
        serde_json::Value::String(s) => Some(s),
        serde_json::Value::Object(m) => {
            let (k, v) = m.into_iter().next()?;
            Some(match v {
                serde_json::Value::String(s) => format!("{k}({s})"),
                _ => k,
            })
        }
        _ => None,
    }
}

fn outcome(a: &Answer) -> (Outcome, String) {
    let short: String = a.body.chars().take(90).collect();
    match a.status {
        200..=299 => (Outcome::Success, format!("{}", a.status)),
        300..=399 if a.location.contains("/account/login") => (Outcome::Refusal, format!("{} sign in", a.status)),
        300..=399 if a.location.contains("error=") => (Outcome::Other, format!("{} {}", a.status, a.location)),
        300..=399 => (Outcome::Success, format!("{} {}", a.status, a.location)),
        401 | 403 | 404 | 422 => {
            // The map's multipart forms answer `{"errors":[{"field":"form",…}]}` when they refuse the person.
            if let Ok(v) = serde_json::from_str::<serde_json::Value>(&a.body) {
                if let Some(errs) = v.get("errors").and_then(|e| e.as_array()) {
                    let form = errs.iter().all(|e| e.get("field").and_then(|f| f.as_str()) == Some("form"));
                    let o = if form { Outcome::Refusal } else { Outcome::Other };
                    return (o, format!("{} {short}", a.status));
                }
            }
            match problem_name(&a.body) {
                Some(p) if p.starts_with("Invalid") || p.starts_with("RateLimited") || p == "Internal" => {
                    (Outcome::Other, format!("{} {short}", a.status))
                }
                Some(p) => (Outcome::Refusal, format!("{} {p}", a.status)),
                None => (Outcome::Refusal, format!("{} {}", a.status, short.trim())),
            }
        }
        _ => (Outcome::Other, format!("{} {short}", a.status)),
    }
}

struct Mismatch {
    row: String,
    role: Role,
    expected: &'static str,
    got: String,
}

/// Runs one row for one role: builds its target, calls, judges.
async fn run(c: &Arc<Ctx>, row: &Row, role: Role) -> Option<Mismatch> {
    let call: Call = (row.build)(c.clone(), role).await;
    let allowed = row.allowed.contains(&role);
    let before = match &call.probe {
        Some(sql) => Some(c.probe(sql).await),
        None => None,
    };
    let sid = if role == Role::Anonymous {
        None
    } else {
        call.sid.clone().or_else(|| c.users.get(&role).map(|u| u.1.clone()))
    };
    let answer = c.send(sid.as_deref(), call.req).await;
    let after = match &call.probe {
        Some(sql) => Some(c.probe(sql).await),
        None => None,
    };
    let changed = before != after;
    let (o, mut got) = outcome(&answer);
    let revealed = call.marker.as_deref().is_some_and(|m| answer.body.contains(m));
    let ok = match (row.check, allowed) {
        (Check::Status, true) => matches!(o, Outcome::Success),
        (Check::Status, false) => matches!(o, Outcome::Refusal) && !changed,
        (Check::Changes, true) => matches!(o, Outcome::Success) && changed,
        (Check::Changes, false) => matches!(o, Outcome::Refusal | Outcome::Success) && !changed,
        (Check::Reveals, true) => matches!(o, Outcome::Success) && revealed,
        (Check::Reveals, false) => matches!(o, Outcome::Refusal) || (matches!(o, Outcome::Success) && !revealed),
    };
    if changed {
        got.push_str(" [changed]");
    }
    if revealed {
        got.push_str(" [reveals]");
    } else if row.check == Check::Reveals && matches!(o, Outcome::Success) {
        got.push_str(" [hidden]");
    }
    if std::env::var("MATRIX_VERBOSE").is_ok() {
        eprintln!(
            "{:<5} {:<60} | {:<17} | {:<8} | {}",
            if ok { "ok" } else { "FAIL" },
            row.name,
            role.name(),
            if allowed { "allowed" } else { "refused" },
            got
        );
    }
    (!ok).then(|| Mismatch {
        row: row.name.to_string(),
        role,
        expected: if allowed { "allowed" } else { "refused" },
        got,
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_role_may_do_exactly_what_the_matrix_says() {
    let rows = rows();
    let mut report = vec![];
    for kind in crate::common::backends() {
        let started = std::time::Instant::now();
        let c = super::setup(kind).await;
        let mut mismatches = vec![];
        let mut calls = 0;
        for row in &rows {
            // Refused roles first: a target an allowed role uses up is still there for them.
            let order = Role::ALL.iter().filter(|r| !row.allowed.contains(r)).chain(row.allowed.iter());
            for role in order {
                calls += 1;
                if let Some(m) = run(&c, row, *role).await {
                    mismatches.push(m);
                }
            }
        }
        eprintln!(
            "security matrix on {kind:?}: {} rows × {} roles = {calls} calls, {} mismatches, {:.1} s",
            rows.len(),
            Role::ALL.len(),
            mismatches.len(),
            started.elapsed().as_secs_f64()
        );
        report.push((kind, mismatches));
    }
    let total: usize = report.iter().map(|(_, m)| m.len()).sum();
    if total > 0 {
        let mut out = String::from("\nAuthorisation mismatches (row | role | expected | got):\n");
        for (kind, ms) in &report {
            for m in ms {
                out.push_str(&format!(
                    "  {kind:?} | {:<60} | {:<17} | {:<8} | {}\n",
                    m.row,
                    m.role.name(),
                    m.expected,
                    m.got
                ));
            }
        }
        eprintln!("{out}");
        panic!("{total} authorisation mismatches (table above)");
    }
}

/// Server functions outside the matrix: public reads, and endpoints only a token holder can use
/// (the token itself proves the right, or the answer concerns only the caller).
const PUBLIC_FNS: &[(&str, &str)] = &[
    // Public reads (published content only; the private cases of get_consultation, get_thread,
    // get_org, get_campaign, get_report are rows of the matrix).
    (app::orgs::SearchOrgs::PATH, "public catalogue (active organisations)"),
    (app::orgs::ListAuthorities::PATH, "public authority contacts"),
    (app::orgs::GetAuthority::PATH, "public authority page"),
    (app::orgs::events::ListEvents::PATH, "public events"),
    (app::orgs::events::GetEvent::PATH, "public event (own registration status)"),
    (app::orgs::stories::ListStories::PATH, "public stories"),
    (app::orgs::stories::GetStory::PATH, "public story"),
    (app::consultations::ListConsultations::PATH, "published consultations"),
    (app::consultations::ModerationLog::PATH, "public moderation log of a published consultation"),
    (app::donations::ListCampaigns::PATH, "live campaigns"),
    (app::map::SearchPlaces::PATH, "public map"),
    (app::map::GetPlace::PATH, "public place"),
    (app::map::GetReport::PATH, "public report"),
    (app::map::OrgReports::PATH, "public reports of an organisation"),
    (app::map::MapStats::PATH, "public statistics"),
    (app::map::PosterQr::PATH, "QR code of a public URL (no data)"),
    (app::site::home::GetHomeFigures::PATH, "the home page's public counts"),
    // Anonymous entry points (each with its own limits, tested in accounts_http and elsewhere).
    (app::accounts::GetMe::PATH, "the caller's own session (None when signed out)"),
    (app::accounts::Register::PATH, "sign-up"),
    (app::accounts::Login::PATH, "sign-in"),
    (app::accounts::Logout::PATH, "ends the caller's own session"),
    (app::accounts::ForgotPassword::PATH, "mails a reset link to the address's owner"),
    (app::accounts::SetLanguage::PATH, "the caller's own language cookie"),
    (app::orgs::officials::OfficialStanding::PATH, "the caller's own standing (SignedOut when signed out)"),
    (app::map::ImportOrgs::PATH, "the organisations the caller may import for (own roles)"),
    (app::orgs::newsletter::Subscribe::PATH, "newsletter sign-up (double opt-in)"),
    (app::donations::Donate::PATH, "anonymous gift (limits per IP, e-mail, campaign)"),
    (app::legal::GetPublicInfo::PATH, "the operator's public identity for the legal pages"),
    (app::legal::SendAccessibilityFeedback::PATH, "accessibility feedback (anyone; limited per IP)"),
];

const TOKEN_FNS: &[(&str, &str)] = &[
    (app::accounts::VerifyEmail::PATH, "single-use mailed token"),
    (app::accounts::ResetPassword::PATH, "single-use mailed token"),
    (app::orgs::newsletter::ConfirmSubscription::PATH, "mailed token"),
    (app::orgs::newsletter::GetPreferences::PATH, "signed manage token"),
    (app::orgs::newsletter::UpdatePreferences::PATH, "signed manage token"),
    (app::orgs::newsletter::Unsubscribe::PATH, "signed manage token"),
    (app::orgs::officials::ConfirmWorkEmail::PATH, "single-use token mailed to the work address"),
    (app::consultations::ConsultationsUnsubscribe::PATH, "signed unsubscribe token"),
    (app::donations::DonationStatus::PATH, "the donation's random public id"),
    (app::donations::GetReturn::PATH, "the donation's random public id"),
    (app::donations::RetryPrefill::PATH, "the donation's random public id"),
    (app::donations::GetGift::PATH, "signed gift link"),
    (app::donations::ChangeGiftAmount::PATH, "signed gift link"),
    (app::donations::GiftAction::PATH, "signed gift link"),
    (app::map::GetFollowup::PATH, "signed follow-up link mailed to the reporter"),
];

/// The text of every file that declares routes: server/src/lib.rs and each feature's `http.rs`
/// (or `http/*.rs`) under app/src.
fn route_sources() -> String {
    fn walk(dir: &std::path::Path, out: &mut String) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for e in entries.flatten() {
            let path = e.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.file_name().is_some_and(|n| n == "http.rs")
                || path.parent().and_then(|p| p.file_name()).is_some_and(|n| n == "http")
            {
                out.push_str(&std::fs::read_to_string(&path).unwrap_or_default());
            }
        }
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut text = std::fs::read_to_string(root.join("src/lib.rs")).unwrap();
    walk(&root.join("../app/src"), &mut text);
    text
}

/// Routes of server/src/lib.rs and the features' http.rs outside the matrix.
const PUBLIC_ROUTES: &[&str] = &[
    "/healthz",
    // Says only whether this server takes traffic; the balancer asks it.
    "/readyz",
    "/organisations.csv",
    "/organisations.json",
    "/stories/feed.atom",
    "/events/{slug}/event.ics",
    "/map/data.json",
    "/map/export.geojson",
    "/map/export.csv",
    "/vendor/leaflet/{version}/{*file}",
];
const TOKEN_ROUTES: &[&str] = &[
    // Bearer METRICS_TOKEN; 404 when no token is configured (ops.rs).
    "/metrics",
    "/newsletter/one-click",
    "/webhooks/{provider}",
    "/donate/receipt/{token}",
    "/consultations/one-click",
    "/payments/test/checkout/{id}",
    // The reporter's answer to "has it been fixed?": signed follow-up link.
    "/map/reports/{id}/follow-up",
];

use leptos::server_fn::ServerFn;

#[test]
fn every_server_function_and_route_is_in_the_matrix_or_listed() {
    let rows = rows();
    let in_matrix: BTreeSet<&str> = rows.iter().map(|r| r.path).collect();
    let listed: BTreeSet<&str> = PUBLIC_FNS.iter().chain(TOKEN_FNS).map(|(p, _)| *p).collect();
    let both: Vec<&&str> = in_matrix.intersection(&listed).collect();
    assert!(both.is_empty(), "in the matrix and listed as public or token-holder: {both:?}");

    let registered: BTreeSet<String> = leptos::server_fn::axum::server_fn_paths().map(|(p, _)| p.to_string()).collect();
    assert!(registered.len() >= 100, "the inventory of server functions looks incomplete: {}", registered.len());
    let missing: Vec<&String> =
        registered.iter().filter(|p| !in_matrix.contains(p.as_str()) && !listed.contains(p.as_str())).collect();
    assert!(
        missing.is_empty(),
        "server functions with no row in the security matrix and not listed as public or token-holder \
         (add a row to server/tests/matrix/*.rs, or list it with its reason): {missing:#?}"
    );
    let stale: Vec<&&str> =
        in_matrix.iter().chain(listed.iter()).filter(|p| p.starts_with("/api/") && !registered.contains(**p)).collect();
    assert!(stale.is_empty(), "listed paths that are no server function: {stale:?}");

    // Routes written by hand in server/src/lib.rs.
    let lib = route_sources();
    let routes: BTreeSet<&str> =
        lib.split(".route(").skip(1).filter_map(|s| s.trim_start().strip_prefix('"')?.split('"').next()).collect();
    assert!(routes.len() >= 25, "routes found in server/src/lib.rs: {routes:?}");
    let known: BTreeSet<&str> =
        in_matrix.iter().copied().chain(PUBLIC_ROUTES.iter().copied()).chain(TOKEN_ROUTES.iter().copied()).collect();
    let unlisted: Vec<&&str> = routes.iter().filter(|r| !known.contains(**r)).collect();
    assert!(
        unlisted.is_empty(),
        "routes of server/src/lib.rs with no row in the security matrix and not listed as public or token-holder: {unlisted:?}"
    );
    let gone: Vec<&&str> = known.iter().filter(|r| !r.starts_with("/api/") && !routes.contains(**r)).collect();
    assert!(gone.is_empty(), "listed routes that server/src/lib.rs no longer has: {gone:?}");
}
