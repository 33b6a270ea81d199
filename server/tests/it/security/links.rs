//! Go-live security (#13), over real HTTP on SQLite and PostgreSQL: the secret and the payment
//! provider are chosen on purpose, links carry random ids under per-purpose keys, names people
//! typed stay text in `<title>`, and hidden comments stay hidden in the public report.

use crate::common::*;
use crate::security::common::*;
use app::accounts::rules::RoleKind;
use app::error::Problem;
use app::i18n::{Lang, K};
use app::ssr::signing::Purpose;
use leptos::server_fn::ServerFn;
use sqlx::Row;
use std::time::{Duration, Instant};

/// HMAC-SHA256 keyed with the old public default secret ("participa"), hex.
fn old_default_hmac(msg: &str) -> String {
    use hmac::{Hmac, Mac};
    let mut m = Hmac::<sha2::Sha256>::new_from_slice(b"participa").unwrap();
    m.update(msg.as_bytes());
    hex::encode(m.finalize().into_bytes())
}

fn is_hex_id(s: &str) -> bool {
    s.len() == 32 && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

// ---- 1. the secret and the payment provider are chosen on purpose ----

/// Runs the real binary with only `vars` (and PATH) set; (exit code, stderr) within 20 s.
fn run_server(vars: &[(&str, &str)]) -> (Option<i32>, String) {
    let dir = std::env::temp_dir().join(format!("participa-cfg-{}", app::ssr::public_id()));
    std::fs::create_dir_all(&dir).unwrap();
    // A free loopback port, so an old binary that does start cannot collide with anything.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let stderr_path = dir.join("stderr.txt");
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_server"));
    cmd.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATA_DIR", dir.join("data"))
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .current_dir(&dir)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::fs::File::create(&stderr_path).unwrap());
    for (k, v) in vars {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("the server binary runs");
    let started = Instant::now();
    let code = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status.code();
        }
        if started.elapsed() > Duration::from_secs(20) {
            let _ = child.kill();
            let _ = child.wait();
            let stderr = std::fs::read_to_string(&stderr_path).unwrap_or_default();
            panic!("{vars:?}: the server was still running after 20 s (killed); stderr: {stderr}");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    (code, std::fs::read_to_string(&stderr_path).unwrap_or_default())
}

// Old code: no SECRET_KEY meant the public default "participa", no PAYMENTS meant the test provider: all 3 started.
#[test]
fn server_refuses_to_start_without_a_strong_secret() {
    let strong = "5f1c0a9e3b7d2c4e8a6f0b1d3c5e7a9b2d4f6a8c0e1b3d5f7a9c2e4b6d8f0a1c";
    let https = ("PUBLIC_URL", "https://participa.example");
    let cases: [(&[(&str, &str)], &str); 3] = [
        (&[https], "SECRET_KEY"),
        (&[https, ("SECRET_KEY", "participa")], "SECRET_KEY"),
        (&[https, ("SECRET_KEY", strong), ("PAYMENTS", "test")], "PAYMENTS"),
    ];
    for (vars, named) in cases {
        let (code, stderr) = run_server(vars);
        assert_eq!(code, Some(2), "{vars:?}: refused to start; stderr: {stderr}");
        assert!(stderr.contains(named), "{vars:?}: stderr names {named}: {stderr}");
    }
}

// Old code: with no provider key the test provider was the silent default: its checkout page "paid" any gift.
#[tokio::test]
async fn without_a_payment_provider_nothing_can_be_paid() {
    use app::donations::{db as ddb, Donate, DonationsError};
    const CAMPAIGN: &str = "rampe-la-institutiile-din-focsani";
    for kind in backends() {
        let s =
            spawn_full(kind, |_| {}, |st| server::payments::from_config(server::config::PaymentsMode::Off, st)).await;
        let c = client_t();
        let form = [
            ("campaign", CAMPAIGN),
            ("attempt", "attempt-payments-off-00000001"),
            ("amount", "5000"),
            ("custom_amount", ""),
            ("frequency", "one_time"),
            ("name", "Ana Popescu"),
            ("email", "ana-off@exemplu.ro"),
            ("message", ""),
            ("consent", "yes"),
            ("website", ""),
        ];
        let res = s.call(&c, Donate::PATH, &form).await;
        assert!(location(&res).is_empty(), "{kind:?}: no checkout opened ({})", location(&res));
        let body = res.text().await.unwrap();
        let err: DonationsError = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}"));
        assert_eq!(err.0, Problem::Refused(K::donations_err_payments_off), "{kind:?}");

        // A pending gift of the test provider (as one made before the switch would be) cannot be
        // paid through its hosted page: the page is not there.
        let campaign_id = id_by_slug(&s, "donation_campaigns", CAMPAIGN).await;
        let public_id = app::ssr::public_id();
        ddb::create_donation(&s.db, &pending_gift(&public_id, campaign_id, 5_000)).await.unwrap();
        let checkout = format!("{}/payments/test/checkout/{public_id}", s.base);
        let res = c.get(&checkout).send().await.unwrap();
        assert_eq!(res.status(), 404, "{kind:?}: no test checkout page");
        let res = c.post(&checkout).header("origin", &s.base).form(&[("outcome", "success")]).send().await.unwrap();
        assert!(res.status().is_client_error(), "{kind:?}: {}", res.status());
        let d = ddb::donation_by_public(&s.db, &public_id).await.unwrap().unwrap();
        assert_eq!(d.status, "pending", "{kind:?}: nothing was paid");

        let page = s.get(&c, &format!("/campaigns/{CAMPAIGN}")).await;
        assert_eq!(page.status(), 200);
        let html = page.text().await.unwrap();
        assert!(html.contains(Lang::Ro.t(K::donations_payments_off)), "{kind:?}: the page says giving is off");
    }
}

fn pending_gift(public_id: &str, campaign_id: i64, amount: i64) -> app::donations::db::NewDonation {
    app::donations::db::NewDonation {
        public_id: public_id.into(),
        campaign_id,
        amount_bani: amount,
        fee_bani: 0,
        currency: "RON".into(),
        monthly: false,
        provider: "test".into(),
        idempotency_key: format!("key-{public_id}"),
        donor_name: "Ana".into(),
        donor_email: "ana-dar@exemplu.ro".into(),
        message: String::new(),
        show_name: false,
        lang: "ro".into(),
        consent_version: "v1".into(),
        newsletter: false,
        ip_hash: String::new(),
        is_demo: false,
    }
}

// ---- 3-4. links carry random ids, signed per purpose ----

// Old code: links were `<row id>.<HMAC keyed "participa">` and GetPreferences returned the whole address.
#[tokio::test]
async fn newsletter_links_carry_random_ids_and_never_reveal_the_address() {
    use app::orgs::newsletter::*;
    use app::orgs::OrgsError;
    for kind in backends() {
        let s = spawn(kind).await;
        let c = client_t();
        let email = "xenia.cititoare@exemplu.ro";
        let res = s
            .call(
                &c,
                Subscribe::PATH,
                &[("email", email), ("topics[]", "map"), ("county", "Vrancea"), ("consent", "yes"), ("website", "")],
            )
            .await;
        assert_eq!(location(&res), "/newsletter?sent=1");
        let token = s.token_for(email).await;
        let res = s.call(&c, ConfirmSubscription::PATH, &[("token", &token)]).await;
        let to = location(&res);
        assert!(to.starts_with("/newsletter/preferences?token="), "{kind:?}: {to}");
        let manage = to.split("token=").nth(1).unwrap().split('&').next().unwrap().to_string();
        let (public, _sig) = manage.split_once('.').unwrap();
        assert!(is_hex_id(public), "{kind:?}: a random 128-bit id, not a counter: {manage}");

        let res = s.call(&c, GetPreferences::PATH, &[("token", &manage)]).await;
        let body = res.text().await.unwrap();
        let prefs: Preferences = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}"));
        assert_eq!(prefs.email, "x***@exemplu.ro", "{kind:?}: masked");
        assert!(!body.contains(email), "{kind:?}: the whole address never leaves the server");

        // The old forgery: the subscriber's row id signed with the old public default secret.
        let row_id: i64 = sqlx::query("SELECT id FROM newsletter_subscribers WHERE email = $1")
            .bind(email)
            .fetch_one(&s.db.pool)
            .await
            .unwrap()
            .get(0);
        let forged = format!("{row_id}.{}", &old_default_hmac(&format!("newsletter:{row_id}"))[..32]);
        // A token this server signed, but for another purpose (a gift link).
        let other_purpose = s.settings.keys.sign(Purpose::Gift, public);
        for bad in [&forged, &other_purpose] {
            let res = s.call(&c, GetPreferences::PATH, &[("token", bad)]).await;
            let body = res.text().await.unwrap();
            assert!(!body.contains("exemplu.ro"), "{kind:?}: {bad}: {body}");
            let err: OrgsError = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}"));
            assert_eq!(err.0, Problem::Refused(K::err_link_invalid), "{kind:?}: {bad}");
            let res = reqwest::Client::new()
                .post(format!("{}/newsletter/one-click?token={bad}", s.base))
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 400, "{kind:?}: one click with {bad}");
        }
        let status: String = sqlx::query("SELECT status FROM newsletter_subscribers WHERE email = $1")
            .bind(email)
            .fetch_one(&s.db.pool)
            .await
            .unwrap()
            .get(0);
        assert_eq!(status, "confirmed", "{kind:?}: no forged link unsubscribed anyone");
    }
}

// Old code: links were `follow.<row id>.<HMAC keyed "participa">`: anyone could unfollow anyone by walking ids.
#[tokio::test]
async fn consultation_unsubscribe_links_carry_random_ids() {
    use app::consultations::{ConsultationsError, ConsultationsUnsubscribe, ToggleFollow};
    const SLUG: &str = "planul-local-de-accesibilitate-focsani";
    for kind in backends() {
        let s = spawn(kind).await;
        let email = "urmaritor@exemplu.ro";
        let (c, uid) = person(&s, email, None).await;
        let cid = id_by_slug(&s, "consultations", SLUG).await;
        let res = s.call(&c, ToggleFollow::PATH, &[("id", &cid.to_string())]).await;
        assert!(res.status().is_success() || res.status().is_redirection(), "{kind:?}: {}", res.status());
        let follow =
            sqlx::query("SELECT id, public_id FROM consultation_follows WHERE consultation_id = $1 AND user_id = $2")
                .bind(cid)
                .bind(uid)
                .fetch_one(&s.db.pool)
                .await
                .unwrap();
        let (follow_id, follow_public): (i64, String) = (follow.get(0), follow.get(1));

        // The consultation closes within the hour: the job mails its followers.
        sqlx::query("UPDATE consultations SET closes_at = $1 WHERE id = $2")
            .bind(app::ssr::now() + 3_600)
            .bind(cid)
            .execute(&s.db.pool)
            .await
            .unwrap();
        app::consultations::service::jobs::run_jobs(&s.db, &s.settings).await.unwrap();
        let one_click: String = sqlx::query(
            "SELECT unsubscribe_url FROM mail_outbox WHERE to_addr = $1 AND kind = 'consultations.closing_soon'",
        )
        .bind(email)
        .fetch_one(&s.db.pool)
        .await
        .unwrap()
        .get(0);
        let token = one_click.split("token=").nth(1).expect("a token").to_string();
        let (what, _sig) = token.rsplit_once('.').unwrap();
        assert_eq!(what, format!("follow:{follow_public}"), "{kind:?}: the follow's random id: {token}");
        assert!(is_hex_id(&follow_public));
        assert!(!token.starts_with(&format!("follow.{follow_id}.")), "{kind:?}: no row id in the link");

        let tampered = {
            let last = follow_public.chars().last().unwrap();
            let swapped = if last == '0' { '1' } else { '0' };
            token.replacen(&follow_public, &format!("{}{swapped}", &follow_public[..31]), 1)
        };
        let old_forgery = format!(
            "follow.{follow_id}.{}",
            &old_default_hmac(&format!("consultations-unsub:follow:{follow_id}"))[..32]
        );
        for bad in [&tampered, &old_forgery] {
            let res = s.call(&client_t(), ConsultationsUnsubscribe::PATH, &[("token", bad)]).await;
            let body = res.text().await.unwrap();
            let err: ConsultationsError = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}"));
            assert_eq!(err.0, Problem::Refused(K::err_link_invalid), "{kind:?}: {bad}");
            let res = reqwest::Client::new()
                .post(format!("{}/consultations/one-click?token={bad}", s.base))
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 400, "{kind:?}: one click with {bad}");
        }
        assert!(app::consultations::db::is_following(&s.db, cid, uid).await.unwrap(), "{kind:?}: still following");

        let res = s.call(&client_t(), ConsultationsUnsubscribe::PATH, &[("token", &token)]).await;
        assert_eq!(location(&res), "/consultations/unsubscribe?done=1", "{kind:?}");
        assert!(!app::consultations::db::is_following(&s.db, cid, uid).await.unwrap(), "{kind:?}: the real link works");
    }
}

// ---- 5. the test provider's webhook secret ----

// Old code: the secret was whsec_test_ + sha256("test-provider:participa"): a forged "paid" event was accepted.
#[tokio::test]
async fn the_test_provider_webhook_secret_is_not_derived_from_a_public_string() {
    use app::donations::db as ddb;
    for kind in backends() {
        let s = spawn(kind).await;
        let campaign_id = id_by_slug(&s, "donation_campaigns", "rampe-la-institutiile-din-focsani").await;
        let raised_before = ddb::raised(&s.db, campaign_id).await.unwrap();
        let public_id = app::ssr::public_id();
        ddb::create_donation(&s.db, &pending_gift(&public_id, campaign_id, 100_000)).await.unwrap();
        let event = |id: &str| {
            serde_json::json!({"id": id, "type": "checkout.session.completed", "data": {"object": {
                "id": format!("cs_{public_id}"), "amount_total": 100_000, "currency": "ron", "payment_status": "paid",
                "metadata": {"donation_id": public_id}, "payment_intent": format!("pi_{public_id}")}}})
            .to_string()
        };
        let post = |secret: String, body: String| {
            let url = format!("{}/webhooks/test", s.base);
            async move {
                let sig = server::payments::stripe_format::sign(&secret, app::ssr::now(), body.as_bytes());
                reqwest::Client::new()
                    .post(url)
                    .header("stripe-signature", sig)
                    .header("content-type", "application/json")
                    .body(body)
                    .send()
                    .await
                    .unwrap()
                    .status()
            }
        };
        let old_secret = format!("whsec_test_{}", &app::ssr::sha256_hex("test-provider:participa")[..32]);
        assert_eq!(post(old_secret, event("evt_forged_1000_lei")).await, 400, "{kind:?}");
        let d = ddb::donation_by_public(&s.db, &public_id).await.unwrap().unwrap();
        assert_eq!(d.status, "pending", "{kind:?}: the forged event paid nothing");
        assert_eq!(ddb::raised(&s.db, campaign_id).await.unwrap(), raised_before);

        let secret = server::payments::test_provider::webhook_secret(&s.settings);
        assert_eq!(post(secret, event("evt_genuine_1000_lei")).await, 200, "{kind:?}");
        let d = ddb::donation_by_public(&s.db, &public_id).await.unwrap().unwrap();
        assert_eq!(d.status, "paid", "{kind:?}: the server's own secret works");
        assert_eq!(ddb::raised(&s.db, campaign_id).await.unwrap(), raised_before + 100_000);
    }
}

// ---- 6. names people typed stay text in <title> ----

const EVIL: &str = r#"Nume</title><meta http-equiv="refresh" content="0;url=https://evil.example/">"#;

/// The page at `path` as `c` sees it: 200, no injected element, the name escaped inside <title>.
async fn assert_title_is_text(s: &TestServer, c: &reqwest::Client, path: &str, what: &str) {
    let res = s.get(c, path).await;
    assert_eq!(res.status(), 200, "{:?} {what}: {path}", s.kind);
    let html = res.text().await.unwrap();
    assert!(!html.contains(r#"<meta http-equiv="refresh""#), "{:?} {what}: markup injected into {path}", s.kind);
    let start = html.find("<title>").unwrap_or_else(|| panic!("{what}: no <title> in {path}")) + "<title>".len();
    let title = &html[start..start + html[start..].find("</title>").expect("a closed title")];
    assert!(title.contains("Nume&lt;/title&gt;"), "{:?} {what}: the name is escaped in the title: {title}", s.kind);
}

// Old code: leptos_meta wrote the title unescaped: the name closed <title> and added a refresh to evil.example.
#[tokio::test]
async fn markup_in_names_and_titles_stays_text_in_the_page_title() {
    for kind in backends() {
        let s = spawn(kind).await;
        let anon = client_t();
        let set = |sql: &'static str, key: String| {
            let pool = s.db.pool.clone();
            async move { sqlx::query(sql).bind(EVIL).bind(key).execute(&pool).await.unwrap().rows_affected() }
        };
        let place = place_id(&s, "Muzeul Vrancei").await;
        sqlx::query("UPDATE map_places SET name = $1 WHERE id = $2")
            .bind(EVIL)
            .bind(place)
            .execute(&s.db.pool)
            .await
            .unwrap();
        assert_title_is_text(&s, &anon, &format!("/map/places/{place}"), "map place").await;

        const ORG: &str = "grupul-dizabil-eu-vrancea";
        assert_eq!(set("UPDATE organisations SET name = $1 WHERE slug = $2", ORG.into()).await, 1);
        assert_title_is_text(&s, &anon, &format!("/organisations/{ORG}"), "organisation").await;
        // Pending: only its admins and the platform admin who reviews it see the page.
        sqlx::query("UPDATE organisations SET status = 'pending' WHERE slug = $1")
            .bind(ORG)
            .execute(&s.db.pool)
            .await
            .unwrap();
        let (admin, _) = person(&s, "admin-titlu@exemplu.ro", Some((RoleKind::Admin, 0))).await;
        assert_title_is_text(&s, &admin, &format!("/organisations/{ORG}"), "pending organisation").await;

        const CAMPAIGN: &str = "rampe-la-institutiile-din-focsani";
        assert_eq!(set("UPDATE donation_campaigns SET title = $1 WHERE slug = $2", CAMPAIGN.into()).await, 1);
        assert_title_is_text(&s, &anon, &format!("/campaigns/{CAMPAIGN}"), "campaign").await;

        let story: String =
            sqlx::query("SELECT slug FROM stories ORDER BY id LIMIT 1").fetch_one(&s.db.pool).await.unwrap().get(0);
        assert_eq!(set("UPDATE stories SET title = $1 WHERE slug = $2", story.clone()).await, 1);
        assert_title_is_text(&s, &anon, &format!("/stories/{story}"), "story").await;

        const EVENT: &str = "atelier-harta-accesibilitatii-focsani";
        assert_eq!(set("UPDATE events SET title = $1 WHERE slug = $2", EVENT.into()).await, 1);
        assert_title_is_text(&s, &anon, &format!("/events/{EVENT}"), "event").await;

        const CONSULTATION: &str = "planul-local-de-accesibilitate-focsani";
        assert_eq!(set("UPDATE consultations SET title = $1 WHERE slug = $2", CONSULTATION.into()).await, 1);
        assert_title_is_text(&s, &anon, &format!("/consultations/{CONSULTATION}"), "consultation").await;
    }
}

// ---- 7. hidden comments stay hidden in the public report ----

// Old code: GetReport returned hidden comments' body and alternative wording to anyone (only CSV/PDF blanked them).
#[tokio::test]
async fn hidden_comments_stay_hidden_in_the_public_report() {
    use app::consultations::GetReport;
    const SLUG: &str = "regulamentul-parcarilor-rezervate-focsani";
    const BODY: &str = "MARCAJ-ASCUNS-CORP-7f3a";
    const ALTERNATIVE: &str = "MARCAJ-ASCUNS-ALTERNATIVA-7f3a";
    for kind in backends() {
        let s = spawn(kind).await;
        let cid = id_by_slug(&s, "consultations", SLUG).await;
        // The demo's comment hidden as an advertisement, with its text and its wording marked.
        let n = sqlx::query(
            "UPDATE consultation_comments SET status = 'hidden', body = $1, alternative = $2
             WHERE consultation_id = $3 AND body LIKE 'Reclam%'",
        )
        .bind(BODY)
        .bind(ALTERNATIVE)
        .bind(cid)
        .execute(&s.db.pool)
        .await
        .unwrap()
        .rows_affected();
        assert_eq!(n, 1, "{kind:?}: the demo's hidden comment");

        let report = |c: reqwest::Client| {
            let s = &s;
            async move {
                let res = s.call(&c, GetReport::PATH, &[("slug", SLUG)]).await;
                assert_eq!(res.status(), 200, "{kind:?}");
                res.text().await.unwrap()
            }
        };
        let anonymous = report(client_t()).await;
        assert!(anonymous.contains("vopsea termoplast"), "{kind:?}: the report lists the visible comments");
        assert!(!anonymous.contains(BODY) && !anonymous.contains(ALTERNATIVE), "{kind:?}: hidden text leaked");
        let (resident, _) = person(&s, "rezident-raport@exemplu.ro", None).await;
        let signed_in = report(resident).await;
        assert!(!signed_in.contains(BODY) && !signed_in.contains(ALTERNATIVE), "{kind:?}: hidden from residents");
        let page = s.get(&client_t(), &format!("/consultations/{SLUG}/report")).await.text().await.unwrap();
        assert!(!page.contains(BODY) && !page.contains(ALTERNATIVE), "{kind:?}: nor in the report page's data");

        // The organiser (an official of the authority that consults) and a platform admin see it.
        let city_hall = id_by_slug(&s, "authorities", "primaria-municipiului-focsani").await;
        let (official, _) = person(&s, "oficial-raport@exemplu.ro", Some((RoleKind::Official, city_hall))).await;
        let organiser = report(official).await;
        assert!(organiser.contains(BODY) && organiser.contains(ALTERNATIVE), "{kind:?}: the organiser sees it");
        let (admin, _) = person(&s, "admin-raport@exemplu.ro", Some((RoleKind::Admin, 0))).await;
        let admin = report(admin).await;
        assert!(admin.contains(BODY) && admin.contains(ALTERNATIVE), "{kind:?}: a platform admin sees it");
    }
}
