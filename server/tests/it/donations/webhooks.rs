//! Webhooks under load: duplicates, replays, forgeries; totals stay exact.
use super::*;

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
                let sig = server::payments::stripe_format::sign(&key, app::ssr::now(), body.as_bytes());
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
            server::payments::stripe_format::sign("whsec_wrong", app::ssr::now(), body.as_bytes()),
            server::payments::stripe_format::sign(&secret, app::ssr::now() - 600, body.as_bytes()),
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
