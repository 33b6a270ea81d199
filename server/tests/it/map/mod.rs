//! Accessibility map over real HTTP on SQLite and PostgreSQL: reports with photos (a spoofed file
//! and an oversize one are refused, the rest of the form kept), every workflow step authorised by
//! role, the OG 27 clock and the overdue mail, map data and exports.

mod followups;

use crate::common::*;
use app::accounts::rules::RoleKind;
use app::error::Problem;
use app::i18n::K;
use app::map::*;
use leptos::server_fn::ServerFn;
use sqlx::Row;

/// A real 1×1 PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00,
    0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0d, 0x49,
    0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0x64, 0x60, 0xf8, 0x5f, 0x0f, 0x00, 0x02, 0x87, 0x01, 0x80, 0xeb, 0x47, 0xba,
    0x92, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

async fn error_of(res: reqwest::Response) -> Problem {
    let body = res.text().await.unwrap();
    serde_json::from_str::<MapError>(&body).unwrap_or_else(|e| panic!("not a MapError ({e}): {body}")).0
}

async fn user(s: &TestServer, email: &str, role: Option<(RoleKind, i64)>) -> reqwest::Client {
    let c = client();
    s.call(
        &c,
        app::accounts::Register::PATH,
        &[("display_name", "Ana"), ("email", email), ("password", "parola-buna-7"), ("website", "")],
    )
    .await;
    let token = s.token_for(email).await;
    s.call(&c, app::accounts::VerifyEmail::PATH, &[("token", &token)]).await;
    if let Some((kind, scope)) = role {
        let u = app::accounts::db::find_user_by_email(&s.db, email).await.unwrap().unwrap();
        app::accounts::db::grant_role(&s.db, u.id, kind, scope, u.id).await.unwrap();
    }
    let res =
        s.call(&c, app::accounts::Login::PATH, &[("email", email), ("password", "parola-buna-7"), ("next", "")]).await;
    assert!(res.headers().contains_key("set-cookie"));
    c
}

async fn id_of(s: &TestServer, sql: &str, bind: &str) -> i64 {
    sqlx::query(sql).bind(bind).fetch_one(&s.db.pool).await.unwrap().get(0)
}

fn form(place: i64, photos: Vec<(&str, Vec<u8>, &str, &str)>) -> reqwest::multipart::Form {
    let mut f = reqwest::multipart::Form::new()
        .text("place_id", place.to_string())
        .text("problem", "entrance")
        .text("description", "Trei trepte fără rampă la intrarea principală.");
    for (i, (name, bytes, alt, mime)) in photos.into_iter().enumerate() {
        let n = i + 1;
        let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()).mime_str(mime).unwrap();
        f = f.part(format!("photo_{n}"), part).text(format!("alt_{n}"), alt.to_string());
    }
    f
}

async fn post_report(
    s: &TestServer,
    c: &reqwest::Client,
    f: reqwest::multipart::Form,
    json: bool,
) -> reqwest::Response {
    let mut r = c.post(format!("{}/map/reports", s.base)).header("origin", &s.base).multipart(f);
    if json {
        r = r.header("accept", "application/json");
    }
    r.send().await.unwrap()
}

async fn act(
    s: &TestServer,
    c: &reqwest::Client,
    report: i64,
    action: &str,
    extra: &[(&str, &str)],
) -> reqwest::Response {
    let id = report.to_string();
    let mut f = vec![("report_id", id.as_str()), ("action", action)];
    f.extend_from_slice(extra);
    s.call(c, ActOnReport::PATH, &f).await
}

async fn state_of(s: &TestServer, report: i64) -> String {
    sqlx::query("SELECT state FROM map_reports WHERE id = $1").bind(report).fetch_one(&s.db.pool).await.unwrap().get(0)
}

#[tokio::test]
async fn reports_with_photos_are_checked_by_content() {
    for kind in backends() {
        let s = spawn(kind).await;
        let place = id_of(&s, "SELECT id FROM map_places WHERE name = $1", "Muzeul Vrancei").await;
        // Signed out: refused, back to the form.
        let res = post_report(&s, &client(), form(place, vec![]), false).await;
        assert_eq!(res.status(), 303);
        assert!(res.headers()["location"].to_str().unwrap().contains("error=form:sign_in"));

        let ana = user(&s, "ana-foto@exemplu.ro", None).await;
        // A "photo" that is really a PDF, named .jpg: refused by content, text kept in the URL.
        let spoof = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer\n%%EOF".to_vec();
        let res =
            post_report(&s, &ana, form(place, vec![("rampa.jpg", spoof.clone(), "Intrarea", "image/jpeg")]), false)
                .await;
        assert_eq!(res.status(), 303);
        let loc = res.headers()["location"].to_str().unwrap().to_string();
        assert!(loc.starts_with(&format!("/map/places/{place}/report?")), "{loc}");
        assert!(loc.contains("error=photo_1:not_image"), "{loc}");
        assert!(loc.contains("description=Trei+trepte"), "{loc}");
        // The same through the upload island: JSON with a translated message per field.
        let res = post_report(&s, &ana, form(place, vec![("rampa.jpg", spoof, "Intrarea", "image/jpeg")]), true).await;
        assert_eq!(res.status(), 422);
        let v: serde_json::Value = res.json().await.unwrap();
        assert_eq!(v["errors"][0]["field"], "photo_1");
        assert!(v["errors"][0]["message"].as_str().unwrap().contains("JPEG"));
        // Over 10 MB (with a JPEG header): refused as too large.
        let mut big = vec![0xFF, 0xD8, 0xFF, 0xE0];
        big.resize(10 * 1024 * 1024 + 10, 0);
        let res = post_report(&s, &ana, form(place, vec![("mare.jpg", big, "Intrarea", "image/jpeg")]), false).await;
        assert!(res.headers()["location"].to_str().unwrap().contains("error=photo_1:too_large"));
        // A good photo without its description: the alt text is required.
        let res = post_report(&s, &ana, form(place, vec![("a.png", PNG.to_vec(), "", "image/png")]), false).await;
        assert!(res.headers()["location"].to_str().unwrap().contains("error=alt_1:alt"));
        let none: i64 = sqlx::query("SELECT COUNT(*) FROM map_reports WHERE place_id = $1 AND is_demo = 0")
            .bind(place)
            .fetch_one(&s.db.pool)
            .await
            .unwrap()
            .get(0);
        assert_eq!(none, 0, "nothing is saved from a refused form");
        // Two good photos: stored re-encoded as JPEG with thumbnails, served at /media.
        let photos = vec![
            ("a.png", PNG.to_vec(), "Trei trepte la intrare", "image/png"),
            ("b.webp", PNG.to_vec(), "Ușa principală", "image/webp"),
        ];
        let res = post_report(&s, &ana, form(place, photos), false).await;
        assert_eq!(res.status(), 303);
        let loc = res.headers()["location"].to_str().unwrap().to_string();
        assert!(loc.starts_with("/map/reports/") && loc.ends_with("?created=1"), "{loc}");
        let rows = sqlx::query("SELECT key_full, key_thumb, alt FROM map_photos WHERE place_id = $1 ORDER BY id")
            .bind(place)
            .fetch_all(&s.db.pool)
            .await
            .unwrap();
        assert_eq!(rows.len(), 2);
        let key: String = rows[0].get(0);
        assert!(key.starts_with("map/") && key.ends_with(".jpg"));
        assert_eq!(rows[1].get::<String, _>(2), "Ușa principală");
        let img = s.get(&s.client, &format!("/media/{key}")).await;
        assert_eq!(img.status(), 200);
        let bytes = img.bytes().await.unwrap();
        assert_eq!(&bytes[..3], &[0xFF, 0xD8, 0xFF], "re-encoded as JPEG");
        // The report page shows the photos with their alt text; the place counts an open report.
        let page = s.get(&s.client, &loc).await.text().await.unwrap();
        assert!(page.contains("alt=\"Trei trepte la intrare\""), "photo alt text on the page");
        let open: i64 = sqlx::query("SELECT open_reports FROM map_places WHERE id = $1")
            .bind(place)
            .fetch_one(&s.db.pool)
            .await
            .unwrap()
            .get(0);
        assert_eq!(open, 1);
        // A new place reported with a dropped pin.
        let f = reqwest::multipart::Form::new()
            .text("name", "Cabinet medical școlar")
            .text("category", "clinic")
            .text("locality", "Focșani")
            .text("lat", "45.7012")
            .text("lon", "27.1901")
            .text("problem", "door")
            .text("description", "Ușa are sub 70 de centimetri.");
        let res = post_report(&s, &ana, f, true).await;
        assert_eq!(res.status(), 200);
        let created: i64 = id_of(
            &s,
            "SELECT COUNT(*) FROM map_places WHERE name = $1 AND org_id IS NOT NULL",
            "Cabinet medical școlar",
        )
        .await;
        assert_eq!(created, 1, "the new place joins the locality's campaign");
    }
}

#[tokio::test]
async fn every_transition_is_authorised_by_role() {
    for kind in backends() {
        let s = spawn(kind).await;
        let org = id_of(&s, "SELECT id FROM organisations WHERE slug = $1", "grupul-dizabil-eu-vrancea").await;
        let city = id_of(&s, "SELECT id FROM authorities WHERE name = $1", "Primăria Municipiului Focșani").await;
        let county = id_of(&s, "SELECT id FROM authorities WHERE name = $1", "Consiliul Județean Vrancea").await;
        let place = id_of(&s, "SELECT id FROM map_places WHERE name = $1", "Școala Gimnazială nr. 7").await;
        let auth: Option<i64> = sqlx::query("SELECT authority_id FROM map_places WHERE id = $1")
            .bind(place)
            .fetch_one(&s.db.pool)
            .await
            .unwrap()
            .get(0);
        assert_eq!(auth, Some(city), "schools answer to the city hall");
        let reporter = user(&s, "reporter@exemplu.ro", None).await;
        let other = user(&s, "vecin@exemplu.ro", None).await;
        let member = user(&s, "membru@exemplu.ro", Some((RoleKind::OrgMember, org))).await;
        let official = user(&s, "functionar@exemplu.ro", Some((RoleKind::Official, city))).await;
        let wrong_official = user(&s, "cj@exemplu.ro", Some((RoleKind::Official, county))).await;
        let moderator = user(&s, "moderator@exemplu.ro", Some((RoleKind::Moderator, 0))).await;
        let anon = client();

        let res = post_report(&s, &reporter, form(place, vec![]), true).await;
        let to: serde_json::Value = res.json().await.unwrap();
        let report: i64 = to["redirect"]
            .as_str()
            .unwrap()
            .trim_start_matches("/map/reports/")
            .split('?')
            .next()
            .unwrap()
            .parse()
            .unwrap();

        let refused = |k: K| Problem::Refused(k);
        // new → confirmed: not by the reporter, a neighbour, an official or an anonymous visitor.
        assert_eq!(error_of(act(&s, &anon, report, "confirm", &[]).await).await, Problem::Unauthenticated);
        for c in [&reporter, &other, &official] {
            assert_eq!(error_of(act(&s, c, report, "confirm", &[]).await).await, refused(K::map_err_not_allowed));
        }
        // Sending before confirming is the wrong state, even for the organisation.
        assert_eq!(error_of(act(&s, &member, report, "send", &[]).await).await, refused(K::map_err_wrong_state));
        let res = act(&s, &member, report, "confirm", &[("comment", "Verificat.")]).await;
        assert!(res.headers().contains_key("location"), "{}", res.text().await.unwrap());
        assert_eq!(state_of(&s, report).await, "confirmed");
        // confirmed → sent: the organisation, with a registration number and date.
        assert_eq!(error_of(act(&s, &official, report, "send", &[]).await).await, refused(K::map_err_not_allowed));
        let p = error_of(
            act(&s, &member, report, "send", &[("registration_no", ""), ("registered_on", "2026-13-01")]).await,
        )
        .await;
        let f = p.form().unwrap();
        assert!(f.errors.iter().any(|e| e.field == "registration_no"));
        assert!(f.errors.iter().any(|e| e.field == "registered_on" && e.msg == K::map_err_date));
        let reg = app::map::day_iso(app::map::today() - 3);
        let res = act(&s, &member, report, "send", &[("registration_no", "4521/2026"), ("registered_on", &reg)]).await;
        assert!(res.headers().contains_key("location"));
        let row = sqlx::query("SELECT state, registration_no, registered_day, due_day FROM map_reports WHERE id = $1")
            .bind(report)
            .fetch_one(&s.db.pool)
            .await
            .unwrap();
        assert_eq!(row.get::<String, _>(0), "sent");
        assert_eq!(row.get::<String, _>(1), "4521/2026");
        let registered: i64 = row.get(2);
        assert_eq!(row.get::<i64, _>(3), app::map::rules::answer_due(registered, false));
        // The deadline can be extended once, by the authority.
        assert_eq!(error_of(act(&s, &reporter, report, "extend", &[]).await).await, refused(K::map_err_not_allowed));
        assert!(act(&s, &official, report, "extend", &[("comment", "Avem nevoie de o expertiză.")])
            .await
            .headers()
            .contains_key("location"));
        assert_eq!(
            error_of(act(&s, &official, report, "extend", &[]).await).await,
            refused(K::map_err_already_extended)
        );
        let due: i64 = sqlx::query("SELECT due_day FROM map_reports WHERE id = $1")
            .bind(report)
            .fetch_one(&s.db.pool)
            .await
            .unwrap()
            .get(0);
        assert_eq!(due, app::map::rules::answer_due(registered, true));
        // sent → answered: an official of *this* authority, with a comment.
        assert_eq!(
            error_of(act(&s, &wrong_official, report, "answer", &[("comment", "x")]).await).await,
            refused(K::map_err_not_allowed)
        );
        assert_eq!(
            error_of(act(&s, &reporter, report, "answer", &[("comment", "x")]).await).await,
            refused(K::map_err_not_allowed)
        );
        let p = error_of(act(&s, &official, report, "answer", &[("comment", "")]).await).await;
        assert_eq!(p.form().unwrap().errors[0].msg, K::map_err_comment_required);
        assert!(act(&s, &official, report, "answer", &[("comment", "Montăm o rampă până la 1 martie.")])
            .await
            .headers()
            .contains_key("location"));
        assert_eq!(state_of(&s, report).await, "answered");
        // answered → fixed: a resident proposes it with a photo; the organisation confirms.
        let fixed = |c: &reqwest::Client, f: reqwest::multipart::Form| {
            c.post(format!("{}/map/reports/{report}/fixed", s.base)).header("origin", &s.base).multipart(f).send()
        };
        let res = fixed(&reporter, reqwest::multipart::Form::new().text("comment", "Gata")).await.unwrap();
        assert!(res.headers()["location"].to_str().unwrap().contains("error=photo_1:photo_required"));
        let part = reqwest::multipart::Part::bytes(PNG.to_vec()).file_name("rampa.png").mime_str("image/png").unwrap();
        let f = reqwest::multipart::Form::new()
            .text("comment", "Rampa e gata.")
            .part("photo_1", part)
            .text("alt_1", "Rampa nouă");
        let res = fixed(&reporter, f).await.unwrap();
        assert_eq!(res.headers()["location"].to_str().unwrap(), format!("/map/reports/{report}?done=propose_fixed"));
        assert_eq!(state_of(&s, report).await, "answered", "a resident's word is a proposal");
        assert!(act(&s, &member, report, "fixed", &[("comment", "Am verificat: rampa e gata.")])
            .await
            .headers()
            .contains_key("location"));
        assert_eq!(state_of(&s, report).await, "fixed");
        // Closed: nobody answers or rejects it any more; the moderator can reopen it.
        assert_eq!(
            error_of(act(&s, &official, report, "answer", &[("comment", "x")]).await).await,
            refused(K::map_err_wrong_state)
        );
        assert_eq!(error_of(act(&s, &reporter, report, "reopen", &[]).await).await, refused(K::map_err_not_allowed));
        assert!(act(&s, &moderator, report, "reopen", &[("comment", "Rampa a fost demontată.")])
            .await
            .headers()
            .contains_key("location"));
        assert!(act(&s, &moderator, report, "reject", &[("comment", "Nu se confirmă.")])
            .await
            .headers()
            .contains_key("location"));
        assert_eq!(state_of(&s, report).await, "rejected");
        // The public timeline has every step with its actor role.
        let roles: Vec<String> =
            sqlx::query("SELECT actor_role FROM map_report_events WHERE report_id = $1 ORDER BY id")
                .bind(report)
                .fetch_all(&s.db.pool)
                .await
                .unwrap()
                .iter()
                .map(|r| r.get(0))
                .collect();
        assert_eq!(
            roles,
            ["reporter", "org", "org", "official", "official", "reporter", "org", "moderator", "moderator"]
        );
        let page = s.get(&anon, &format!("/map/reports/{report}")).await.text().await.unwrap();
        assert!(page.contains("Montăm o rampă până la 1 martie."), "the official answer is public");
    }
}

#[tokio::test]
async fn overdue_petitions_are_flagged_and_mailed_once() {
    for kind in backends() {
        let s = spawn(kind).await;
        // The demo has one petition registered 40 days ago with no answer.
        let n = app::map::notify_overdue(&s.db, &s.base).await.unwrap();
        assert_eq!(n, 1, "one mail to the organisation");
        assert_eq!(app::map::notify_overdue(&s.db, &s.base).await.unwrap(), 0, "only once");
        let mail: String = sqlx::query("SELECT kind FROM mail_outbox WHERE kind LIKE 'map.%'")
            .fetch_one(&s.db.pool)
            .await
            .unwrap()
            .get(0);
        assert_eq!(mail, "map.report_overdue");
        let flagged: i64 = sqlx::query("SELECT COUNT(*) FROM map_places WHERE overdue_reports > 0")
            .fetch_one(&s.db.pool)
            .await
            .unwrap()
            .get(0);
        assert_eq!(flagged, 1);
        let list = s.get(&s.client, "/map?reports=1").await.text().await.unwrap();
        assert!(list.contains("class=\"tag overdue\""), "overdue shown in the list");
    }
}

#[tokio::test]
async fn list_map_data_and_exports_agree() {
    for kind in backends() {
        let s = spawn(kind).await;
        let html = s.get(&s.client, "/map?need_step_free=1&sort=rating").await.text().await.unwrap();
        assert!(html.contains("aria-live=\"polite\""));
        assert!(html.contains("href=\"#results\""), "skip link past the map");
        let total: i64 = sqlx::query("SELECT COUNT(*) FROM map_places WHERE step_free = 1")
            .fetch_one(&s.db.pool)
            .await
            .unwrap()
            .get(0);
        assert!(total > 5);
        assert!(html.contains(&format!(">{total} ")), "count of {total} in the page");
        // Distance from a typed locality sorts and shows distances.
        let html = s.get(&s.client, "/map?near=Focsani&sort=distance").await.text().await.unwrap();
        assert!(html.contains("class=\"distance\""));
        // Map data: points in the city, clusters when zoomed out over many places.
        let d: serde_json::Value =
            s.get(&s.client, "/map/data.json?bbox=27.16,45.68,27.21,45.72&z=15").await.json().await.unwrap();
        let shown = |d: &serde_json::Value| {
            d["points"].as_array().unwrap().len() as i64
                + d["clusters"].as_array().unwrap().iter().map(|c| c[2].as_i64().unwrap()).sum::<i64>()
        };
        assert_eq!(shown(&d), 60, "every place is a marker or inside a cluster");
        assert!(!d["points"].as_array().unwrap().is_empty());
        let d: serde_json::Value = s
            .get(&s.client, "/map/data.json?bbox=27.16,45.68,27.21,45.72&z=15&need_toilet=1")
            .await
            .json()
            .await
            .unwrap();
        assert!(shown(&d) < 60);
        assert_eq!(s.get(&s.client, "/map/data.json?bbox=1,2").await.status(), 400);
        // Exports: OSM tags, never "unknown".
        let g = s.get(&s.client, "/map/export.geojson?category=school").await.text().await.unwrap();
        let v: serde_json::Value = serde_json::from_str(&g).unwrap();
        assert!(v["features"].as_array().unwrap().iter().all(|f| f["properties"]["amenity"] == "school"));
        assert!(!g.contains("\"unknown\""));
        let c = s.get(&s.client, "/map/export.csv").await.text().await.unwrap();
        assert!(c.starts_with("id,lat,lon,name,"));
        assert!(!c.contains(",unknown"));
        // Leaflet comes from the npm package, cached for a year.
        let res = s.get(&s.client, "/vendor/leaflet/1.9.4/leaflet.js").await;
        assert_eq!(res.status(), 200);
        assert!(res.headers()["cache-control"].to_str().unwrap().contains("immutable"));
        assert_eq!(s.get(&s.client, "/vendor/leaflet/1.9.4/../../Cargo.toml").await.status(), 404);
    }
}

#[tokio::test]
async fn petition_pdf_lists_the_buildings_for_the_organisation_only() {
    for kind in backends() {
        let s = spawn(kind).await;
        let org = id_of(&s, "SELECT id FROM organisations WHERE slug = $1", "grupul-dizabil-eu-vrancea").await;
        let city = id_of(&s, "SELECT id FROM authorities WHERE name = $1", "Primăria Municipiului Focșani").await;
        let url = format!("/map/petition.pdf?org={org}&authority={city}");
        assert_eq!(s.get(&client(), &url).await.status(), 401);
        let outsider = user(&s, "altcineva@exemplu.ro", None).await;
        assert_eq!(s.get(&outsider, &url).await.status(), 403);
        let member = user(&s, "membru-pdf@exemplu.ro", Some((RoleKind::OrgAdmin, org))).await;
        let res = s.get(&member, &url).await;
        assert_eq!(res.status(), 200);
        let pdf = res.bytes().await.unwrap();
        assert!(app::ssr::pdf::is_pdf(&pdf));
        let confirmed: i64 = sqlx::query(
            "SELECT COUNT(*) FROM map_reports r JOIN map_places p ON p.id = r.place_id WHERE r.state = 'confirmed' AND p.authority_id = $1",
        )
        .bind(city)
        .fetch_one(&s.db.pool)
        .await
        .unwrap()
        .get(0);
        assert!(confirmed >= 2, "the letter lists several buildings");
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.contains("27/2002"), "cites OG 27/2002");
    }
}

async fn place_col(s: &TestServer, place: i64, col: &str) -> String {
    sqlx::query(&format!("SELECT {col} FROM map_places WHERE id = $1"))
        .bind(place)
        .fetch_one(&s.db.pool)
        .await
        .unwrap()
        .get(0)
}

#[tokio::test]
async fn audits_by_residents_and_verified_audits_by_the_organisation() {
    for kind in backends() {
        let s = spawn(kind).await;
        let org = id_of(&s, "SELECT id FROM organisations WHERE slug = $1", "grupul-dizabil-eu-vrancea").await;
        let place = id_of(&s, "SELECT id FROM map_places WHERE name = $1", "Spitalul de Psihiatrie Focșani").await;
        assert_eq!(place_col(&s, place, "rating").await, "unknown");
        let id = place.to_string();
        let res = s
            .call(&client(), SaveAudit::PATH, &[("place_id", &id), ("checked_on", ""), ("audit[step_free]", "no")])
            .await;
        assert_eq!(error_of(res).await, Problem::Unauthenticated);
        let resident = user(&s, "evaluator@exemplu.ro", None).await;
        // A number out of range comes back next to its field, with the values kept.
        let res = s
            .call(&resident, SaveAudit::PATH, &[("place_id", &id), ("checked_on", ""), ("audit[steps]", "trei")])
            .await;
        let p = error_of(res).await;
        assert_eq!(p.form().unwrap().errors[0].field, "audit[steps]");
        assert_eq!(p.kept().unwrap().value_of("audit[steps]").as_deref(), Some("trei"));
        let audit = [
            ("place_id", id.as_str()),
            ("checked_on", ""),
            ("audit[step_free]", "no"),
            ("audit[steps]", "1"),
            ("audit[step_height_cm]", "5"),
            ("audit[lift]", ""),
        ];
        assert!(s.call(&resident, SaveAudit::PATH, &audit).await.headers().contains_key("location"));
        assert_eq!(place_col(&s, place, "rating").await, "limited", "one step of 5 cm");
        assert_eq!(place_col(&s, place, "confidence").await, "low", "one unverified audit");
        // The organisation's newer audit is verified and wins.
        let member = user(&s, "verificator@exemplu.ro", Some((RoleKind::OrgMember, org))).await;
        let yes = [
            ("place_id", id.as_str()),
            ("checked_on", ""),
            ("audit[step_free]", "yes"),
            ("audit[door_width_cm]", "95"),
        ];
        assert!(s.call(&member, SaveAudit::PATH, &yes).await.headers().contains_key("location"));
        assert_eq!(place_col(&s, place, "rating").await, "yes");
        assert_eq!(place_col(&s, place, "confidence").await, "medium");
        let page = s.get(&s.client, &format!("/map/places/{place}")).await.text().await.unwrap();
        assert!(page.contains("Intrarea nu are trepte."), "the reason in words");
    }
}

#[tokio::test]
async fn imports_are_uploaded_files_previewed_then_all_or_nothing() {
    for kind in backends() {
        let s = spawn(kind).await;
        let org = id_of(&s, "SELECT id FROM organisations WHERE slug = $1", "grupul-dizabil-eu-vrancea").await;
        let good = "name,category,locality,lat,lon\nȘcoala Nouă,school,Focșani,45.70,27.18\nGrădinița Nouă,kindergarten,Focșani,45.701,27.181\n";
        let bad = format!("{good}Fără loc,library,Focșani,,\n");
        let count = |s: &TestServer| {
            let pool = s.db.pool.clone();
            async move {
                sqlx::query("SELECT COUNT(*) FROM map_places WHERE is_demo = 0")
                    .fetch_one(&pool)
                    .await
                    .unwrap()
                    .get::<i64, _>(0)
            }
        };
        // A plain multipart form (no JS): the file, its name, the organisation.
        let upload = |c: &reqwest::Client, name: &str, bytes: Vec<u8>| {
            let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()).mime_str("text/csv").unwrap();
            let f = reqwest::multipart::Form::new().text("org_id", org.to_string()).part("file", part);
            c.post(format!("{}/map/import/upload", s.base)).header("origin", &s.base).multipart(f).send()
        };
        let location = |r: &reqwest::Response| {
            assert_eq!(r.status(), 303, "upload answers with a redirect");
            r.headers()["location"].to_str().unwrap().to_string()
        };
        let token_of = |loc: &str| loc.split_once("upload=").map(|(_, t)| t.to_string()).unwrap_or_default();
        let preview = |c: &reqwest::Client, token: &str| {
            let token = token.to_string();
            let c = c.clone();
            let base = s.base.clone();
            async move {
                c.post(format!("{base}{}", app::map::ImportUpload::PATH))
                    .header("origin", &base)
                    .form(&[("token", token)])
                    .send()
                    .await
                    .unwrap()
                    .json::<Option<app::map::Upload>>()
                    .await
                    .unwrap()
            }
        };
        let commit = |c: &reqwest::Client, token: &str| {
            let (c, token, base) = (c.clone(), token.to_string(), s.base.clone());
            async move {
                c.post(format!("{base}{}", app::map::ImportCommit::PATH))
                    .header("origin", &base)
                    .form(&[("token", token)])
                    .send()
                    .await
                    .unwrap()
            }
        };

        let resident = user(&s, "importator@exemplu.ro", None).await;
        assert_eq!(upload(&resident, "a.csv", good.as_bytes().to_vec()).await.unwrap().status(), 403);
        let admin = user(&s, "admin-org@exemplu.ro", Some((RoleKind::OrgAdmin, org))).await;

        // Checked by content: a PNG named .csv is refused, with the message next to the file field.
        let r = upload(&admin, "institutii.csv", PNG.to_vec()).await.unwrap();
        assert_eq!(location(&r), "/map/import?error=file:not_text");
        let r = upload(&admin, "gol.csv", vec![]).await.unwrap();
        assert_eq!(location(&r), "/map/import?error=file:required");
        // Over 5 MB: back to the form with its own message.
        let r = upload(&admin, "mare.csv", vec![b'a'; app::map::rules::import::MAX_FILE + 1_000]).await.unwrap();
        assert_eq!(location(&r), "/map/import?error=file:too_large");

        // A file with a bad row: the preview shows every row's error, and nothing can be imported.
        let r = upload(&admin, "institutii.csv", bad.into_bytes()).await.unwrap();
        let t_bad = token_of(&location(&r));
        assert!(!t_bad.is_empty());
        let pv = preview(&admin, &t_bad).await.expect("the uploader sees the preview");
        assert_eq!(pv.file_name, "institutii.csv");
        assert_eq!(pv.preview.rows.len(), 2);
        assert_eq!((pv.preview.errors.len(), pv.preview.errors[0].row), (1, 3));
        assert!(preview(&resident, &t_bad).await.is_none(), "nobody else sees an upload");
        assert_eq!(error_of(commit(&admin, &t_bad).await).await, Problem::Refused(K::map_import_errors));
        assert_eq!(count(&s).await, 0, "a bad row stops the whole import");

        // A good file: previewed, nothing written until confirmed.
        let r = upload(&admin, "bune.csv", good.as_bytes().to_vec()).await.unwrap();
        let t_good = token_of(&location(&r));
        let pv = preview(&admin, &t_good).await.unwrap();
        assert_eq!((pv.preview.rows.len(), pv.preview.errors.len()), (2, 0));
        assert_eq!(count(&s).await, 0, "a preview writes nothing");
        assert_eq!(error_of(commit(&resident, &t_good).await).await, Problem::NotFound, "not their upload");
        let r = commit(&admin, &t_good).await;
        assert_eq!(r.headers()["location"].to_str().unwrap(), "/map/import?imported=2");
        assert_eq!(count(&s).await, 2);
        // Confirming twice imports once.
        assert_eq!(error_of(commit(&admin, &t_good).await).await, Problem::NotFound);
        assert_eq!(count(&s).await, 2);

        let geo = r#"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[27.19,45.69]},"properties":{"name":"Teatrul Nou","category":"theatre","addr:city":"Focșani"}}]}"#;
        let r = upload(&admin, "teatre.geojson", geo.as_bytes().to_vec()).await.unwrap();
        let t_geo = token_of(&location(&r));
        assert_eq!(preview(&admin, &t_geo).await.unwrap().preview.rows[0].name, "Teatrul Nou");
        assert!(commit(&admin, &t_geo).await.headers().contains_key("location"));
        assert_eq!(count(&s).await, 3);
    }
}
