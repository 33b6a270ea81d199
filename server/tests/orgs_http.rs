//! Organisations over real HTTP: catalogue search (same answers on SQLite and PostgreSQL),
//! the registration → verification lifecycle by role, open-data export.
mod common;

use app::error::Problem;
use app::i18n::K;
use app::orgs::*;
use common::*;
use leptos::server_fn::ServerFn;

async fn error_of(res: reqwest::Response) -> Problem {
    let body = res.text().await.unwrap();
    serde_json::from_str::<OrgsError>(&body).unwrap_or_else(|e| panic!("not an OrgsError ({e}): {body}")).0
}

async fn search(s: &TestServer, form: &[(&str, &str)]) -> Vec<String> {
    let mut full = vec![
        ("filter[q]", ""),
        ("filter[domain]", ""),
        ("filter[county]", ""),
        ("filter[form]", ""),
        ("filter[page]", "1"),
    ];
    let mut verified = "false";
    for (k, v) in form {
        if *k == "verified" {
            verified = v;
            continue;
        }
        for f in full.iter_mut() {
            if f.0 == format!("filter[{k}]") {
                f.1 = v;
            }
        }
    }
    full.push(("filter[verified]", verified));
    let res = s.call(&s.client, SearchOrgs::PATH, &full).await;
    let body = res.text().await.unwrap();
    let r: OrgResults = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}"));
    let mut names: Vec<String> = r.cards.into_iter().map(|c| c.name).collect();
    names.sort();
    names
}

/// Query → expected organisations, checked on every database.
const TABLE: &[(&str, &str, &[&str])] = &[
    ("Focsani", "", &["Asociația de Tineret „Eu, tu și ei” Focșani", "Grupul DizAbil.Eu Vrancea"]),
    ("Focşani", "", &["Asociația de Tineret „Eu, tu și ei” Focșani", "Grupul DizAbil.Eu Vrancea"]),
    ("FOCȘANI", "", &["Asociația de Tineret „Eu, tu și ei” Focșani", "Grupul DizAbil.Eu Vrancea"]),
    ("focsani", "disability", &["Asociația de Tineret „Eu, tu și ei” Focșani", "Grupul DizAbil.Eu Vrancea"]),
    ("Mogosoaia", "", &["Asociația Civis Mogoșoaia"]),
    ("grozav", "", &["„Loc de joacă pentru Grozăvești”"]),
    ("medici sate", "", &["Caravana cu Medici"]),
    ("nimic-de-gasit-aici", "", &[]),
];

#[tokio::test]
async fn search_folds_diacritics_and_agrees_across_databases() {
    for kind in backends() {
        let s = spawn(kind).await;
        for (q, domain, expected) in TABLE {
            let got = search(&s, &[("q", q), ("domain", domain)]).await;
            assert_eq!(got, *expected, "{kind:?}: {q:?} in {domain:?}");
        }
        let iasi = search(&s, &[("county", "Iași")]).await;
        assert_eq!(iasi.len(), 4, "{kind:?}: {iasi:?}");
        let all = search(&s, &[]).await;
        assert_eq!(all.len(), app::orgs::rules::PAGE_SIZE as usize, "first page is full");
    }
}

async fn verified_user(s: &TestServer, email: &str) -> reqwest::Client {
    let c = client();
    let res = s
        .call(
            &c,
            app::accounts::Register::PATH,
            &[("display_name", "Dana"), ("email", email), ("password", "parola-buna-7"), ("website", "")],
        )
        .await;
    assert!(res.headers().contains_key("location"));
    let token = s.token_for(email).await;
    s.call(&c, app::accounts::VerifyEmail::PATH, &[("token", &token)]).await;
    let res =
        s.call(&c, app::accounts::Login::PATH, &[("email", email), ("password", "parola-buna-7"), ("next", "")]).await;
    assert!(res.headers().contains_key("set-cookie"));
    c
}

fn org_form<'a>(name: &'a str, form: &'a str, cui: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("name", name),
        ("legal_form", form),
        ("cui", cui),
        ("registry_number", ""),
        ("locality", "Focșani"),
        ("county", "Vrancea"),
        ("domains[]", "disability"),
        ("domains[]", "mobility"),
        ("short_description", "Cartografiem rampele din Focșani."),
        ("website", "https://exemplu.ro"),
        ("contact_email", "contact@exemplu.ro"),
    ]
}

#[tokio::test]
async fn organisation_lifecycle_by_role() {
    for kind in backends() {
        let s = spawn(kind).await;
        let anon = client();
        let res = s.call(&anon, RegisterOrg::PATH, &org_form("Rampa Focșani", "informal", "")).await;
        assert_eq!(error_of(res).await, Problem::Unauthenticated);

        let founder = verified_user(&s, "fondator@exemplu.ro").await;
        // A wrong fiscal code is refused next to its field, with everything else kept.
        let res = s.call(&founder, RegisterOrg::PATH, &org_form("Asociația Rampa", "association", "18547291")).await;
        let p = error_of(res).await;
        assert_eq!(p.form().unwrap().errors[0].msg, K::err_cui_checksum);
        assert_eq!(p.kept().unwrap().value_of("name").as_deref(), Some("Asociația Rampa"));
        assert_eq!(p.kept().unwrap().value_of("domains").as_deref(), Some("disability,mobility"));

        let res = s.call(&founder, RegisterOrg::PATH, &org_form("Asociația Rampa", "association", "RO18547290")).await;
        assert_eq!(res.headers()["location"], "/organisations/asociatia-rampa?created=1");
        // Pending: not in the catalogue, not visible to others, visible to its admin.
        assert!(search(&s, &[("q", "rampa")]).await.is_empty());
        let res = s.call(&anon, GetOrg::PATH, &[("slug", "asociatia-rampa")]).await;
        assert_eq!(error_of(res).await, Problem::NotFound);
        let mine: OrgProfile =
            s.call(&founder, GetOrg::PATH, &[("slug", "asociatia-rampa")]).await.json().await.unwrap();
        assert_eq!(mine.cui.as_deref(), Some("18547290"));
        assert_eq!(mine.card.domains, ["disability", "mobility"]);
        assert_eq!(mine.members, 1, "the founder is its admin");

        // Only a platform admin verifies.
        let id = mine.card.id.to_string();
        let res = s.call(&founder, SetOrgStatus::PATH, &[("org_id", &id), ("status", "active")]).await;
        assert_eq!(error_of(res).await, Problem::Forbidden);
        let admin = verified_user(&s, "admin@exemplu.ro").await;
        let uid = app::accounts::db::find_user_by_email(&s.db, "admin@exemplu.ro").await.unwrap().unwrap().id;
        app::accounts::db::grant_role(&s.db, uid, app::accounts::rules::RoleKind::Admin, 0, uid).await.unwrap();
        let res = s.call(&admin, SetOrgStatus::PATH, &[("org_id", &id), ("status", "active")]).await;
        assert_eq!(res.headers()["location"], "/organisations/asociatia-rampa?status=1");
        assert_eq!(search(&s, &[("q", "rampa"), ("verified", "true")]).await, ["Asociația Rampa"]);
        let public: OrgProfile =
            s.call(&anon, GetOrg::PATH, &[("slug", "asociatia-rampa")]).await.json().await.unwrap();
        assert!(public.card.verified);

        // The same name cannot be registered twice.
        let res = s.call(&founder, RegisterOrg::PATH, &org_form("Asociația Rampa", "informal", "")).await;
        assert_eq!(error_of(res).await.form().unwrap().errors[0].msg, K::err_org_exists);
    }
}

#[tokio::test]
async fn open_data_export_lists_public_fields() {
    let s = spawn(app::ssr::DbKind::Sqlite).await;
    let res = s.get(&s.client, "/organisations.csv").await;
    assert_eq!(res.headers()["content-type"], "text/csv; charset=utf-8");
    let csv = res.text().await.unwrap();
    assert!(csv.starts_with("name,legal_form,cui"));
    assert!(csv.contains("\"Asociația de Tineret „Eu, tu și ei” Focșani\""));
    assert_eq!(csv.lines().count(), 14, "header + 13 demo organisations");
    let json: serde_json::Value = s.get(&s.client, "/organisations.json").await.json().await.unwrap();
    let list = json["organisations"].as_array().unwrap();
    assert_eq!(list.len(), 13);
    assert!(list.iter().all(|o| o.get("contact_email").is_none()), "no contact addresses in bulk");
    // Pages render, authorities included.
    let html = s.get(&s.client, "/organisations?q=Focsani").await.text().await.unwrap();
    assert!(html.contains("Grupul DizAbil.Eu Vrancea"));
    let html = s.get(&s.client, "/authorities").await.text().await.unwrap();
    assert!(html.contains("Primăria Municipiului Focșani"));
}

#[tokio::test]
async fn members_are_invited_by_email_or_ask_to_join() {
    use app::orgs::members::*;
    for kind in backends() {
        let s = spawn(kind).await;
        let admin = verified_user(&s, "sef@exemplu.ro").await;
        let res = s.call(&admin, RegisterOrg::PATH, &org_form("Grupul Rampa", "informal", "")).await;
        assert!(res.headers().contains_key("location"));
        let org: OrgProfile = s.call(&admin, GetOrg::PATH, &[("slug", "grupul-rampa")]).await.json().await.unwrap();
        let id = org.card.id.to_string();

        // A stranger cannot invite.
        let stranger = verified_user(&s, "strain@exemplu.ro").await;
        let res = s
            .call(&stranger, InviteMember::PATH, &[("org_id", &id), ("email", "x@exemplu.ro"), ("role", "org_member")])
            .await;
        assert_eq!(error_of(res).await, Problem::Forbidden);

        let res = s
            .call(
                &admin,
                InviteMember::PATH,
                &[("org_id", &id), ("email", "membru@exemplu.ro"), ("role", "org_member")],
            )
            .await;
        assert_eq!(res.headers()["location"], "/organisations/grupul-rampa?invited=1");
        let token = s.token_for("membru@exemplu.ro").await;
        // The link works only for the invited address.
        let res = s.call(&stranger, AcceptInvite::PATH, &[("token", &token)]).await;
        assert_eq!(error_of(res).await, Problem::Refused(K::err_invite_other_account));
        let member = verified_user(&s, "membru@exemplu.ro").await;
        let res = s.call(&member, AcceptInvite::PATH, &[("token", &token)]).await;
        assert_eq!(res.headers()["location"], "/organisations/grupul-rampa?joined=1");
        let res = s.call(&member, AcceptInvite::PATH, &[("token", &token)]).await;
        assert_eq!(error_of(res).await, Problem::Refused(K::err_link_invalid), "used once");

        // The stranger asks to join; the admin approves.
        let res = s.call(&stranger, RequestJoin::PATH, &[("org_id", &id), ("message", "Vreau să ajut")]).await;
        assert!(res.headers().contains_key("location"));
        let m: Membership = s.call(&admin, GetMembership::PATH, &[("org_id", &id)]).await.json().await.unwrap();
        assert_eq!(m.requests.len(), 1);
        assert_eq!(m.members.len(), 2);
        let rid = m.requests[0].id.to_string();
        let res = s.call(&member, DecideJoin::PATH, &[("org_id", &id), ("request_id", &rid), ("approve", "yes")]).await;
        assert_eq!(error_of(res).await, Problem::Forbidden, "members do not decide");
        s.call(&admin, DecideJoin::PATH, &[("org_id", &id), ("request_id", &rid), ("approve", "yes")]).await;
        let m: Membership = s.call(&admin, GetMembership::PATH, &[("org_id", &id)]).await.json().await.unwrap();
        assert_eq!(m.members.len(), 3);
        assert!(m.requests.is_empty());

        // The last admin stays.
        let admin_role = m.members.iter().find(|x| x.admin).unwrap().role_id.to_string();
        let res = s.call(&admin, RemoveMember::PATH, &[("org_id", &id), ("role_id", &admin_role)]).await;
        assert_eq!(error_of(res).await, Problem::Refused(K::err_last_org_admin));
    }
}

#[tokio::test]
async fn newsletter_double_opt_in_and_one_click_unsubscribe() {
    use app::orgs::newsletter::*;
    for kind in backends() {
        let s = spawn(kind).await;
        let c = client();
        let form = |consent: &'static str| {
            vec![
                ("email", "cititor@exemplu.ro"),
                ("topics[]", "map"),
                ("topics[]", "trainings"),
                ("county", "Vrancea"),
                ("consent", consent),
                ("website", ""),
            ]
        };
        // Consent is required and its absence is said next to the box, with the rest kept.
        let res = s.call(&c, Subscribe::PATH, &form("")).await;
        let p = error_of(res).await;
        assert_eq!(p.form().unwrap().errors[0].field, "consent");
        assert_eq!(p.kept().unwrap().value_of("topics").as_deref(), Some("map,trainings"));

        let res = s.call(&c, Subscribe::PATH, &form("yes")).await;
        assert_eq!(res.headers()["location"], "/newsletter?sent=1");
        use sqlx::Row;
        let r = sqlx::query("SELECT status, consent_version, consent_ip_hash FROM newsletter_subscribers")
            .fetch_one(&s.db.pool)
            .await
            .unwrap();
        assert_eq!(r.get::<String, _>("status"), "pending", "nothing is sent before confirmation");
        assert_eq!(r.get::<String, _>("consent_version"), CONSENT_VERSION);
        assert_eq!(r.get::<String, _>("consent_ip_hash").len(), 64, "a hash, not the address");

        let token = s.token_for("cititor@exemplu.ro").await;
        let res = s.call(&c, ConfirmSubscription::PATH, &[("token", &token)]).await;
        let location = res.headers()["location"].to_str().unwrap().to_string();
        assert!(location.starts_with("/newsletter/preferences?token="), "{location}");
        let manage = location.split("token=").nth(1).unwrap().split('&').next().unwrap().to_string();
        let prefs: Preferences = s.call(&c, GetPreferences::PATH, &[("token", &manage)]).await.json().await.unwrap();
        assert_eq!(prefs.status, "confirmed");
        assert_eq!(prefs.topics, ["map", "trainings"]);

        // Another subscriber's link cannot be made from this one (ids are random, links signed).
        let (id, sig) = manage.split_once('.').unwrap();
        assert!(id.len() == 32 && id.chars().all(|c| c.is_ascii_hexdigit()), "a random public id: {id}");
        let last = if id.ends_with('0') { '1' } else { '0' };
        let forged = format!("{}{last}.{sig}", &id[..31]);
        let res = s.call(&c, GetPreferences::PATH, &[("token", &forged)]).await;
        assert_eq!(error_of(res).await, Problem::Refused(K::err_link_invalid));
        let res = s.client.post(format!("{}/newsletter/one-click?token={forged}", s.base)).send().await.unwrap();
        assert_eq!(res.status(), 400);

        // One click from a mail client: no cookie, no origin, no page.
        let res = reqwest::Client::new()
            .post(format!("{}/newsletter/one-click?token={manage}", s.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body("List-Unsubscribe=One-Click")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let prefs: Preferences = s.call(&c, GetPreferences::PATH, &[("token", &manage)]).await.json().await.unwrap();
        assert_eq!(prefs.status, "unsubscribed");
    }
}

/// The demo workshop (3 seats), as `c` sees it.
async fn workshop(s: &TestServer, c: &reqwest::Client) -> app::orgs::events::EventView {
    use app::orgs::events::GetEvent;
    s.call(c, GetEvent::PATH, &[("slug", "atelier-harta-accesibilitatii-focsani")]).await.json().await.unwrap()
}

#[tokio::test]
async fn event_seats_fill_then_the_waiting_list_moves_up() {
    use app::orgs::events::*;
    for kind in backends() {
        let s = spawn(kind).await;
        // The demo workshop has 3 seats.
        let ev: EventView = s
            .call(&s.client, GetEvent::PATH, &[("slug", "atelier-harta-accesibilitatii-focsani")])
            .await
            .json()
            .await
            .unwrap();
        assert_eq!((ev.capacity, ev.confirmed), (3, 0));
        let id = ev.card.id.to_string();
        let mut people = Vec::new();
        for i in 0..5 {
            let c = verified_user(&s, &format!("p{i}@exemplu.ro")).await;
            let res = s.call(&c, RegisterEvent::PATH, &[("event_id", &id)]).await;
            let loc = res.headers()["location"].to_str().unwrap().to_string();
            let expected = if i < 3 { "confirmed" } else { "waitlisted" };
            assert!(loc.ends_with(&format!("registered={expected}")), "{kind:?} person {i}: {loc}");
            people.push(c);
        }
        let ev = workshop(&s, &people[3]).await;
        assert_eq!((ev.confirmed, ev.waitlisted), (3, 2));
        assert_eq!(ev.my_status.as_deref(), Some("waitlisted"));
        // Registering twice changes nothing.
        s.call(&people[0], RegisterEvent::PATH, &[("event_id", &id)]).await;
        assert_eq!(workshop(&s, &people[3]).await.confirmed, 3);
        // The registration is part of "download my data".
        let data: serde_json::Value = s.get(&people[0], app::accounts::ExportMyData::PATH).await.json().await.unwrap();
        assert_eq!(data["event_registrations"][0]["status"], "confirmed");
        assert!(data["newsletter"].is_null());
        // A confirmed person cancels: the first on the waiting list moves up and is told.
        s.call(&people[1], CancelRegistration::PATH, &[("event_id", &id)]).await;
        let ev = workshop(&s, &people[3]).await;
        assert_eq!((ev.confirmed, ev.waitlisted), (3, 1));
        assert_eq!(ev.my_status.as_deref(), Some("confirmed"));
        use sqlx::Row;
        let subject: String =
            sqlx::query("SELECT body_text FROM mail_outbox WHERE to_addr = 'p3@exemplu.ro' ORDER BY id DESC LIMIT 1")
                .fetch_one(&s.db.pool)
                .await
                .unwrap()
                .get(0);
        assert!(subject.contains("S-a eliberat un loc"), "{subject}");

        // The day before, confirmed people get a reminder, once.
        sqlx::query("UPDATE events SET starts_at = $1 WHERE id = $2")
            .bind(app::ssr::now() + 3600)
            .bind(ev.card.id)
            .execute(&s.db.pool)
            .await
            .unwrap();
        assert_eq!(send_reminders(&s.db, &s.base).await.unwrap(), 3);
        assert_eq!(send_reminders(&s.db, &s.base).await.unwrap(), 0);

        let res = s.get(&s.client, "/events/atelier-harta-accesibilitatii-focsani/event.ics").await;
        assert_eq!(res.headers()["content-type"], "text/calendar; charset=utf-8");
        let ics = res.text().await.unwrap();
        assert!(ics.contains("BEGIN:VEVENT") && ics.contains("SUMMARY:Atelier: cartografiem accesibilitatea"));

        // Past events take no registrations.
        let past: EventView = s
            .call(&s.client, GetEvent::PATH, &[("slug", "instruire-consultari-publice-legea-52")])
            .await
            .json()
            .await
            .unwrap();
        assert!(past.past);
        let res = s.call(&people[4], RegisterEvent::PATH, &[("event_id", &past.card.id.to_string())]).await;
        assert_eq!(error_of(res).await, Problem::Refused(K::err_event_closed));
    }
}

#[tokio::test]
async fn stories_render_markdown_safely_and_reach_the_feed() {
    use app::orgs::stories::*;
    for kind in backends() {
        let s = spawn(kind).await;
        let admin = verified_user(&s, "autor@exemplu.ro").await;
        s.call(&admin, RegisterOrg::PATH, &org_form("Grupul Povești", "informal", "")).await;
        let org: OrgProfile = s.call(&admin, GetOrg::PATH, &[("slug", "grupul-povesti")]).await.json().await.unwrap();
        let id = org.card.id.to_string();
        let body = "**Am reușit!** <script>alert(1)</script> [x](javascript:alert(2)) <img src=x onerror=alert(3)>";
        let form = [
            ("org_id", id.as_str()),
            ("title", "Rampa nouă"),
            ("summary", "Primăria a construit rampa."),
            ("body", body),
            ("domain", "disability"),
            ("locality", "Focșani"),
        ];
        let stranger = verified_user(&s, "altcineva@exemplu.ro").await;
        let res = s.call(&stranger, CreateStory::PATH, &form).await;
        assert_eq!(error_of(res).await, Problem::Forbidden);
        let res = s.call(&admin, CreateStory::PATH, &form).await;
        let location = res.headers()["location"].to_str().unwrap().to_string();
        let slug = location.trim_start_matches("/stories/");
        let story: StoryView = s.call(&s.client, GetStory::PATH, &[("slug", slug)]).await.json().await.unwrap();
        assert!(story.html.contains("<strong>Am reușit!</strong>"));
        for bad in ["<script", "javascript:", "onerror"] {
            assert!(!story.html.contains(bad), "{bad} in {}", story.html);
        }
        let page = s.get(&s.client, &location).await.text().await.unwrap();
        assert!(!page.contains("<script>alert(1)</script>"), "inert on the page too");
        let feed = s.get(&s.client, "/stories/feed.atom").await.text().await.unwrap();
        assert!(feed.contains("<title>Rampa nouă</title>"));
        assert!(feed.contains("Cum am obținut o rampă la bibliotecă"), "demo stories are in the feed");
    }
}

#[tokio::test]
async fn newsletter_issues_go_to_their_segment_in_resumable_batches() {
    use app::orgs::newsletter::*;
    use sqlx::Row;
    for kind in backends() {
        let s = spawn(kind).await;
        // Three confirmed subscribers (two want map news), one never confirmed.
        for (email, topic, confirm) in [
            ("a@exemplu.ro", "map", true),
            ("b@exemplu.ro", "map", true),
            ("c@exemplu.ro", "trainings", true),
            ("d@exemplu.ro", "map", false),
        ] {
            let c = client();
            s.call(
                &c,
                Subscribe::PATH,
                &[("email", email), ("topics[]", topic), ("county", ""), ("consent", "yes"), ("website", "")],
            )
            .await;
            if confirm {
                let token = s.token_for(email).await;
                s.call(&c, ConfirmSubscription::PATH, &[("token", &token)]).await;
            }
        }
        let admin = verified_user(&s, "redactor@exemplu.ro").await;
        let resident = verified_user(&s, "cititor2@exemplu.ro").await;
        let uid = app::accounts::db::find_user_by_email(&s.db, "redactor@exemplu.ro").await.unwrap().unwrap().id;
        app::accounts::db::grant_role(&s.db, uid, app::accounts::rules::RoleKind::Admin, 0, uid).await.unwrap();
        let issue = [
            ("subject", "Harta din noiembrie"),
            ("body", "**Noutăți** de pe harta accesibilității."),
            ("topic", "map"),
            ("county", ""),
        ];
        let res = s.call(&resident, CreateIssue::PATH, &issue).await;
        assert_eq!(error_of(res).await, Problem::Forbidden);
        s.call(&admin, CreateIssue::PATH, &issue).await;
        let issues: Vec<IssueRow> = s.call(&admin, AdminIssues::PATH, &[]).await.json().await.unwrap();
        assert_eq!((issues[0].audience, issues[0].sent, issues[0].status.as_str()), (2, 0, "draft"));
        let id = issues[0].id.to_string();
        s.call(&admin, TestSendIssue::PATH, &[("issue_id", &id)]).await;
        let res = s.call(&resident, StartSending::PATH, &[("issue_id", &id)]).await;
        assert_eq!(error_of(res).await, Problem::Forbidden);
        s.call(&admin, StartSending::PATH, &[("issue_id", &id)]).await;

        // One per batch: stopping after the first and starting again sends nobody twice.
        assert_eq!(send_batch(&s.db, &s.settings.keys, &s.base, 1).await.unwrap(), 1);
        assert_eq!(send_batch(&s.db, &s.settings.keys, &s.base, 1).await.unwrap(), 1);
        assert_eq!(send_batch(&s.db, &s.settings.keys, &s.base, 1).await.unwrap(), 0);
        let issues: Vec<IssueRow> = s.call(&admin, AdminIssues::PATH, &[]).await.json().await.unwrap();
        assert_eq!((issues[0].sent, issues[0].status.as_str()), (2, "sent"));
        let rows =
            sqlx::query("SELECT to_addr, unsubscribe_url FROM mail_outbox WHERE kind = 'newsletter' ORDER BY to_addr")
                .fetch_all(&s.db.pool)
                .await
                .unwrap();
        let to: Vec<String> = rows.iter().map(|r| r.get("to_addr")).collect();
        assert_eq!(to, ["a@exemplu.ro", "b@exemplu.ro", "redactor@exemplu.ro"], "the segment, plus the admin's test");
        let unsub: Option<String> = rows[0].get("unsubscribe_url");
        assert!(unsub.unwrap().contains("/newsletter/one-click?token="), "every mail can unsubscribe in one click");
    }
}

async fn post(s: &TestServer, c: &reqwest::Client, path: &str, v: &[(&str, String)]) -> reqwest::Response {
    let pairs: Vec<(&str, &str)> = v.iter().map(|(k, v)| (*k, v.as_str())).collect();
    s.call(c, path, &pairs).await
}

#[tokio::test]
async fn officials_are_approved_by_an_admin_from_their_request() {
    use app::orgs::officials::*;
    for kind in backends() {
        let s = spawn(kind).await;
        let a = app::orgs::db::authorities(&s.db, "").await.unwrap().into_iter().next().expect("demo authorities");
        let aid = a.id.to_string();
        let form = |email: &'static str| {
            vec![
                ("authority_id", aid.clone()),
                ("position", "Consilier".into()),
                ("work_email", email.into()),
                ("message", "".into()),
            ]
        };
        // Signed out: refused.
        let res = post(&s, &client(), RequestOfficial::PATH, &form("ion@primarie.ro")).await;
        assert_eq!(error_of(res).await, Problem::Unauthenticated);

        let ion = verified_user(&s, "ion@exemplu.ro").await;
        // A bad work address comes back next to its field.
        let res = post(&s, &ion, RequestOfficial::PATH, &form("nu-e-email")).await;
        let p = error_of(res).await;
        assert_eq!(p.form().unwrap().errors[0].field, "work_email");
        let res = post(&s, &ion, RequestOfficial::PATH, &form("ion@primarie.ro")).await;
        assert_eq!(res.headers()["location"], format!("/authorities/{}?requested=1", a.slug));
        // One pending request per person and authority.
        let res = post(&s, &ion, RequestOfficial::PATH, &form("ion@primarie.ro")).await;
        assert_eq!(error_of(res).await, Problem::Refused(K::officials_already));
        let st: MyStanding =
            post(&s, &ion, OfficialStanding::PATH, &[("authority_id", aid.clone())]).await.json().await.unwrap();
        assert_eq!(st, MyStanding::Pending);

        // Only platform admins see and decide requests.
        let res = post(&s, &ion, PendingOfficialRequests::PATH, &[]).await;
        assert_eq!(error_of(res).await, Problem::Forbidden);
        let admin = verified_user(&s, "admin@exemplu.ro").await;
        let uid = app::accounts::db::find_user_by_email(&s.db, "admin@exemplu.ro").await.unwrap().unwrap().id;
        app::accounts::db::grant_role(&s.db, uid, app::accounts::rules::RoleKind::Admin, 0, uid).await.unwrap();
        let list: Vec<OfficialRequest> =
            post(&s, &admin, PendingOfficialRequests::PATH, &[]).await.json().await.unwrap();
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].work_email, "ion@primarie.ro");
        assert!(!list[0].work_verified && !list[0].domain_matches, "not proven yet");
        let rid = list[0].id.to_string();
        let decide = vec![("request_id", rid.clone()), ("approve", "yes".into()), ("note", "".into())];
        let res = post(&s, &ion, DecideOfficial::PATH, &decide.clone()).await;
        assert_eq!(error_of(res).await, Problem::Forbidden);
        // No approval before the work address is proven by its link.
        let res = post(&s, &admin, DecideOfficial::PATH, &decide.clone()).await;
        assert_eq!(error_of(res).await, Problem::Refused(K::officials_err_unconfirmed));
        let token = s.token_for("ion@primarie.ro").await;
        let res = post(&s, &client(), ConfirmWorkEmail::PATH, &[("token", token.clone())]).await;
        assert_eq!(res.headers()["location"], format!("/authorities/{}?work_confirmed=1", a.slug));
        let res = post(&s, &client(), ConfirmWorkEmail::PATH, &[("token", token)]).await;
        assert_eq!(error_of(res).await, Problem::Refused(K::err_link_invalid), "single use");
        let res = post(&s, &admin, DecideOfficial::PATH, &decide.clone()).await;
        assert_eq!(res.headers()["location"], "/admin/officials?decided=1");
        // Decided once: a second decision finds nothing pending.
        let res = post(&s, &admin, DecideOfficial::PATH, &decide).await;
        assert_eq!(error_of(res).await, Problem::Refused(K::officials_err_unconfirmed));

        let me: Option<app::accounts::SessionUser> =
            post(&s, &ion, app::accounts::GetMe::PATH, &[]).await.json().await.unwrap();
        let roles = me.unwrap().roles;
        assert!(roles.iter().any(|r| r.kind == app::accounts::rules::RoleKind::Official && r.scope_id == a.id));
        let st: MyStanding =
            post(&s, &ion, OfficialStanding::PATH, &[("authority_id", aid.clone())]).await.json().await.unwrap();
        assert_eq!(st, MyStanding::Official);
        let mail: String = sqlx::query_scalar(
            "SELECT subject FROM mail_outbox WHERE to_addr = 'ion@exemplu.ro' AND kind = 'official_decision'",
        )
        .fetch_one(&s.db.pool)
        .await
        .unwrap();
        assert!(!mail.is_empty());
    }
}

#[tokio::test]
async fn notification_settings_decide_which_optional_mail_is_queued() {
    use app::accounts::notify::*;
    for kind in backends() {
        let s = spawn(kind).await;
        let dana = verified_user(&s, "dana@exemplu.ro").await;
        let res = s.call(&client(), SaveNotifications::PATH, &[]).await;
        assert_eq!(
            serde_json::from_str::<app::accounts::AccountsError>(&res.text().await.unwrap()).unwrap().0,
            Problem::Unauthenticated
        );
        let mail = |kind: &'static str| {
            app::ssr::mail::compose(app::i18n::Lang::Ro, "dana@exemplu.ro", kind, K::mail_verify_subject, &[], None)
        };
        // Defaults: optional mail is on.
        assert!(app::ssr::mail::enqueue(&s.db, &mail("event_reminder")).await.unwrap());
        // Everything optional switched off except join requests.
        let res = s.call(&dana, SaveNotifications::PATH, &[("on[]", "org_join_request")]).await;
        assert_eq!(res.headers()["location"], "/account/notifications?saved=1");
        let saved: Option<Settings> = s.call(&dana, MyNotifications::PATH, &[]).await.json().await.unwrap();
        assert_eq!(saved.unwrap(), Settings { paused: false, on: vec!["org_join_request".into()] });
        assert!(!app::ssr::mail::enqueue(&s.db, &mail("event_reminder")).await.unwrap());
        assert!(app::ssr::mail::enqueue(&s.db, &mail("org_join_request")).await.unwrap());
        // Essential mail is never held back, even when everything is paused.
        s.call(&dana, SaveNotifications::PATH, &[("on[]", "org_join_request"), ("pause", "yes")]).await;
        assert!(!app::ssr::mail::enqueue(&s.db, &mail("org_join_request")).await.unwrap());
        assert!(app::ssr::mail::enqueue(&s.db, &mail("verify")).await.unwrap());
        // Someone else's choices do not touch this address.
        let other = verified_user(&s, "ion@exemplu.ro").await;
        s.call(&other, SaveNotifications::PATH, &[("pause", "yes")]).await;
        let for_ion = app::ssr::mail::compose(
            app::i18n::Lang::Ro,
            "ana@exemplu.ro",
            "event_reminder",
            K::mail_verify_subject,
            &[],
            None,
        );
        assert!(app::ssr::mail::enqueue(&s.db, &for_ion).await.unwrap());
    }
}

#[tokio::test]
async fn org_admins_edit_the_profile_and_upload_a_logo_checked_by_content() {
    use app::orgs::profile::*;
    for kind in backends() {
        let s = spawn(kind).await;
        let founder = verified_user(&s, "fondator@exemplu.ro").await;
        let res = s.call(&founder, RegisterOrg::PATH, &org_form("Asociația Rampa", "association", "RO18547290")).await;
        assert!(res.headers().contains_key("location"));
        let me: OrgProfile = s.call(&founder, GetOrg::PATH, &[("slug", "asociatia-rampa")]).await.json().await.unwrap();
        let id = me.card.id.to_string();
        let form = |links: &'static str, year: &'static str| {
            vec![
                ("org_id", id.clone()),
                ("short_description", "Cartografiem rampele din Focșani.".to_string()),
                ("description", "Din 2009 cerem rampe.".to_string()),
                ("website", "https://rampa.ro".to_string()),
                ("social_links", links.to_string()),
                ("areas", "Focșani, Odobești".to_string()),
                ("founding_year", year.to_string()),
                ("contact_email", "contact@rampa.ro".to_string()),
            ]
        };
        // Someone else cannot edit it.
        let other = verified_user(&s, "altcineva@exemplu.ro").await;
        let res = post(&s, &other, UpdateOrgProfile::PATH, &form("", "2009")).await;
        assert_eq!(error_of(res).await, Problem::Forbidden);
        // Bad input comes back per field, values kept.
        let res = post(&s, &founder, UpdateOrgProfile::PATH, &form("javascript:alert(1)", "3000")).await;
        let p = error_of(res).await;
        let fields: Vec<&str> = p.form().unwrap().errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["social_links", "founding_year"]);
        assert_eq!(p.kept().unwrap().value_of("areas").as_deref(), Some("Focșani, Odobești"));
        let res = post(&s, &founder, UpdateOrgProfile::PATH, &form("https://facebook.com/rampa", "2009")).await;
        assert_eq!(res.headers()["location"], "/organisations/asociatia-rampa?saved=1");
        let me: OrgProfile = s.call(&founder, GetOrg::PATH, &[("slug", "asociatia-rampa")]).await.json().await.unwrap();
        assert_eq!(
            (me.founding_year, me.areas.as_str(), me.social_url.as_str()),
            (Some(2009), "Focșani, Odobești", "https://facebook.com/rampa")
        );

        // Logo: a plain multipart form. A file that only claims to be an image is refused.
        let upload = |bytes: Vec<u8>, alt: &'static str| {
            reqwest::multipart::Form::new().text("org_id", id.clone()).text("logo_alt", alt).part(
                "logo",
                reqwest::multipart::Part::bytes(bytes).file_name("logo.png").mime_str("image/png").unwrap(),
            )
        };
        let send = |form: reqwest::multipart::Form| {
            founder.post(format!("{}/organisations/{id}/logo", s.base)).header("origin", &s.base).multipart(form).send()
        };
        let res = send(upload(b"<svg onload=alert(1)></svg>".to_vec(), "Sigla Rampa")).await.unwrap();
        assert_eq!(res.headers()["location"], "/organisations/asociatia-rampa/edit?logo_error=type#logo-h");
        let mut png = Vec::new();
        image::DynamicImage::ImageRgb8(image::RgbImage::new(600, 300))
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        let res = send(upload(png.clone(), "")).await.unwrap();
        assert_eq!(res.headers()["location"], "/organisations/asociatia-rampa/edit?logo_error=alt#logo-h");
        let res = send(upload(png, "Sigla Rampa: o rampă albastră")).await.unwrap();
        assert_eq!(res.headers()["location"], "/organisations/asociatia-rampa?saved=1");
        let me: OrgProfile = s.call(&founder, GetOrg::PATH, &[("slug", "asociatia-rampa")]).await.json().await.unwrap();
        assert_eq!(me.logo_alt, "Sigla Rampa: o rampă albastră");
        let url = me.logo_url.expect("a logo");
        let res = s.get(&client(), &url).await;
        assert_eq!(res.headers()["content-type"], "image/jpeg");
        let bytes = res.bytes().await.unwrap();
        assert_eq!(&bytes[..3], &[0xFF, 0xD8, 0xFF], "re-encoded as JPEG");
    }
}
