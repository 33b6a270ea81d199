//! PostgreSQL restarted under load: while it is away every request gets a quick 503 (the page of
//! `ops::unavailable`, or a server function's error), none hangs; when it is back the servers
//! answer again by themselves, and nothing was half-written.
use super::storm::{summary, Kind, Storm};
use super::*;
use std::sync::Arc;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs server/scripts/cluster.sh: run by server/scripts/test.sh (see cluster_live/mod.rs)"]
async fn a_database_restart_under_load_gives_quick_503s_and_heals() {
    let c = Arc::new(Cluster::open().await);
    let storm = Storm::prepare(&c, 160, 400).await;

    // 10 s of traffic through nginx; PostgreSQL stops 1 s in and starts again 3 s later.
    let control = {
        let c = c.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_secs(1)).await;
            c.script(&["stop-pg"]).await;
            let stopped = Instant::now();
            tokio::time::sleep(Duration::from_secs(3)).await;
            c.script(&["start-pg"]).await;
            (stopped, Instant::now())
        })
    };
    let started = Instant::now();
    let shots = storm.run(&c, &c.url, 10.0, (4, 1, 3)).await;
    let (stopped, back) = control.await.unwrap();
    let (stopped, back) = (stopped.duration_since(started), back.duration_since(started));
    println!("database stopped at {stopped:?}, back at {back:?}: {}", summary(&shots));

    // Never a hang: every request answered, well within the client's 10 s.
    let slowest = shots.iter().map(|s| s.took).max().unwrap();
    let mut slow: Vec<_> = shots.iter().collect();
    slow.sort_by_key(|s| std::cmp::Reverse(s.took));
    println!("slowest answers: {:?}", &slow[..5]);
    assert!(shots.iter().all(|s| s.answer != "timeout"), "no request timed out");
    assert!(
        slowest < Duration::from_secs(8),
        "every answer well within the 10 s client timeout (the pool waits 5 s at most), the slowest took {slowest:?}"
    );

    // While the database was away: failures are 503s (pages), or 5xx answers of functions.
    let gap: Vec<_> = shots.iter().filter(|s| s.at > stopped && s.at + s.took < back).collect();
    let refused = gap.iter().filter(|s| s.answer == "503").count();
    assert!(refused >= 10, "the gap was seen: {refused} answers 503 out of {}", gap.len());
    for s in gap.iter().filter(|s| !s.ok) {
        match s.kind {
            Kind::Page => assert_eq!(s.answer, "503", "{s:?}"),
            _ => assert!(s.answer.starts_with('5'), "{s:?}"),
        }
    }
    let page = http().get(format!("{}/consultations", c.app[0])).send().await.unwrap();
    assert_eq!(page.status(), 200, "back before this line");

    // Healed without a restart: within 10 s of the database's return every request succeeds.
    let healed = shots.iter().filter(|s| !s.ok).map(|s| s.at + s.took).max().unwrap_or_default();
    println!("last failure answered at {healed:?}");
    assert!(healed < back + Duration::from_secs(10), "last failure at {healed:?}, database back at {back:?}");
    let after: Vec<_> = shots.iter().filter(|s| s.at > healed).collect();
    assert!(after.len() >= 10 && after.iter().any(|s| s.kind == Kind::Comment), "traffic after healing");
    for base in &c.app {
        let res = http().get(format!("{base}/readyz")).send().await.unwrap();
        assert_eq!(res.status(), 200, "{base} ready again");
    }

    // Nothing half-written, nothing acknowledged lost.
    storm.check_acknowledged(&c, &shots).await;
    c.no_mail_twice().await;
}
