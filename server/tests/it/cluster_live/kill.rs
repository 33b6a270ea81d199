//! `kill -9` of one app server in the middle of a storm of comment posts and webhook deliveries
//! through the balancer: no acknowledged write is lost, the balancer moves everyone to the survivor,
//! and sessions (rows in the shared database) carry over.
use super::storm::{summary, Kind, Storm};
use super::*;
use std::sync::Arc;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs server/scripts/cluster.sh: run by server/scripts/test.sh (see cluster_live/mod.rs)"]
async fn a_server_killed_in_a_storm_loses_no_acknowledged_write() {
    let c = Arc::new(Cluster::open().await);
    let storm = Storm::prepare(&c, 400, 600).await;

    // Someone signed in whose requests have been served by server 1.
    let ana = c.person("ana-supravietuitoare").await;
    let res = c.comment(&c.app[0], &ana.sid, "Înainte de oprire: susțin planul.", &ip(900_001)).await.unwrap();
    assert!(succeeded(&res), "{}", res.status());

    // 6 s of traffic through nginx; server 1 is killed 2 s in.
    let killer = {
        let c = c.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_secs(2)).await;
            let t = Instant::now();
            c.script(&["kill-app", "1"]).await;
            t
        })
    };
    let started = Instant::now();
    let shots = storm.run(&c, &c.url, 6.0, (6, 2, 0)).await;
    let killed = killer.await.unwrap().duration_since(started);
    println!("storm through nginx, server 1 killed at {killed:?}: {}", summary(&shots));
    assert!(!c.healthy(&c.app[0]).await, "server 1 is gone");

    // Every write that got a success answer is in the database, whole.
    storm.check_acknowledged(&c, &shots).await;
    let ok = |k: Kind| shots.iter().filter(|s| s.kind == k && s.ok).count();
    assert!(ok(Kind::Comment) >= 50 && ok(Kind::Webhook) >= 20, "a real storm: {}", summary(&shots));

    // The balancer moved traffic to the survivor: a second after the kill, every request succeeds.
    let late: Vec<_> = shots.iter().filter(|s| s.at > killed + Duration::from_secs(1)).collect();
    let failed: Vec<_> = late.iter().filter(|s| !s.ok).collect();
    assert!(late.len() >= 20, "traffic after the kill: {}", late.len());
    assert!(failed.is_empty(), "after the kill: {failed:?}");
    // The few that failed around the kill failed fast (a 502 from nginx), none hung.
    assert!(shots.iter().all(|s| s.took < Duration::from_secs(5)), "no request hung");

    // Ana's session, used on server 1 before the kill, works on the survivor and through nginx.
    for base in [&c.app[1], &c.url] {
        let res = c.comment(base, &ana.sid, &format!("După oprire, prin {base}: tot susțin."), &ip(900_002)).await;
        assert!(succeeded(&res.unwrap()), "Ana's session on {base}");
    }
    let res = http().get(format!("{}/account", c.url)).header("cookie", format!("sid={}", ana.sid)).send().await;
    assert!(res.unwrap().text().await.unwrap().contains(&ana.email), "still signed in");

    // A provider redelivers what was not acknowledged (as Stripe does): each gift is paid once and
    // the campaign's total is exact.
    let unacked: Vec<String> =
        shots.iter().filter(|s| s.kind == Kind::Webhook && !s.ok).map(|s| s.key.clone()).collect();
    for (gift, amount) in storm.sent_gifts() {
        if unacked.contains(gift) {
            let res = storm.deliver(&c.url, gift, *amount).await.unwrap();
            assert!(res.status().is_success(), "redelivery of {gift}: {}", res.status());
        }
    }
    let expected: i64 = storm.sent_gifts().iter().map(|(_, a)| a).sum();
    let raised = app::donations::db::raised(&c.db, storm.campaign).await.unwrap();
    assert_eq!(raised, expected, "every gift counted once");

    // Server 1 comes back and takes traffic again.
    c.script(&["start-app", "1"]).await;
    assert!(c.healthy(&c.app[0]).await);
    let res = c.comment(&c.app[0], &ana.sid, "Serverul 1 a revenit: susțin în continuare.", &ip(900_003)).await;
    assert!(succeeded(&res.unwrap()), "the same session on the restarted server");
    c.no_mail_twice().await;
}
