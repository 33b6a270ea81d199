//! Donations over real HTTP: the test provider end to end (hosted page → signed webhooks to our own
//! endpoint → ledger, receipts, monthly gift managed from the mailed link), duplicate, concurrent
//! and out-of-order deliveries, a replay/forgery storm, Stripe session creation against a local
//! server that checks Stripe's form, and Netopia IPNs signed with a locally generated RSA key.

mod campaigns;
mod card_testing;
mod checkout;
mod dashboard;
mod housekeeping;
mod monthly;
mod providers;
mod receipts;
mod webhooks;

use crate::common::*;
use app::donations::db as ddb;
use app::donations::*;
use app::ssr::{Db, DbKind};
use leptos::server_fn::ServerFn;
use sqlx::Row;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A live campaign of a demo organisation, created through the feature's own SQL.
async fn live_campaign(db: &Db, slug: &str) -> (i64, String) {
    let (org_id, _) = ddb::org_by_slug(db, "grupul-dizabil-eu-vrancea").await.unwrap().unwrap();
    let input = ddb::CampaignInput {
        title: format!("Campanie {slug}"),
        summary: "O campanie de test cu destule caractere.".into(),
        story_md: "Povestea".into(),
        cover_url: String::new(),
        cover_alt: String::new(),
        goal_bani: Some(1_000_000),
        ends_at: None,
        presets: vec![2_500, 5_000, 10_000],
        min_bani: 1_000,
        max_bani: 1_000_000,
        allow_monthly: true,
        thanks: "Mulțumim!".into(),
    };
    let id = ddb::create_campaign(db, org_id, slug, &input, 0, false).await.unwrap();
    assert!(ddb::set_campaign_status(db, id, "draft", "live").await.unwrap());
    (id, slug.to_string())
}

fn donate_form<'a>(
    campaign: &'a str,
    attempt: &'a str,
    amount: &'a str,
    monthly: bool,
    email: &'a str,
) -> Vec<(&'a str, &'a str)> {
    let mut f = vec![
        ("campaign", campaign),
        ("attempt", attempt),
        ("amount", amount),
        ("custom_amount", ""),
        ("frequency", if monthly { "monthly" } else { "one_time" }),
        ("name", "Ana Popescu"),
        ("email", email),
        ("message", "Succes!"),
        ("consent", "yes"),
        ("website", ""),
    ];
    if amount == "other" {
        f[3] = ("custom_amount", "75,50");
    }
    f
}

/// Posts the donation form; returns the hosted checkout URL it redirects to.
async fn start(s: &TestServer, form: &[(&str, &str)]) -> String {
    let c = client();
    let res = s.call(&c, Donate::PATH, form).await;
    match res.headers().get("location").map(|v| v.to_str().unwrap().to_string()) {
        Some(l) => l,
        None => panic!("no redirect: {}", res.text().await.unwrap()),
    }
}

async fn status_of(db: &Db, public_id: &str) -> String {
    ddb::donation_by_public(db, public_id).await.unwrap().unwrap().status
}

async fn wait_status(db: &Db, public_id: &str, want: &str) {
    for _ in 0..100 {
        if status_of(db, public_id).await == want {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("donation {public_id} never became {want} (is {})", status_of(db, public_id).await);
}

async fn count(db: &Db, sql: &str, arg: &str) -> i64 {
    sqlx::query(sql).bind(arg).fetch_one(&db.pool).await.unwrap().get::<i64, _>(0)
}

/// The count once it reaches `want` (or what it is after 5 s): mails and the newsletter opt-in are
/// queued just after the webhook's transaction, so "paid" can be seen a moment before them.
async fn wait_count(db: &Db, sql: &str, arg: &str, want: i64) -> i64 {
    for _ in 0..100 {
        let n = count(db, sql, arg).await;
        if n == want {
            return n;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    count(db, sql, arg).await
}

/// Chooses an outcome on the test provider's hosted page.
async fn choose(s: &TestServer, checkout: &str, outcome: &str, extra: &[(&str, &str)]) -> String {
    let page = s.client.get(checkout).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("test-mode"), "the hosted page says it is a test");
    let mut form = vec![("outcome", outcome)];
    form.extend_from_slice(extra);
    let res = s.client.post(checkout).header("origin", &s.base).form(&form).send().await.unwrap();
    assert!(res.status().is_redirection(), "{}", res.status());
    res.headers()["location"].to_str().unwrap().to_string()
}

fn id_from(checkout: &str) -> String {
    checkout.rsplit('/').next().unwrap().to_string()
}

/// A Stripe-format event for `donation`, as the provider would send it.
fn completed(event_id: &str, donation: &str, amount: i64) -> String {
    serde_json::json!({"id": event_id, "type": "checkout.session.completed", "data": {"object": {
        "id": format!("cs_{donation}"), "amount_total": amount, "currency": "ron", "payment_status": "paid",
        "metadata": {"donation_id": donation}, "payment_intent": format!("pi_{donation}")}}})
    .to_string()
}

fn refunded(event_id: &str, donation: &str, amount: i64) -> String {
    serde_json::json!({"id": event_id, "type": "charge.refunded", "data": {"object": {
        "id": format!("ch_{donation}"), "amount_refunded": amount, "payment_intent": format!("pi_{donation}"),
        "metadata": {"donation_id": donation}}}})
    .to_string()
}

/// A pending one-time Netopia gift, as its checkout would have stored it (the IPN then pays it).
async fn netopia_donation(db: &Db, campaign_id: i64, public_id: &str, amount: i64, email: &str) {
    let d = ddb::NewDonation {
        public_id: public_id.into(),
        campaign_id,
        amount_bani: amount,
        fee_bani: 0,
        currency: "RON".into(),
        monthly: false,
        provider: "netopia".into(),
        idempotency_key: format!("key-{public_id}"),
        donor_name: "Ana".into(),
        donor_email: email.into(),
        message: String::new(),
        show_name: false,
        lang: "ro".into(),
        consent_version: "v1".into(),
        newsletter: false,
        ip_hash: String::new(),
        is_demo: false,
    };
    ddb::create_donation(db, &d).await.unwrap();
}

async fn pending_donation(db: &Db, campaign_id: i64, n: usize, amount: i64) -> String {
    let public_id = format!("storm{n:06}{}", app::ssr::public_id());
    ddb::create_donation(
        db,
        &ddb::NewDonation {
            public_id: public_id.clone(),
            campaign_id,
            amount_bani: amount,
            fee_bani: 0,
            currency: "RON".into(),
            monthly: false,
            provider: "test".into(),
            idempotency_key: format!("key-{public_id}"),
            donor_name: format!("Donor {n}"),
            donor_email: format!("donor{n}@exemplu.ro"),
            message: String::new(),
            show_name: n.is_multiple_of(2),
            lang: "ro".into(),
            consent_version: "v1".into(),
            newsletter: false,
            ip_hash: String::new(),
            is_demo: false,
        },
    )
    .await
    .unwrap();
    public_id
}

/// (Authorization, Idempotency-Key, form fields) of each request the fake Stripe received.
type Seen = Arc<std::sync::Mutex<Vec<(String, String, Vec<(String, String)>)>>>;

/// A server like `spawn`'s whose payments (provider and card-testing limits) the test chooses;
/// `trust_proxy` lets a test speak from several client IPs through `X-Forwarded-For`.
async fn spawn_paying(
    kind: DbKind,
    trust_proxy: bool,
    payments: impl FnOnce(&app::ssr::Settings) -> app::ssr::payments::Payments,
) -> TestServer {
    spawn_full(kind, |s| s.proxy_hops = usize::from(trust_proxy), payments).await
}

/// A signed-in organisation admin of `org_slug` (account created, verified and given the role directly).
async fn org_admin(s: &TestServer, org_slug: &str, email: &str) -> reqwest::Client {
    let hash = {
        use argon2::password_hash::{rand_core::OsRng, PasswordHasher, SaltString};
        argon2::Argon2::default()
            .hash_password(b"parola-buna-7", &SaltString::generate(&mut OsRng))
            .unwrap()
            .to_string()
    };
    let id = app::accounts::db::create_user(&s.db, email, &hash, "Org Admin", "ro").await.unwrap();
    app::accounts::db::mark_verified(&s.db, id).await.unwrap();
    let (org_id, _) = ddb::org_by_slug(&s.db, org_slug).await.unwrap().unwrap();
    app::accounts::db::grant_role(&s.db, id, app::accounts::rules::RoleKind::OrgAdmin, org_id, id).await.unwrap();
    let c = client();
    let res =
        s.call(&c, app::accounts::Login::PATH, &[("email", email), ("password", "parola-buna-7"), ("next", "")]).await;
    assert!(res.headers().contains_key("set-cookie"));
    c
}

/// A 1×1 PNG, to upload as a cover.
const PNG: &str = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

fn multipart(parts: &[(&str, Option<&str>, Vec<u8>)]) -> (String, Vec<u8>) {
    let boundary = "participa-test-boundary";
    let mut body = vec![];
    for (name, file, bytes) in parts {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        match file {
            Some(f) => body.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
            ),
            None => body.extend_from_slice(format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes()),
        }
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}
