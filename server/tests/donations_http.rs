//! Donations over real HTTP: the test provider end to end (hosted page → signed webhooks to our own
//! endpoint → ledger, receipts, monthly gift managed from the mailed link), duplicate, concurrent
//! and out-of-order deliveries, a replay/forgery storm, Stripe session creation against a local
//! server that checks Stripe's form, and Netopia IPNs signed with a locally generated RSA key.
mod common;

use app::donations::db as ddb;
use app::donations::*;
use app::ssr::{Db, DbKind};
use common::*;
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

#[tokio::test]
async fn one_time_gift_through_the_test_provider() {
    for kind in backends() {
        let s = spawn(kind).await;
        let (cid, slug) = live_campaign(&s.db, "o-data").await;
        // The client never sends an amount to the provider: a preset travels in bani and is checked.
        let c = client();
        let res = s
            .call(&c, Donate::PATH, &donate_form(&slug, "attempt-forged-amount-000001", "4999", false, "a@exemplu.ro"))
            .await;
        let body = res.text().await.unwrap();
        let err: DonationsError = serde_json::from_str(&body).unwrap();
        assert_eq!(err.0.form().unwrap_or_else(|| panic!("{body}")).errors[0].field, "amount");

        let form = donate_form(&slug, "attempt-one-time-0000000001", "other", false, "ana@exemplu.ro");
        let checkout = start(&s, &form).await;
        assert!(checkout.starts_with(&format!("{}/payments/test/checkout/", s.base)), "{checkout}");
        // A double submit of the same page lands on the same checkout, with one donation.
        assert_eq!(start(&s, &form).await, checkout);
        let id = id_from(&checkout);
        assert_eq!(
            count(&s.db, "SELECT COUNT(*) FROM donations WHERE idempotency_key = $1", "attempt-one-time-0000000001")
                .await,
            1
        );
        let d = ddb::donation_by_public(&s.db, &id).await.unwrap().unwrap();
        assert_eq!((d.amount_bani, d.fee_bani, d.total_bani, d.status.as_str()), (7_550, 0, 7_550, "pending"));

        let back = choose(&s, &checkout, "success", &[]).await;
        assert_eq!(back, format!("/donate/return/{id}"));
        wait_status(&s.db, &id, "paid").await;
        assert_eq!(ddb::raised(&s.db, cid).await.unwrap(), 7_550);
        let ledger = ddb::ledger(&s.db, cid, 10).await.unwrap();
        assert_eq!(ledger.len(), 1);
        assert_eq!(ledger[0].name, None, "anonymous unless the donor chose to show the name");
        // The receipt, in the donor's language, with the signed PDF link.
        for _ in 0..50 {
            if count(&s.db, "SELECT COUNT(*) FROM mail_outbox WHERE to_addr = $1", "ana@exemplu.ro").await > 0 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let body: String =
            sqlx::query("SELECT body_text FROM mail_outbox WHERE to_addr = $1 AND kind = 'donations.receipt'")
                .bind("ana@exemplu.ro")
                .fetch_one(&s.db.pool)
                .await
                .unwrap()
                .get(0);
        assert!(body.contains("75,50 lei") && body.contains("/donate/receipt/"), "{body}");
        // The signed link serves the PDF receipt; a forged one does not.
        let link = body[body.find("/donate/receipt/").unwrap()..].split_whitespace().next().unwrap().to_string();
        let pdf = s.get(&s.client, &link).await;
        assert_eq!(pdf.headers()["content-type"], "application/pdf");
        let bytes = pdf.bytes().await.unwrap();
        assert!(app::ssr::pdf::is_pdf(&bytes));
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            text.contains(&app::donations::receipt::reference(&id)) && text.contains("Grupul DizAbil"),
            "reference and organisation on the receipt"
        );
        let forged = format!("{}{}", &link[..link.len() - 1], if link.ends_with('0') { "1" } else { "0" });
        assert_eq!(s.get(&s.client, &forged).await.status(), 404);
        // The return page shows the thanks.
        let page = s.get(&s.client, &back).await.text().await.unwrap();
        assert!(page.contains("status-paid"), "return page");
        // And the campaign page shows the ledger and the accessible progress bar.
        let page = s.get(&s.client, &format!("/campaigns/{slug}")).await.text().await.unwrap();
        assert!(page.contains("<progress") && page.contains("75,50 lei"), "campaign page");
        assert!(page.contains("og:title"), "OpenGraph card");
    }
}

#[tokio::test]
async fn decline_cancel_and_pay_later() {
    for kind in backends() {
        let s = spawn(kind).await;
        let (cid, slug) = live_campaign(&s.db, "refuz").await;
        let checkout =
            start(&s, &donate_form(&slug, "attempt-decline-000000000001", "5000", false, "d@exemplu.ro")).await;
        let id = id_from(&checkout);
        let back = choose(&s, &checkout, "decline", &[]).await;
        assert!(back.contains("cancelled=1"));
        wait_status(&s.db, &id, "failed").await;
        // The retry keeps the form filled.
        let res = s.call(&client(), RetryPrefill::PATH, &[("id", &id)]).await;
        let pre: Option<DonorPrefill> = serde_json::from_str(&res.text().await.unwrap()).unwrap();
        let pre = pre.unwrap();
        assert_eq!((pre.amount.as_str(), pre.name.as_str(), pre.email.as_str()), ("50", "Ana Popescu", "d@exemplu.ro"));
        let page = s.get(&s.client, &format!("/campaigns/{slug}/donate?retry={id}")).await.text().await.unwrap();
        assert!(page.contains("value=\"d@exemplu.ro\""), "donate form prefilled");

        let checkout =
            start(&s, &donate_form(&slug, "attempt-cancel-0000000000001", "5000", false, "c@exemplu.ro")).await;
        let cancel_id = id_from(&checkout);
        choose(&s, &checkout, "cancel", &[]).await;
        wait_status(&s.db, &cancel_id, "cancelled").await;

        let checkout =
            start(&s, &donate_form(&slug, "attempt-later-00000000000001", "10000", false, "l@exemplu.ro")).await;
        let later = id_from(&checkout);
        choose(&s, &checkout, "later", &[]).await;
        wait_status(&s.db, &later, "processing").await;
        wait_status(&s.db, &later, "paid").await;
        assert_eq!(ddb::raised(&s.db, cid).await.unwrap(), 10_000, "only the paid gift counts");
    }
}

#[tokio::test]
async fn monthly_gift_with_duplicates_out_of_order_then_managed_and_cancelled() {
    for kind in backends() {
        let s = spawn(kind).await;
        let (cid, slug) = live_campaign(&s.db, "lunar").await;
        let mut form = donate_form(&slug, "attempt-monthly-000000000001", "5000", true, "m@exemplu.ro");
        form.push(("cover_fee", "1"));
        let checkout = start(&s, &form).await;
        let id = id_from(&checkout);
        choose(&s, &checkout, "success", &[("twice", "1"), ("reversed", "1")]).await;
        wait_status(&s.db, &id, "paid").await;
        tokio::time::sleep(Duration::from_millis(500)).await;
        let d = ddb::donation_by_public(&s.db, &id).await.unwrap().unwrap();
        assert_eq!((d.amount_bani, d.fee_bani), (5_000, 178), "the fee rule: 1,5 % + 1 leu, covered");
        assert_eq!(ddb::raised(&s.db, cid).await.unwrap(), 5_178, "four deliveries, one gift");
        assert_eq!(
            count(&s.db, "SELECT COUNT(*) FROM payment_events WHERE provider = 'test' AND outcome = $1", "paid").await,
            1
        );
        let gift = ddb::gift_by_id(&s.db, d.gift_id.unwrap()).await.unwrap().unwrap();
        assert_eq!(gift.status, "active");
        assert_eq!(gift.provider_ref.as_deref(), Some(format!("sub_test_{id}").as_str()));

        // A renewal arrives (signed like the provider signs it) and adds one ledger entry, once.
        let secret = server::payments::test_provider::webhook_secret(&s.settings);
        let renewal = serde_json::json!({"id": "evt_renewal_1", "type": "invoice.paid", "data": {"object": {
            "id": "in_renewal_1", "subscription": format!("sub_test_{id}"), "billing_reason": "subscription_cycle",
            "amount_paid": 5_178, "currency": "ron"}}})
        .to_string();
        for _ in 0..3 {
            assert!(
                server::payments::test_provider::deliver(
                    &s.client,
                    &format!("{}/webhooks/test", s.base),
                    &secret,
                    &renewal
                )
                .await
            );
        }
        assert_eq!(ddb::raised(&s.db, cid).await.unwrap(), 2 * 5_178);
        // A failed renewal warns the donor.
        let failed = serde_json::json!({"id": "evt_failed_1", "type": "invoice.payment_failed", "data": {"object": {
            "id": "in_renewal_2", "subscription": format!("sub_test_{id}"), "amount_due": 5_178, "currency": "ron"}}})
        .to_string();
        assert!(
            server::payments::test_provider::deliver(&s.client, &format!("{}/webhooks/test", s.base), &secret, &failed)
                .await
        );
        assert_eq!(
            count(
                &s.db,
                "SELECT COUNT(*) FROM mail_outbox WHERE kind = 'donations.renewal_failed' AND to_addr = $1",
                "m@exemplu.ro"
            )
            .await,
            1,
            "the donor is told"
        );

        // The receipt carries the manage link: change the amount, pause, cancel — no account.
        let token = sqlx::query("SELECT body_text FROM mail_outbox WHERE to_addr = 'm@exemplu.ro' AND kind = 'donations.receipt' ORDER BY id LIMIT 1")
            .fetch_one(&s.db.pool)
            .await
            .unwrap()
            .get::<String, _>(0);
        let token = token[token.find("token=").unwrap() + 6..].split_whitespace().next().unwrap().to_string();
        let anon = client();
        let res = s.call(&anon, app::donations::manage::GetGift::PATH, &[("token", &token)]).await;
        let view: app::donations::manage::GiftView = serde_json::from_str(&res.text().await.unwrap()).unwrap();
        assert_eq!(view.status, "past_due");
        let forged = token.replace(&token[token.len() - 4..], "0000");
        let res = s.call(&anon, app::donations::manage::GetGift::PATH, &[("token", &forged)]).await;
        assert!(res.text().await.unwrap().contains("Refused"), "a forged link opens nothing");
        // The link lowers the amount (raising would start a new checkout); each change makes a new
        // link, mails it to the donor, and the one used stops working.
        let res =
            s.call(&anon, app::donations::manage::ChangeGiftAmount::PATH, &[("token", &token), ("amount", "30")]).await;
        let next = |res: &reqwest::Response| {
            let l = res.headers()["location"].to_str().unwrap().to_string();
            l[l.find("token=").unwrap() + 6..].split('&').next().unwrap().to_string()
        };
        let token2 = next(&res);
        assert_ne!(token2, token);
        assert_eq!(ddb::gift_by_id(&s.db, gift.id).await.unwrap().unwrap().amount_bani, 3_000);
        let res = s.call(&anon, app::donations::manage::GetGift::PATH, &[("token", &token)]).await;
        assert!(res.text().await.unwrap().contains("Refused"), "the old link stopped working");
        let res =
            s.call(&anon, app::donations::manage::GiftAction::PATH, &[("token", &token2), ("action", "pause")]).await;
        let token3 = next(&res);
        let res =
            s.call(&anon, app::donations::manage::GiftAction::PATH, &[("token", &token3), ("action", "cancel")]).await;
        let token = next(&res);
        assert_eq!(ddb::gift_by_id(&s.db, gift.id).await.unwrap().unwrap().status, "cancelled");
        // A renewal after the cancel (out of order) is not taken as a renewal of a cancelled gift's status.
        let res =
            s.call(&anon, app::donations::manage::GiftAction::PATH, &[("token", &token), ("action", "resume")]).await;
        assert!(res.text().await.unwrap().contains("Refused"));
    }
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

/// Deliveries of a storm: (body, signed with the right secret), shuffled; and the expected total.
async fn storm(s: &TestServer, campaign_id: i64, donations: usize) -> (Vec<(String, bool)>, i64) {
    use rand::seq::SliceRandom;
    let mut deliveries = vec![];
    let mut expected = 0;
    for n in 0..donations {
        let amount = 1_000 + (n as i64 % 17) * 250;
        let d = pending_donation(&s.db, campaign_id, n, amount).await;
        let pay = completed(&format!("evt_pay_{d}"), &d, amount);
        // Every payment is delivered twice; every fifth is refunded (delivered twice too), and
        // every seventh has a forged twin that claims a different amount.
        deliveries.push((pay.clone(), true));
        deliveries.push((pay, true));
        if n % 5 == 0 {
            let r = refunded(&format!("evt_ref_{d}"), &d, amount);
            deliveries.push((r.clone(), true));
            deliveries.push((r, true));
        } else {
            expected += amount;
        }
        if n % 7 == 0 {
            deliveries.push((completed(&format!("evt_forged_{d}"), &d, amount * 100), false));
        }
    }
    deliveries.shuffle(&mut rand::thread_rng());
    (deliveries, expected)
}

/// Sends every delivery over HTTP with `concurrency` in flight; returns (accepted, refused).
async fn send_all(s: &TestServer, secret: &str, deliveries: Vec<(String, bool)>, concurrency: usize) -> (usize, usize) {
    let url = format!("{}/webhooks/test", s.base);
    let queue = Arc::new(tokio::sync::Mutex::new(deliveries));
    let mut tasks = vec![];
    for _ in 0..concurrency {
        let (queue, url, secret, c) = (queue.clone(), url.clone(), secret.to_string(), reqwest::Client::new());
        tasks.push(tokio::spawn(async move {
            let (mut ok, mut refused) = (0, 0);
            loop {
                let Some((body, genuine)) = queue.lock().await.pop() else { break };
                let key = if genuine { secret.clone() } else { "whsec_attacker".to_string() };
                let sig = app::donations::webhook::sign(&key, app::ssr::now(), body.as_bytes());
                let res = c
                    .post(&url)
                    .header("stripe-signature", sig)
                    .header("content-type", "application/json")
                    .body(body)
                    .send()
                    .await
                    .unwrap();
                if res.status().is_success() {
                    ok += 1;
                } else {
                    assert_eq!(res.status(), 400);
                    refused += 1;
                }
            }
            (ok, refused)
        }));
    }
    let mut total = (0, 0);
    for t in tasks {
        let (a, b) = t.await.unwrap();
        total.0 += a;
        total.1 += b;
    }
    total
}

#[tokio::test]
async fn replay_storm_leaves_every_total_exact() {
    for kind in backends() {
        let s = spawn(kind).await;
        let (cid, _) = live_campaign(&s.db, "furtuna").await;
        let (deliveries, expected) = storm(&s, cid, 400).await;
        let n = deliveries.len();
        assert!(n >= 1_000, "{n} deliveries");
        let forged = deliveries.iter().filter(|d| !d.1).count();
        let secret = server::payments::test_provider::webhook_secret(&s.settings);
        let (ok, refused) = send_all(&s, &secret, deliveries, 16).await;
        assert_eq!((ok + refused, refused), (n, forged));
        assert_eq!(ddb::raised(&s.db, cid).await.unwrap(), expected, "{kind:?}");
        assert_eq!(
            count(&s.db, "SELECT COUNT(*) FROM payment_events WHERE event_id LIKE $1", "evt_forged_%").await,
            0,
            "0 forged events counted"
        );
        let paid = count(&s.db, "SELECT COUNT(*) FROM donations WHERE provider = 'test' AND status = $1", "paid").await;
        let refunded =
            count(&s.db, "SELECT COUNT(*) FROM donations WHERE provider = 'test' AND status = $1", "refunded").await;
        assert_eq!((paid, refunded), (320, 80));
        // Every paid donation has exactly one gift entry; every refunded one is either never credited
        // (refund seen first) or credited and reversed once.
        let q = "SELECT COUNT(*) FROM donation_ledger l JOIN donations d ON d.id = l.donation_id WHERE d.provider = 'test' AND d.status = $1 AND l.entry = 'gift'";
        assert_eq!(count(&s.db, q, "paid").await, 320);
        let credited = count(&s.db, q, "refunded").await;
        let reversed = count(&s.db, "SELECT COUNT(*) FROM donation_ledger WHERE entry = $1", "refund").await;
        assert_eq!(credited, reversed);
        // The ledger is append-only, enforced by the database: no update, no delete, and deleting a
        // donation or campaign that has entries does not take them along.
        let entries = count(&s.db, "SELECT COUNT(*) FROM donation_ledger WHERE entry <> $1", "").await;
        assert!(entries > 0);
        assert!(sqlx::query("UPDATE donation_ledger SET amount_bani = 0").execute(&s.db.pool).await.is_err());
        assert!(sqlx::query("DELETE FROM donation_ledger").execute(&s.db.pool).await.is_err(), "{kind:?}");
        let one: i64 = sqlx::query("SELECT donation_id FROM donation_ledger ORDER BY id LIMIT 1")
            .fetch_one(&s.db.pool)
            .await
            .unwrap()
            .get(0);
        assert!(sqlx::query("DELETE FROM donation_ledger WHERE donation_id = $1")
            .bind(one)
            .execute(&s.db.pool)
            .await
            .is_err());
        assert!(sqlx::query("DELETE FROM donations WHERE id = $1").bind(one).execute(&s.db.pool).await.is_err());
        assert!(sqlx::query("DELETE FROM donation_campaigns WHERE id = $1")
            .bind(cid)
            .execute(&s.db.pool)
            .await
            .is_err());
        assert_eq!(
            count(&s.db, "SELECT COUNT(*) FROM donation_ledger WHERE entry <> $1", "").await,
            entries,
            "every entry still there"
        );
        assert_eq!(ddb::raised(&s.db, cid).await.unwrap(), expected);
    }
}

/// Benchmark (run by hand): `cargo test -p server --release --test donations_http -- --ignored --nocapture bench`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore]
async fn bench_verified_webhooks_per_second() {
    let s = spawn(DbKind::Sqlite).await;
    let (cid, _) = live_campaign(&s.db, "bench").await;
    let (deliveries, expected) = storm(&s, cid, 2_000).await;
    let n = deliveries.len();
    let secret = server::payments::test_provider::webhook_secret(&s.settings);
    let started = Instant::now();
    let (ok, refused) = send_all(&s, &secret, deliveries, 16).await;
    let secs = started.elapsed().as_secs_f64();
    assert_eq!(ddb::raised(&s.db, cid).await.unwrap(), expected);
    println!(
        "{n} deliveries ({ok} accepted, {refused} forged refused) in {secs:.2} s: {:.0} webhooks/s",
        n as f64 / secs
    );
}

#[tokio::test]
async fn concurrent_duplicates_mismatches_and_forgeries() {
    for kind in backends() {
        let s = spawn(kind).await;
        let (cid, _) = live_campaign(&s.db, "concurent").await;
        let d = pending_donation(&s.db, cid, 1, 5_000).await;
        let secret = server::payments::test_provider::webhook_secret(&s.settings);
        let url = format!("{}/webhooks/test", s.base);
        // The same event ten times at once: one ledger entry.
        let body = completed("evt_same", &d, 5_000);
        let mut tasks = vec![];
        for _ in 0..10 {
            let (c, url, secret, body) = (reqwest::Client::new(), url.clone(), secret.clone(), body.clone());
            tasks.push(tokio::spawn(async move {
                server::payments::test_provider::deliver(&c, &url, &secret, &body).await
            }));
        }
        for t in tasks {
            assert!(t.await.unwrap());
        }
        assert_eq!(ddb::raised(&s.db, cid).await.unwrap(), 5_000);
        // A different event id for the same payment changes nothing either.
        assert!(
            server::payments::test_provider::deliver(&s.client, &url, &secret, &completed("evt_other", &d, 5_000))
                .await
        );
        assert_eq!(ddb::raised(&s.db, cid).await.unwrap(), 5_000);
        // An amount that does not match the database is not credited.
        let d2 = pending_donation(&s.db, cid, 2, 5_000).await;
        assert!(
            server::payments::test_provider::deliver(&s.client, &url, &secret, &completed("evt_wrong", &d2, 50)).await
        );
        assert_eq!(status_of(&s.db, &d2).await, "pending");
        assert_eq!(count(&s.db, "SELECT COUNT(*) FROM payment_events WHERE outcome = $1", "mismatch").await, 1);
        // Refund before payment (out of order): the late payment never counts.
        let d3 = pending_donation(&s.db, cid, 3, 7_000).await;
        assert!(
            server::payments::test_provider::deliver(&s.client, &url, &secret, &refunded("evt_r3", &d3, 7_000)).await
        );
        assert!(
            server::payments::test_provider::deliver(&s.client, &url, &secret, &completed("evt_p3", &d3, 7_000)).await
        );
        assert_eq!(status_of(&s.db, &d3).await, "refunded");
        assert_eq!(ddb::raised(&s.db, cid).await.unwrap(), 5_000);
        // A refund of a paid gift reverses it in the ledger.
        assert!(
            server::payments::test_provider::deliver(&s.client, &url, &secret, &refunded("evt_r1", &d, 5_000)).await
        );
        assert_eq!(ddb::raised(&s.db, cid).await.unwrap(), 0);
        let entries = ddb::ledger(&s.db, cid, 10).await.unwrap();
        assert_eq!(entries.iter().map(|e| e.amount_bani).collect::<Vec<_>>(), vec![-5_000, 5_000]);
        // A lost dispute reverses the gift too; a dispute still open or won changes nothing.
        let d4 = pending_donation(&s.db, cid, 4, 3_000).await;
        assert!(
            server::payments::test_provider::deliver(&s.client, &url, &secret, &completed("evt_p4", &d4, 3_000)).await
        );
        assert_eq!(ddb::raised(&s.db, cid).await.unwrap(), 3_000);
        let dispute = |id: &str, status: &str| {
            serde_json::json!({"id": id, "type": "charge.dispute.closed", "data": {"object": {
                "id": "dp_1", "amount": 3_000, "status": status, "payment_intent": format!("pi_{d4}")}}})
            .to_string()
        };
        assert!(server::payments::test_provider::deliver(&s.client, &url, &secret, &dispute("evt_dw", "won")).await);
        assert_eq!(ddb::raised(&s.db, cid).await.unwrap(), 3_000);
        assert!(server::payments::test_provider::deliver(&s.client, &url, &secret, &dispute("evt_dl", "lost")).await);
        assert_eq!(status_of(&s.db, &d4).await, "refunded");
        assert_eq!(ddb::raised(&s.db, cid).await.unwrap(), 0, "the lost dispute reversed the ledger");
        // Forged, stale and unsigned deliveries are refused and leave no trace.
        let body = completed("evt_forged", &d2, 5_000);
        for sig in [
            app::donations::webhook::sign("whsec_wrong", app::ssr::now(), body.as_bytes()),
            app::donations::webhook::sign(&secret, app::ssr::now() - 600, body.as_bytes()),
            String::new(),
        ] {
            let res = s.client.post(&url).header("stripe-signature", sig).body(body.clone()).send().await.unwrap();
            assert_eq!(res.status(), 400);
        }
        assert_eq!(count(&s.db, "SELECT COUNT(*) FROM payment_events WHERE event_id = $1", "evt_forged").await, 0);
        // Another provider's endpoint does not exist while the test provider is active.
        let res = s.client.post(format!("{}/webhooks/stripe", s.base)).body("{}").send().await.unwrap();
        assert_eq!(res.status(), 404);
    }
}

#[tokio::test]
async fn an_async_payment_that_fails_ends_failed_and_changes_no_total() {
    for kind in backends() {
        let s = spawn(kind).await;
        let (cid, _) = live_campaign(&s.db, "plata-amanata").await;
        let secret = server::payments::test_provider::webhook_secret(&s.settings);
        let url = format!("{}/webhooks/test", s.base);
        let send = |body: String| {
            let (c, url, secret) = (s.client.clone(), url.clone(), secret.clone());
            async move { server::payments::test_provider::deliver(&c, &url, &secret, &body).await }
        };
        // One gift already counts.
        let paid = pending_donation(&s.db, cid, 1, 3_000).await;
        assert!(send(completed("evt_paid_1", &paid, 3_000)).await);
        assert_eq!(ddb::raised(&s.db, cid).await.unwrap(), 3_000);
        // A bank debit: checkout finishes unpaid, then the money never arrives.
        let d = pending_donation(&s.db, cid, 2, 5_000).await;
        let unpaid =
            serde_json::json!({"id": "evt_async_done", "type": "checkout.session.completed", "data": {"object": {
            "id": format!("cs_{d}"), "amount_total": 5_000, "currency": "ron", "payment_status": "unpaid",
            "metadata": {"donation_id": d}, "payment_intent": format!("pi_{d}")}}})
            .to_string();
        assert!(send(unpaid).await);
        assert_eq!(status_of(&s.db, &d).await, "processing");
        let failed = serde_json::json!({"id": "evt_async_failed", "type": "checkout.session.async_payment_failed", "data": {"object": {
            "id": format!("cs_{d}"), "amount_total": 5_000, "currency": "ron", "payment_status": "unpaid",
            "metadata": {"donation_id": d}, "payment_intent": format!("pi_{d}")}}})
        .to_string();
        for _ in 0..2 {
            assert!(send(failed.clone()).await, "signed and acknowledged");
        }
        assert_eq!(status_of(&s.db, &d).await, "failed", "{kind:?}");
        assert_eq!(
            count(&s.db, "SELECT COUNT(*) FROM payment_events WHERE event_id = $1", "evt_async_failed").await,
            1
        );
        assert_eq!(ddb::raised(&s.db, cid).await.unwrap(), 3_000, "totals unchanged");
        let ledger = ddb::ledger(&s.db, cid, 10).await.unwrap();
        assert_eq!(ledger.iter().map(|e| e.amount_bani).collect::<Vec<_>>(), vec![3_000]);
    }
}

#[tokio::test]
async fn card_testing_limits_and_honeypot_answer_generically() {
    let s = spawn(DbKind::Sqlite).await;
    let (_, slug) = live_campaign(&s.db, "limite").await;
    let c = client();
    let mut honey = donate_form(&slug, "attempt-honeypot-00000000001", "5000", false, "h@exemplu.ro");
    honey.retain(|(k, _)| *k != "website");
    honey.push(("website", "http://spam"));
    let res = s.call(&c, Donate::PATH, &honey).await;
    let err: DonationsError = serde_json::from_str(&res.text().await.unwrap()).unwrap();
    assert_eq!(err.0.form().unwrap().errors[0].msg, app::i18n::K::donations_err_not_accepted);
    assert_eq!(count(&s.db, "SELECT COUNT(*) FROM donations WHERE donor_email = $1", "h@exemplu.ro").await, 0);
    // Five checkouts per e-mail address per hour; the sixth gets the same generic answer.
    for i in 0..6 {
        let attempt = format!("attempt-limit-{i:016}");
        let res = s.call(&c, Donate::PATH, &donate_form(&slug, &attempt, "5000", false, "t@exemplu.ro")).await;
        if i < 5 {
            assert!(res.headers().contains_key("location"), "checkout {i}");
        } else {
            let err: DonationsError = serde_json::from_str(&res.text().await.unwrap()).unwrap();
            assert_eq!(err.0.form().unwrap().errors[0].msg, app::i18n::K::donations_err_not_accepted);
            assert_eq!(err.0.kept().unwrap().value_of("name").as_deref(), Some("Ana Popescu"), "form kept");
        }
    }
}

/// A server with the test provider and the given card-testing limits, trusting `X-Forwarded-For`.
async fn spawn_limited(kind: DbKind, limits: app::ssr::payments::CheckoutLimits) -> TestServer {
    spawn_paying(kind, true, |settings| app::ssr::payments::Payments {
        provider: Arc::new(server::payments::test_provider::TestProvider::new(settings)),
        limits,
    })
    .await
}

/// Posts the donation form from client address `ip`; `Ok(checkout)` or `Err(the form's first error)`.
async fn donate_from(s: &TestServer, ip: &str, form: &[(&str, &str)]) -> Result<String, (String, app::i18n::K)> {
    let res = client()
        .post(format!("{}{}", s.base, Donate::PATH))
        .header("origin", &s.base)
        .header("x-forwarded-for", ip)
        .form(form)
        .send()
        .await
        .unwrap();
    if let Some(l) = res.headers().get("location") {
        return Ok(l.to_str().unwrap().to_string());
    }
    let body = res.text().await.unwrap();
    let err: DonationsError = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}"));
    let form = err.0.form().unwrap_or_else(|| panic!("a form error: {body}"));
    Err((form.errors[0].field.to_string(), form.errors[0].msg))
}

async fn pending_in(db: &Db, campaign_id: i64) -> i64 {
    sqlx::query("SELECT COUNT(*) FROM donations WHERE campaign_id = $1 AND status = 'pending'")
        .bind(campaign_id)
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .get(0)
}

#[tokio::test]
async fn card_testing_limit_per_ip_answers_generically() {
    use app::ssr::payments::CheckoutLimits;
    for kind in backends() {
        let s = spawn_limited(kind, CheckoutLimits { per_ip: 3, per_email: 100, per_campaign: 100 }).await;
        let (cid, slug) = live_campaign(&s.db, "limita-ip").await;
        let (other_cid, other) = live_campaign(&s.db, "limita-ip-alta").await;
        // Three checkouts from one address, each with its own e-mail; the fourth is refused.
        for i in 0..3 {
            let (attempt, email) = (format!("attempt-ip-{i:016}"), format!("ip{i}@exemplu.ro"));
            assert!(donate_from(&s, "203.0.113.7", &donate_form(&slug, &attempt, "5000", false, &email)).await.is_ok());
        }
        assert_eq!(pending_in(&s.db, cid).await, 3);
        let generic = Err(("payment".to_string(), app::i18n::K::donations_err_not_accepted));
        let form = donate_form(&slug, "attempt-ip-0000000000000003", "5000", false, "ip3@exemplu.ro");
        assert_eq!(donate_from(&s, "203.0.113.7", &form).await, generic, "{kind:?}");
        assert_eq!(pending_in(&s.db, cid).await, 3, "no donation created");
        // The limit is the address's, whatever the campaign.
        let form = donate_from(
            &s,
            "203.0.113.7",
            &donate_form(&other, "attempt-ip-0000000000000004", "5000", false, "ip4@exemplu.ro"),
        )
        .await;
        assert_eq!(form, generic);
        assert_eq!(pending_in(&s.db, other_cid).await, 0);
        // Another address still gives.
        assert!(donate_from(
            &s,
            "203.0.113.8",
            &donate_form(&slug, "attempt-ip-0000000000000005", "5000", false, "ip5@exemplu.ro")
        )
        .await
        .is_ok());
        assert_eq!(pending_in(&s.db, cid).await, 4);
    }
}

#[tokio::test]
async fn card_testing_limit_per_campaign_answers_generically() {
    use app::ssr::payments::CheckoutLimits;
    for kind in backends() {
        let s = spawn_limited(kind, CheckoutLimits { per_ip: 100, per_email: 100, per_campaign: 3 }).await;
        let (cid, slug) = live_campaign(&s.db, "limita-campanie").await;
        let (other_cid, other) = live_campaign(&s.db, "limita-campanie-alta").await;
        // Three checkouts an hour on the campaign, from three addresses and three e-mails.
        for i in 0..3 {
            let (attempt, email, ip) =
                (format!("attempt-cmp-{i:015}"), format!("c{i}@exemplu.ro"), format!("198.51.100.{i}"));
            assert!(donate_from(&s, &ip, &donate_form(&slug, &attempt, "5000", false, &email)).await.is_ok());
        }
        assert_eq!(pending_in(&s.db, cid).await, 3);
        // A fourth, from a fresh address and e-mail, gets the same generic answer and creates nothing.
        let form = donate_form(&slug, "attempt-cmp-000000000000003", "5000", false, "c3@exemplu.ro");
        assert_eq!(
            donate_from(&s, "198.51.100.3", &form).await,
            Err(("payment".to_string(), app::i18n::K::donations_err_not_accepted)),
            "{kind:?}"
        );
        assert_eq!(pending_in(&s.db, cid).await, 3, "no donation created");
        // Another campaign is not held back.
        let form = donate_form(&other, "attempt-cmp-000000000000004", "5000", false, "c4@exemplu.ro");
        assert!(donate_from(&s, "198.51.100.4", &form).await.is_ok());
        assert_eq!(pending_in(&s.db, other_cid).await, 1);
    }
}

/// (Authorization, Idempotency-Key, form fields) of each request the fake Stripe received.
type Seen = Arc<std::sync::Mutex<Vec<(String, String, Vec<(String, String)>)>>>;

/// A local stand-in for api.stripe.com that records what it was sent.
async fn fake_stripe() -> (String, Seen) {
    use axum::routing::post;
    let seen: Seen = Arc::default();
    let rec = seen.clone();
    let app = axum::Router::new().route(
        "/v1/checkout/sessions",
        post(move |headers: axum::http::HeaderMap, axum::extract::Form(form): axum::extract::Form<Vec<(String, String)>>| {
            let rec = rec.clone();
            async move {
                let auth = headers.get("authorization").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
                let key = headers.get("idempotency-key").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
                let ct = headers.get("content-type").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
                assert_eq!(ct, "application/x-www-form-urlencoded");
                rec.lock().unwrap().push((auth, key, form));
                axum::Json(serde_json::json!({"id": "cs_test_a1", "object": "checkout.session", "url": "https://checkout.stripe.com/c/pay/cs_test_a1"}))
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}"), seen)
}

#[tokio::test]
async fn stripe_checkout_sessions_are_created_with_the_documented_form() {
    use app::ssr::payments::{CheckoutRequest, PaymentProvider};
    let (base, seen) = fake_stripe().await;
    let stripe = server::payments::stripe::StripeProvider::new(
        base.clone(),
        base.clone(),
        "sk_test_123".into(),
        "whsec_1".into(),
    );
    for monthly in [false, true] {
        let req = CheckoutRequest {
            donation_id: "don1".into(),
            idempotency_key: format!("idem-{monthly}"),
            title: "Rampe în Focșani".into(),
            amount: 5_178,
            currency: "RON".into(),
            monthly,
            donor_email: "ana@exemplu.ro".into(),
            donor_name: "Ana".into(),
            lang: app::i18n::Lang::Ro,
            success_url: "https://participa.ro/donate/return/don1".into(),
            cancel_url: "https://participa.ro/donate/return/don1?cancelled=1".into(),
            notify_url: String::new(),
        };
        let c = stripe.create_checkout(&req).await.unwrap();
        assert_eq!(c.session_ref, "cs_test_a1");
        assert_eq!(c.redirect_url, "https://checkout.stripe.com/c/pay/cs_test_a1");
        let (auth, key, form) = seen.lock().unwrap().pop().unwrap();
        assert_eq!(auth, "Bearer sk_test_123");
        assert_eq!(key, format!("idem-{monthly}"));
        let get = |k: &str| form.iter().find(|(a, _)| a == k).map(|(_, v)| v.clone());
        assert_eq!(get("mode").as_deref(), Some(if monthly { "subscription" } else { "payment" }));
        assert_eq!(get("line_items[0][price_data][unit_amount]").as_deref(), Some("5178"));
        assert_eq!(get("line_items[0][price_data][currency]").as_deref(), Some("ron"));
        assert_eq!(get("line_items[0][quantity]").as_deref(), Some("1"));
        assert_eq!(get("line_items[0][price_data][product_data][name]").as_deref(), Some("Rampe în Focșani"));
        assert_eq!(get("metadata[donation_id]").as_deref(), Some("don1"));
        assert_eq!(get("client_reference_id").as_deref(), Some("don1"));
        assert_eq!(get("customer_email").as_deref(), Some("ana@exemplu.ro"));
        assert_eq!(get("success_url").as_deref(), Some("https://participa.ro/donate/return/don1"));
        assert_eq!(get("line_items[0][price_data][recurring][interval]").is_some(), monthly);
        assert_eq!(get("subscription_data[metadata][donation_id]").is_some(), monthly);
        assert_eq!(get("payment_intent_data[metadata][donation_id]").is_some(), !monthly);
    }
}

/// A server like `spawn`'s whose payments (provider and card-testing limits) the test chooses;
/// `trust_proxy` lets a test speak from several client IPs through `X-Forwarded-For`.
async fn spawn_paying(
    kind: DbKind,
    trust_proxy: bool,
    payments: impl FnOnce(&app::ssr::Settings) -> app::ssr::payments::Payments,
) -> TestServer {
    spawn_full(kind, |s| s.proxy_hops = usize::from(trust_proxy), payments).await
}

fn netopia_payments(public_pem: &str) -> app::ssr::payments::Payments {
    let provider = server::payments::netopia::NetopiaProvider::new(
        "http://127.0.0.1:9".into(),
        "http://127.0.0.1:9".into(),
        "api-key".into(),
        "POS-SIG-1".into(),
        public_pem.as_bytes().to_vec(),
    );
    app::ssr::payments::Payments { provider: Arc::new(provider), limits: Default::default() }
}

/// A Participa server whose provider is Netopia, verifying IPNs with `public_pem`.
async fn spawn_netopia(public_pem: &str) -> TestServer {
    spawn_paying(DbKind::Sqlite, false, |_| netopia_payments(public_pem)).await
}

#[tokio::test]
async fn netopia_ipn_is_pinned_to_rs512_and_bound_to_the_body() {
    use base64::Engine;
    use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
    use rsa::pkcs1::{EncodeRsaPrivateKey, EncodeRsaPublicKey};
    use sha2::{Digest, Sha512};
    let private = rsa::RsaPrivateKey::new(&mut rand::thread_rng(), 2048).unwrap();
    let private_pem = private.to_pkcs1_pem(rsa::pkcs8::LineEnding::LF).unwrap().to_string();
    let public_pem = private.to_public_key().to_pkcs1_pem(rsa::pkcs8::LineEnding::LF).unwrap();
    let s = spawn_netopia(&public_pem).await;
    let (cid, _) = live_campaign(&s.db, "netopia").await;
    let public_id = "netopia000001".to_string();
    netopia_donation(&s.db, cid, &public_id, 5_178, "n@exemplu.ro").await;
    let body = format!(
        r#"{{"order":{{"orderID":"{public_id}"}},"payment":{{"amount":51.78,"currency":"RON","ntpID":"ntp-1","status":3}}}}"#
    );
    let sub = |b: &str| base64::engine::general_purpose::STANDARD.encode(Sha512::digest(b.as_bytes()));
    let claims = |aud: &str, sub: String| serde_json::json!({"iss": "NETOPIA Payments", "aud": aud, "sub": sub, "iat": app::ssr::now(), "exp": app::ssr::now() + 300});
    let rs512 = |c: &serde_json::Value| {
        encode(&Header::new(Algorithm::RS512), c, &EncodingKey::from_rsa_pem(private_pem.as_bytes()).unwrap()).unwrap()
    };
    let post = |token: String, body: String| {
        let (c, url) = (s.client.clone(), format!("{}/webhooks/netopia", s.base));
        async move { c.post(url).header("Verification-token", token).body(body).send().await.unwrap().status().as_u16() }
    };
    // HS512 signed with the public key as the secret (algorithm confusion) is refused.
    let hs = encode(
        &Header::new(Algorithm::HS512),
        &claims("POS-SIG-1", sub(&body)),
        &EncodingKey::from_secret(public_pem.as_bytes()),
    )
    .unwrap();
    assert_eq!(post(hs, body.clone()).await, 400);
    // An unsigned token ("alg": "none") is refused.
    let b64 = |v: &serde_json::Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string());
    let none = format!(
        "{}.{}.",
        b64(&serde_json::json!({"alg": "none", "typ": "JWT"})),
        b64(&claims("POS-SIG-1", sub(&body)))
    );
    assert_eq!(post(none, body.clone()).await, 400);
    // Another POS, another issuer, a swapped body, a key that is not Netopia's: refused.
    assert_eq!(post(rs512(&claims("OTHER-POS", sub(&body))), body.clone()).await, 400);
    let mut other_issuer = claims("POS-SIG-1", sub(&body));
    other_issuer["iss"] = "Not Netopia".into();
    assert_eq!(post(rs512(&other_issuer), body.clone()).await, 400);
    let mut no_sub = claims("POS-SIG-1", sub(&body));
    no_sub.as_object_mut().unwrap().remove("sub");
    assert_eq!(post(rs512(&no_sub), body.clone()).await, 400);
    let tampered = body.replace("51.78", "5178.00");
    assert_eq!(post(rs512(&claims("POS-SIG-1", sub(&body))), tampered).await, 400);
    let other = rsa::RsaPrivateKey::new(&mut rand::thread_rng(), 2048).unwrap();
    let other_pem = other.to_pkcs1_pem(rsa::pkcs8::LineEnding::LF).unwrap().to_string();
    let wrong_key = encode(
        &Header::new(Algorithm::RS512),
        &claims("POS-SIG-1", sub(&body)),
        &EncodingKey::from_rsa_pem(other_pem.as_bytes()).unwrap(),
    )
    .unwrap();
    assert_eq!(post(wrong_key, body.clone()).await, 400);
    assert_eq!(status_of(&s.db, &public_id).await, "pending");
    // The genuine IPN pays the donation, once.
    for _ in 0..2 {
        assert_eq!(post(rs512(&claims("POS-SIG-1", sub(&body))), body.clone()).await, 200);
    }
    assert_eq!(status_of(&s.db, &public_id).await, "paid");
    assert_eq!(ddb::raised(&s.db, cid).await.unwrap(), 5_178);

    // Every status Netopia's API v2 sends, each as its own signed IPN.
    let ipn = |order: &str, status: i64, lei: &str| {
        format!(
            r#"{{"order":{{"orderID":"{order}"}},"payment":{{"amount":{lei},"currency":"RON","ntpID":"ntp-{order}","status":{status}}}}}"#
        )
    };
    let send = |order: String, status: i64, lei: &'static str| {
        let b = ipn(&order, status, lei);
        let token = rs512(&claims("POS-SIG-1", sub(&b)));
        post(token, b)
    };
    let mut ids = vec![];
    for n in 2..=6 {
        let id = format!("netopia00000{n}");
        netopia_donation(&s.db, cid, &id, 2_500, &format!("n{n}@exemplu.ro")).await;
        ids.push(id);
    }
    let [confirmed, cancelled, declined, secure3d, errored] = [0, 1, 2, 3, 4].map(|i| ids[i].clone());
    // 15 (3-D Secure under way) changes nothing yet; 5 confirmed pays; a later 3 (paid) is late.
    assert_eq!(send(secure3d.clone(), 15, "25").await, 200);
    assert_eq!(status_of(&s.db, &secure3d).await, "pending");
    assert_eq!(send(confirmed.clone(), 5, "25.00").await, 200);
    assert_eq!(send(confirmed.clone(), 3, "25.00").await, 200);
    assert_eq!(status_of(&s.db, &confirmed).await, "paid");
    // 4 canceled, 12 declined, 11 error.
    assert_eq!(send(cancelled.clone(), 4, "25").await, 200);
    assert_eq!(status_of(&s.db, &cancelled).await, "cancelled");
    assert_eq!(send(declined.clone(), 12, "25").await, 200);
    assert_eq!(status_of(&s.db, &declined).await, "failed");
    assert_eq!(send(errored.clone(), 11, "25").await, 200);
    assert_eq!(status_of(&s.db, &errored).await, "failed");
    assert_eq!(ddb::raised(&s.db, cid).await.unwrap(), 5_178 + 2_500);
    // 8 credit (refunded) and 10 chargeback accepted reverse the ledger.
    assert_eq!(send(public_id.clone(), 8, "51.78").await, 200);
    assert_eq!(status_of(&s.db, &public_id).await, "refunded");
    assert_eq!(ddb::raised(&s.db, cid).await.unwrap(), 2_500);
    assert_eq!(send(confirmed.clone(), 10, "25").await, 200);
    assert_eq!(status_of(&s.db, &confirmed).await, "refunded");
    assert_eq!(ddb::raised(&s.db, cid).await.unwrap(), 0);
    let entries = ddb::ledger(&s.db, cid, 10).await.unwrap();
    assert_eq!(entries.iter().map(|e| e.amount_bani).sum::<i64>(), 0);
    assert_eq!(entries.len(), 4, "two gifts, two reversals");
    // A paid IPN for an amount that is not the donation's is not credited.
    assert_eq!(send(secure3d.clone(), 3, "2500").await, 200);
    assert_eq!(status_of(&s.db, &secure3d).await, "pending");
    // An expired token is refused, even when everything else is right.
    let b = ipn(&secure3d, 3, "25");
    let old = serde_json::json!({"iss": "NETOPIA Payments", "aud": "POS-SIG-1", "sub": sub(&b), "iat": app::ssr::now() - 7_200, "exp": app::ssr::now() - 3_600});
    assert_eq!(post(rs512(&old), b).await, 400);
    assert_eq!(status_of(&s.db, &secure3d).await, "pending");
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

#[tokio::test]
async fn an_organisation_admin_runs_a_campaign_and_its_dashboard() {
    use base64::Engine;
    for kind in backends() {
        let s = spawn(kind).await;
        let (org_id, _) = ddb::org_by_slug(&s.db, "caravana-cu-medici").await.unwrap().unwrap();
        let org_id = org_id.to_string();
        let campaign_form = |slug: &'static str, title: &'static str| {
            vec![
                ("org_id", org_id.clone()),
                ("slug", slug.to_string()),
                ("title", title.to_string()),
                ("summary", "Consultații gratuite în satele din Iași.".to_string()),
                ("story", "**Povestea** <script>alert(1)</script>".to_string()),
                ("cover_url", String::new()),
                ("cover_alt", String::new()),
                ("goal", "10.000".to_string()),
                ("ends_on", "2031-06-30".to_string()),
                ("presets", "20 50 100".to_string()),
                ("min", "10".to_string()),
                ("max", "5000".to_string()),
                ("allow_monthly", "1".to_string()),
                ("thanks", "Mulțumim!".to_string()),
            ]
        };
        let as_refs = |f: &Vec<(&'static str, String)>| f.iter().map(|(k, v)| (*k, v.clone())).collect::<Vec<_>>();
        // Someone who does not manage the organisation cannot create its campaign.
        let stranger = client();
        let form = as_refs(&campaign_form("", "Caravana de vară"));
        let form_refs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let res = s.call(&stranger, SaveCampaign::PATH, &form_refs).await;
        assert_eq!(
            serde_json::from_str::<DonationsError>(&res.text().await.unwrap()).unwrap().0,
            app::error::Problem::Unauthenticated
        );

        let admin = org_admin(&s, "caravana-cu-medici", "admin@caravana.ro").await;
        let res = s.call(&admin, SaveCampaign::PATH, &form_refs).await;
        assert_eq!(res.headers()["location"], "/campaigns/caravana-de-vara/edit?saved=1");
        let c = ddb::campaign(&s.db, "caravana-de-vara").await.unwrap().unwrap();
        assert_eq!(
            (c.card.goal_bani, c.presets.clone(), c.card.status.as_str()),
            (Some(1_000_000), vec![2_000, 5_000, 10_000], "draft")
        );
        // A draft is invisible to the public.
        let public = s.get(&client(), "/campaigns/caravana-de-vara").await.text().await.unwrap();
        assert!(!public.contains("Caravana de vară</h1>"), "a draft is not public");
        // Publish, post an update, upload a cover.
        let id = c.card.id.to_string();
        let res = s.call(&admin, SetCampaignStatus::PATH, &[("campaign_id", &id), ("status", "live")]).await;
        assert!(res.headers().contains_key("location"));
        let res = s
            .call(&admin, PostCampaignUpdate::PATH, &[("campaign_id", &id), ("body", "Am ajuns în primul sat!")])
            .await;
        assert!(res.headers().contains_key("location"));
        let png = base64::engine::general_purpose::STANDARD.decode(PNG).unwrap();
        let (ct, body) =
            multipart(&[("cover", Some("c.png"), png), ("cover_alt", None, b"Medici la o consultatie".to_vec())]);
        let res = admin
            .post(format!("{}/campaigns/caravana-de-vara/cover", s.base))
            .header("origin", &s.base)
            .header("content-type", ct.clone())
            .body(body.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(res.headers()["location"], "/campaigns/caravana-de-vara/edit?saved=1");
        let res = stranger
            .post(format!("{}/campaigns/caravana-de-vara/cover", s.base))
            .header("origin", &s.base)
            .header("content-type", ct)
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 403);
        let (ct, body) =
            multipart(&[("cover", Some("x.png"), b"not an image".to_vec()), ("cover_alt", None, b"x".to_vec())]);
        let res = admin
            .post(format!("{}/campaigns/caravana-de-vara/cover", s.base))
            .header("origin", &s.base)
            .header("content-type", ct)
            .body(body)
            .send()
            .await
            .unwrap();
        assert!(res.headers()["location"].to_str().unwrap().contains("cover_error=image"));
        let page = s.get(&client(), "/campaigns/caravana-de-vara").await.text().await.unwrap();
        assert!(
            page.contains("Am ajuns în primul sat!") && page.contains("alt=\"Medici la o consultatie\""),
            "update and cover"
        );
        assert!(page.contains("<strong>Povestea</strong>") && !page.contains("<script>alert"), "story sanitised");
        let cover = ddb::campaign(&s.db, "caravana-de-vara").await.unwrap().unwrap().card.cover_url;
        assert_eq!(s.get(&client(), &cover).await.status(), 200);

        // A gift, then the dashboard: listed, in the totals, in the CSV, refunded through the provider.
        let checkout = start(
            &s,
            &donate_form("caravana-de-vara", "attempt-dashboard-0000000001", "5000", false, "dash@exemplu.ro"),
        )
        .await;
        let did = id_from(&checkout);
        choose(&s, &checkout, "success", &[]).await;
        wait_status(&s.db, &did, "paid").await;
        let filter = [
            ("org", "caravana-cu-medici"),
            ("filter[campaign]", ""),
            ("filter[status]", "paid"),
            ("filter[kind]", ""),
            ("filter[q]", "dash@"),
        ];
        let res = s.call(&stranger, app::donations::org::OrgDashboard::PATH, &filter).await;
        assert!(res.text().await.unwrap().contains("Unauthenticated"));
        let res = s.call(&admin, app::donations::org::OrgDashboard::PATH, &filter).await;
        let dash: Dashboard = serde_json::from_str(&res.text().await.unwrap()).unwrap();
        assert_eq!(dash.rows.len(), 1);
        assert!(dash.rows[0].refundable && !dash.rows[0].refund_elsewhere);
        assert!(dash.totals.iter().any(|t| t.campaign == "Caravana de vară" && t.total_bani == 5_000));
        let csv = admin.get(format!("{}/organisations/caravana-cu-medici/donations.csv", s.base)).send().await.unwrap();
        assert_eq!(csv.status(), 200);
        assert!(csv.text().await.unwrap().contains("dash@exemplu.ro"));
        assert_eq!(
            stranger
                .get(format!("{}/organisations/caravana-cu-medici/donations.csv", s.base))
                .send()
                .await
                .unwrap()
                .status(),
            403
        );
        let row = dash.rows[0].id.to_string();
        let res =
            s.call(&admin, app::donations::org::HideDonation::PATH, &[("donation_id", &row), ("hidden", "true")]).await;
        assert!(res.headers().contains_key("location"));
        let res = s.call(&admin, app::donations::org::RefundDonation::PATH, &[("donation_id", &row)]).await;
        assert!(res.headers().contains_key("location"));
        wait_status(&s.db, &did, "refunded").await;
        assert_eq!(ddb::raised(&s.db, c.card.id).await.unwrap(), 0, "the refund reversed the ledger");
    }
}

#[tokio::test]
async fn netopia_payments_are_refunded_in_netopia_not_from_the_dashboard() {
    for kind in backends() {
        // Refunds are not called on Netopia, so its key is never used here.
        let s = spawn_paying(kind, false, |_| netopia_payments("")).await;
        let (cid, _) = live_campaign(&s.db, "netopia-rambursare").await;
        let admin = org_admin(&s, "grupul-dizabil-eu-vrancea", "admin@dizabil.ro").await;
        let public_id = "netopiarefund1".to_string();
        netopia_donation(&s.db, cid, &public_id, 2_500, "nr@exemplu.ro").await;
        // Paid through the IPN path (its signature is tested in the RS512 test above).
        let ipn = format!(
            r#"{{"order":{{"orderID":"{public_id}"}},"payment":{{"amount":25,"currency":"RON","ntpID":"ntp-r1","status":3}}}}"#
        );
        let ev = server::payments::netopia::parse_ipn(ipn.as_bytes()).unwrap();
        ddb::apply_event(&s.db, "netopia", &ev).await.unwrap();
        assert_eq!(status_of(&s.db, &public_id).await, "paid");

        // The dashboard offers no refund button, and says where the refund is made.
        let filter = [
            ("org", "grupul-dizabil-eu-vrancea"),
            ("filter[campaign]", "netopia-rambursare"),
            ("filter[status]", ""),
            ("filter[kind]", ""),
            ("filter[q]", ""),
        ];
        let res = s.call(&admin, app::donations::org::OrgDashboard::PATH, &filter).await;
        let dash: Dashboard = serde_json::from_str(&res.text().await.unwrap()).unwrap();
        assert_eq!(dash.rows.len(), 1);
        assert!(!dash.rows[0].refundable, "{kind:?}");
        assert!(dash.rows[0].refund_elsewhere);
        let page = s
            .get(&admin, "/organisations/grupul-dizabil-eu-vrancea/donations?campaign=netopia-rambursare")
            .await
            .text()
            .await
            .unwrap();
        let lang = app::i18n::Lang::Ro;
        assert!(page.contains(lang.t(app::i18n::K::donations_refund_elsewhere)), "the note is on the page");
        assert!(
            !page.contains(app::donations::org::RefundDonation::PATH) && !page.contains("name=\"donation_id\""),
            "no refund button"
        );
        // The action itself refuses with the translated reason; nothing changes.
        let row = dash.rows[0].id.to_string();
        let res = s.call(&admin, app::donations::org::RefundDonation::PATH, &[("donation_id", &row)]).await;
        assert!(!res.headers().contains_key("location"));
        let err: DonationsError = serde_json::from_str(&res.text().await.unwrap()).unwrap();
        assert_eq!(err.0, app::error::Problem::Refused(app::i18n::K::donations_err_refund_elsewhere));
        assert_eq!(status_of(&s.db, &public_id).await, "paid");
        assert_eq!(ddb::raised(&s.db, cid).await.unwrap(), 2_500);
    }
}

/// A minimal SMTP sink on 127.0.0.1 that hands over each message's DATA.
async fn smtp_sink() -> (u16, tokio::sync::mpsc::UnboundedReceiver<String>) {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Ok((sock, _)) = listener.accept().await {
            let tx = tx.clone();
            tokio::spawn(async move {
                let (r, mut w) = sock.into_split();
                let mut lines = BufReader::new(r).lines();
                w.write_all(b"220 sink ESMTP\r\n").await.unwrap();
                let mut data = None::<String>;
                while let Ok(Some(line)) = lines.next_line().await {
                    if let Some(buf) = data.as_mut() {
                        if line == "." {
                            let _ = tx.send(std::mem::take(buf));
                            data = None;
                            w.write_all(b"250 queued\r\n").await.unwrap();
                        } else {
                            buf.push_str(line.strip_prefix('.').unwrap_or(&line));
                            buf.push('\n');
                        }
                        continue;
                    }
                    let reply: &[u8] = match line.get(..4).unwrap_or("").to_ascii_uppercase().as_str() {
                        "EHLO" | "HELO" => b"250 sink\r\n",
                        "DATA" => {
                            data = Some(String::new());
                            b"354 go ahead\r\n"
                        }
                        "QUIT" => {
                            let _ = w.write_all(b"221 bye\r\n").await;
                            break;
                        }
                        _ => b"250 ok\r\n",
                    };
                    w.write_all(reply).await.unwrap();
                }
            });
        }
    });
    (port, rx)
}

/// The decoded bytes of the first `content_type` part of a MIME message (base64 transfer encoding).
fn mime_part(message: &str, content_type: &str) -> Option<(String, Vec<u8>)> {
    use base64::Engine;
    let at = message.find(&format!("Content-Type: {content_type}"))?;
    // The part's headers start after its boundary line.
    let start = message[..at].rfind("\n--").map(|i| i + 1).unwrap_or(0);
    let (headers, body) = message[start..].split_once("\n\n")?;
    assert!(headers.contains("Content-Transfer-Encoding: base64"), "{headers}");
    let b64: String = body.lines().take_while(|l| !l.starts_with("--") && !l.is_empty()).collect();
    Some((headers.to_string(), base64::engine::general_purpose::STANDARD.decode(b64).ok()?))
}

#[tokio::test]
async fn the_receipt_mail_carries_the_pdf_the_org_is_told_and_the_newsletter_box_asks_for_confirmation() {
    for kind in backends() {
        let s = spawn(kind).await;
        let (cid, slug) = live_campaign(&s.db, "chitanta").await;
        sqlx::query("UPDATE organisations SET cui = 'RO40982154' WHERE slug = 'grupul-dizabil-eu-vrancea'")
            .execute(&s.db.pool)
            .await
            .unwrap();
        org_admin(&s, "grupul-dizabil-eu-vrancea", "admin@dizabil.ro").await;
        // A donor who reads English ticks the newsletter box.
        let mut form = donate_form(&slug, "attempt-receipt-pdf-00000001", "other", false, "nl@exemplu.ro");
        form.push(("newsletter", "1"));
        let en = client();
        let res = en
            .post(format!("{}{}", s.base, Donate::PATH))
            .header("origin", &s.base)
            .header("cookie", "lang=en")
            .form(&form)
            .send()
            .await
            .unwrap();
        let checkout = res.headers()["location"].to_str().unwrap().to_string();
        let id = id_from(&checkout);
        // Nothing is subscribed, nor asked, before the gift is paid.
        assert_eq!(
            count(&s.db, "SELECT COUNT(*) FROM newsletter_subscribers WHERE email = $1", "nl@exemplu.ro").await,
            0
        );
        choose(&s, &checkout, "success", &[]).await;
        wait_status(&s.db, &id, "paid").await;
        // A second donor leaves the box unticked.
        let plain =
            start(&s, &donate_form(&slug, "attempt-receipt-pdf-00000002", "5000", false, "fara@exemplu.ro")).await;
        choose(&s, &plain, "success", &[]).await;
        wait_status(&s.db, &id_from(&plain), "paid").await;
        assert_eq!(ddb::raised(&s.db, cid).await.unwrap(), 7_550 + 5_000);

        // The receipt waits in the outbox with its PDF attached.
        let q = "SELECT COUNT(*) FROM mail_attachments a JOIN mail_outbox m ON m.id = a.mail_id
                 WHERE m.to_addr = $1 AND m.kind = 'donations.receipt' AND a.content_type = 'application/pdf'";
        assert_eq!(wait_count(&s.db, q, "nl@exemplu.ro", 1).await, 1);
        assert_eq!(wait_count(&s.db, q, "fara@exemplu.ro", 1).await, 1);
        // The organisation is told of each gift.
        assert_eq!(
            wait_count(
                &s.db,
                "SELECT COUNT(*) FROM mail_outbox WHERE kind = 'donations.org_received' AND to_addr = $1",
                "admin@dizabil.ro",
                2
            )
            .await,
            2
        );
        wait_count(&s.db, "SELECT COUNT(*) FROM newsletter_subscribers WHERE email = $1", "nl@exemplu.ro", 1).await;
        let confirm_mail = "SELECT COUNT(*) FROM mail_outbox WHERE to_addr = $1 AND kind = 'newsletter_confirm'";
        wait_count(&s.db, confirm_mail, "nl@exemplu.ro", 1).await;
        // The ticked box started the double opt-in: pending, with consent evidence, and a confirmation mail.
        let r =
            sqlx::query("SELECT status, topics, consent_version, lang FROM newsletter_subscribers WHERE email = $1")
                .bind("nl@exemplu.ro")
                .fetch_one(&s.db.pool)
                .await
                .unwrap();
        assert_eq!(
            (r.get::<String, _>(0), r.get::<String, _>(1), r.get::<String, _>(2), r.get::<String, _>(3)),
            (
                "pending".into(),
                "campaigns".into(),
                app::donations::rules::NEWSLETTER_CONSENT_VERSION.into(),
                "en".into()
            )
        );
        assert_eq!(
            count(&s.db, "SELECT COUNT(*) FROM newsletter_subscribers WHERE email = $1", "fara@exemplu.ro").await,
            0
        );
        let confirm: String =
            sqlx::query("SELECT body_text FROM mail_outbox WHERE to_addr = $1 AND kind = 'newsletter_confirm'")
                .bind("nl@exemplu.ro")
                .fetch_one(&s.db.pool)
                .await
                .unwrap()
                .get(0);
        let token = confirm[confirm.find("token=").unwrap() + 6..].split_whitespace().next().unwrap().to_string();
        let res = s.call(&client(), app::orgs::newsletter::ConfirmSubscription::PATH, &[("token", &token)]).await;
        assert!(res.headers().contains_key("location"), "confirmed by the link");
        let status: String = sqlx::query("SELECT status FROM newsletter_subscribers WHERE email = $1")
            .bind("nl@exemplu.ro")
            .fetch_one(&s.db.pool)
            .await
            .unwrap()
            .get(0);
        assert_eq!(status, "confirmed");

        // Delivered over real SMTP: multipart/mixed with the readable mail and the PDF.
        let (port, mut rx) = smtp_sink().await;
        let smtp = server::mail::Transport::from_config(
            Some(&format!("smtp://127.0.0.1:{port}")),
            "Participa <no-reply@exemplu.ro>",
        )
        .unwrap();
        while server::mail::deliver_due(&s.db, &smtp).await.unwrap() > 0 {}
        let mut receipt = None;
        while let Ok(m) = rx.try_recv() {
            if m.contains("To: nl@exemplu.ro") && m.contains("application/pdf") {
                receipt = Some(m);
            }
        }
        let receipt = receipt.expect("the receipt reached the SMTP server");
        assert!(receipt.contains("multipart/mixed"), "{receipt}");
        assert!(receipt.contains("multipart/alternative"), "text and HTML kept");
        let (headers, pdf) = mime_part(&receipt, "application/pdf").expect("a PDF part");
        let reference = app::donations::receipt::reference(&id);
        assert!(headers.contains("attachment") && headers.contains(&format!("{reference}.pdf")), "{headers}");
        assert!(app::ssr::pdf::is_pdf(&pdf), "a real PDF");
        let text = String::from_utf8_lossy(&pdf);
        let amount = app::fmt::lei(app::i18n::Lang::En, 7_550);
        for want in ["RO40982154", amount.as_str(), reference.as_str(), "Grupul DizAbil", "Donation receipt"] {
            assert!(text.contains(want), "{want} on the PDF receipt");
        }
        // Delivered, the files leave the outbox.
        assert_eq!(
            count(&s.db, "SELECT COUNT(*) FROM mail_attachments WHERE content_type = $1", "application/pdf").await,
            0
        );
    }
}

#[tokio::test]
async fn demo_data_has_a_live_campaign_with_gifts_for_three_civic_groups() {
    let s = spawn(DbKind::Sqlite).await;
    for (org, slug) in [
        ("grupul-dizabil-eu-vrancea", "rampe-la-institutiile-din-focsani"),
        ("caravana-cu-medici", "caravana-de-primavara-2027"),
        ("loc-de-joaca-pentru-grozavesti", "loc-de-joaca-accesibil-grozavesti"),
    ] {
        let c = ddb::campaign(&s.db, slug).await.unwrap().unwrap();
        let (org_id, _) = ddb::org_by_slug(&s.db, org).await.unwrap().unwrap();
        assert_eq!((c.org_id, c.card.status.as_str()), (org_id, "live"));
        assert_eq!(ddb::ledger(&s.db, c.card.id, 100).await.unwrap().len(), 5, "{slug}");
        assert_eq!(ddb::raised(&s.db, c.card.id).await.unwrap(), 47_500);
    }
    // Loading again adds nothing.
    server::demo::load(&s.db).await.unwrap();
    let c = ddb::campaign(&s.db, "caravana-de-primavara-2027").await.unwrap().unwrap();
    assert_eq!(ddb::raised(&s.db, c.card.id).await.unwrap(), 47_500);
}

#[tokio::test]
async fn the_campaign_list_filters_by_organisation_domain_and_locality() {
    for kind in backends() {
        let s = spawn(kind).await;
        // The three demo organisations with live campaigns, given a known locality and domains.
        for (org, locality, domains) in [
            ("grupul-dizabil-eu-vrancea", "Focșani", &["disability"][..]),
            ("caravana-cu-medici", "Iași", &["health"][..]),
            ("loc-de-joaca-pentru-grozavesti", "București", &["disability", "education"][..]),
        ] {
            let (org_id, _) = ddb::org_by_slug(&s.db, org).await.unwrap().unwrap();
            sqlx::query("UPDATE organisations SET locality = $1 WHERE id = $2")
                .bind(locality)
                .bind(org_id)
                .execute(&s.db.pool)
                .await
                .unwrap();
            sqlx::query("DELETE FROM organisation_domains WHERE org_id = $1")
                .bind(org_id)
                .execute(&s.db.pool)
                .await
                .unwrap();
            for d in domains {
                sqlx::query("INSERT INTO organisation_domains (org_id, domain) VALUES ($1, $2)")
                    .bind(org_id)
                    .bind(*d)
                    .execute(&s.db.pool)
                    .await
                    .unwrap();
            }
        }
        // A second live campaign for one organisation, and a draft that no filter shows.
        live_campaign(&s.db, "a-doua-din-focsani").await;
        let (caravana, _) = ddb::org_by_slug(&s.db, "caravana-cu-medici").await.unwrap().unwrap();
        let draft = ddb::CampaignInput {
            title: "Ciornă nepublicată".into(),
            summary: "O campanie care nu e încă publică.".into(),
            story_md: String::new(),
            cover_url: String::new(),
            cover_alt: String::new(),
            goal_bani: None,
            ends_at: None,
            presets: vec![5_000],
            min_bani: 1_000,
            max_bani: 100_000,
            allow_monthly: false,
            thanks: String::new(),
        };
        ddb::create_campaign(&s.db, caravana, "ciorna-caravana", &draft, 0, false).await.unwrap();

        let list = |org: &'static str, domain: &'static str, locality: &'static str| {
            let s = &s;
            async move {
                let res = s
                    .call(
                        &client(),
                        ListCampaigns::PATH,
                        &[("filter[org]", org), ("filter[domain]", domain), ("filter[locality]", locality)],
                    )
                    .await;
                let body = res.text().await.unwrap();
                let l: CampaignList = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}"));
                let mut slugs: Vec<String> = l.cards.into_iter().map(|c| c.slug).collect();
                slugs.sort();
                slugs
            }
        };
        let (rampe, focsani2, caravana, joaca) = (
            "rampe-la-institutiile-din-focsani",
            "a-doua-din-focsani",
            "caravana-de-primavara-2027",
            "loc-de-joaca-accesibil-grozavesti",
        );
        let sorted = |v: &[&str]| {
            let mut v: Vec<String> = v.iter().map(|x| x.to_string()).collect();
            v.sort();
            v
        };
        let everything = list("", "", "").await;
        for slug in [rampe, focsani2, caravana, joaca] {
            assert!(everything.contains(&slug.to_string()), "{slug} listed unfiltered");
        }
        assert!(!everything.contains(&"ciorna-caravana".to_string()), "a draft is never listed");
        assert_eq!(list("grupul-dizabil-eu-vrancea", "", "").await, sorted(&[rampe, focsani2]), "{kind:?}");
        assert_eq!(list("caravana-cu-medici", "", "").await, sorted(&[caravana]));
        assert_eq!(list("", "health", "").await, sorted(&[caravana]));
        assert_eq!(list("", "disability", "").await, sorted(&[rampe, focsani2, joaca]));
        assert_eq!(list("", "education", "").await, sorted(&[joaca]));
        assert_eq!(list("", "", "Iași").await, sorted(&[caravana]));
        assert_eq!(list("", "", "Focșani").await, sorted(&[rampe, focsani2]));
        // Filters combine; one that matches nothing lists nothing.
        assert_eq!(list("", "disability", "București").await, sorted(&[joaca]));
        assert_eq!(list("caravana-cu-medici", "disability", "").await, Vec::<String>::new());
        assert_eq!(list("", "", "Cluj-Napoca").await, Vec::<String>::new());
        // The page reads the same filters from its address.
        let page = s.get(&client(), "/campaigns?locality=Ia%C8%99i").await.text().await.unwrap();
        assert!(page.contains("Caravana de primăvară") && !page.contains("Rampe la instituțiile"), "filtered page");
    }
}
