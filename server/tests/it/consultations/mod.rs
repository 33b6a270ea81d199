//! Public consultations over real HTTP, on SQLite and PostgreSQL: every action by every role
//! (anonymous, resident, unverified, organisation member, moderator, organiser, admin) allowed or
//! refused on the server; XSS inert; the full loop from publishing to the published report.

mod dates;
mod files;
mod follows;
mod lifecycle;
mod report_paging;

mod bench;

use crate::common::*;
use app::accounts::rules::RoleKind;
use app::consultations::*;
use app::error::Problem;
use app::i18n::K;
use leptos::server_fn::ServerFn;
use sqlx::Row;

async fn error_of(res: reqwest::Response) -> Problem {
    let body = res.text().await.unwrap();
    serde_json::from_str::<ConsultationsError>(&body)
        .unwrap_or_else(|e| panic!("not a ConsultationsError ({e}): {body}"))
        .0
}

fn location(res: &reqwest::Response) -> String {
    res.headers().get("location").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default()
}

async fn user(s: &TestServer, email: &str, verify: bool) -> (reqwest::Client, i64) {
    let c = client();
    let res = s
        .call(
            &c,
            app::accounts::Register::PATH,
            &[("display_name", "Dana Test"), ("email", email), ("password", "parola-buna-7"), ("website", "")],
        )
        .await;
    assert!(res.headers().contains_key("location"));
    if verify {
        let token = s.token_for(email).await;
        s.call(&c, app::accounts::VerifyEmail::PATH, &[("token", &token)]).await;
    }
    let res =
        s.call(&c, app::accounts::Login::PATH, &[("email", email), ("password", "parola-buna-7"), ("next", "")]).await;
    assert!(res.headers().contains_key("set-cookie"), "signed in");
    let id = app::accounts::db::find_user_by_email(&s.db, email).await.unwrap().unwrap().id;
    (c, id)
}

async fn grant(s: &TestServer, uid: i64, role: RoleKind, scope: i64) {
    app::accounts::db::grant_role(&s.db, uid, role, scope, uid).await.unwrap();
}

async fn id_of(s: &TestServer, table: &str, slug: &str) -> i64 {
    sqlx::query(&format!("SELECT id FROM {table} WHERE slug = $1"))
        .bind(slug)
        .fetch_one(&s.db.pool)
        .await
        .unwrap()
        .get(0)
}

/// A form served ten seconds ago (the minimum fill time has passed).
fn token(s: &TestServer) -> String {
    form_token(s, app::ssr::now() - 10)
}

/// The form timing token the server issues, for a form served at `at`.
fn form_token(s: &TestServer, at: i64) -> String {
    s.settings.keys.sign(app::ssr::signing::Purpose::FormTiming, &at.to_string())
}

const DRAFT: &str = "HOTĂRÂRE privind iluminatul public\n\nArt. 1. - Obiect\n(1) Se modernizează iluminatul public pe strada Cuza Vodă.\n(2) Lucrările încep în anul 2027.\n\nArt. 2\nFinanțarea se asigură din bugetul local.\n";

fn create_form<'a>(owner: &'a str, opens: &'a str, closes: &'a str, adoption: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("owner", owner),
        ("title", "Iluminatul public pe strada Cuza Vodă"),
        ("summary", "Becuri LED și stâlpi noi."),
        ("topics[]", "urbanism"),
        ("locality", "Focșani"),
        ("county", "Vrancea"),
        ("draft_text", DRAFT),
        ("explanatory_note", "Nota de fundamentare."),
        ("opens_on", opens),
        ("closes_on", closes),
        ("adoption_on", adoption),
        ("urgency_reason", ""),
        ("officer_contact", "transparenta@focsani.invalid"),
        ("initiator", "mayor"),
    ]
}

fn ymd(utc: i64) -> String {
    let (y, m, d, _, _) = app::fmt::bucharest_parts(utc);
    format!("{y:04}-{m:02}-{d:02}")
}

async fn comment(
    s: &TestServer,
    c: &reqwest::Client,
    slug: &str,
    scope: &str,
    extra: &[(&str, &str)],
) -> reqwest::Response {
    let tok = token(s);
    let mut form = vec![
        ("slug", slug),
        ("scope", scope),
        ("stance", "against"),
        ("body", "Lucrările ar trebui să înceapă mai devreme."),
        ("form_token", tok.as_str()),
        ("form_key", "new"),
        ("website", ""),
    ];
    for (k, v) in extra {
        if let Some(f) = form.iter_mut().find(|f| f.0 == *k) {
            f.1 = v;
        } else {
            form.push((k, v));
        }
    }
    s.call(c, PostComment::PATH, &form).await
}

async fn thread(s: &TestServer, c: &reqwest::Client, slug: &str, scope: &str) -> ThreadPage {
    let res = s.call(c, GetThread::PATH, &[("slug", slug), ("scope", scope), ("sort", "newest"), ("page", "1")]).await;
    let body = res.text().await.unwrap();
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

async fn last_mail(s: &TestServer, to: &str) -> (String, String) {
    let r = sqlx::query("SELECT kind, body_text FROM mail_outbox WHERE to_addr = $1 ORDER BY id DESC LIMIT 1")
        .bind(to)
        .fetch_one(&s.db.pool)
        .await
        .expect("a mail");
    (r.get(0), r.get(1))
}

// ---- files: attachments, the draft as a file, position papers, minutes ----
