//! Starting a server while another one in the same process renders pages (as the tests and the
//! cluster benchmark do). Listing the app's routes suppresses resource loading through a
//! process-wide flag in leptos_server, and a resource first polled meanwhile never loaded: its page
//! was never answered (leptos issue 4773). The list is now made once per process.

use crate::common::*;
use app::ssr::{Db, DbKind};
use std::time::Duration;

/// Servers started beside the one being read; each keeps its port and pool until the test ends.
const STARTS: usize = 25;

#[tokio::test]
async fn pages_with_resources_answer_while_other_servers_start() {
    let s = spawn(DbKind::Sqlite).await;
    let slug = app::orgs::db::authorities(&s.db, "").await.unwrap().into_iter().next().expect("demo authorities").slug;
    let (url, settings, kind) = (s.url.clone(), s.settings.clone(), s.kind);
    let starter = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
        rt.block_on(async move {
            let mut started = vec![];
            while started.len() < STARTS {
                let db = Db::connect(&url, 1).await.expect("the same database");
                let payments =
                    |st: &app::ssr::Settings| server::payments::from_config(server::config::PaymentsMode::Test, st);
                started.push(
                    serve_on(kind, db, url.clone(), settings.clone(), payments, server::ops::Ops::default()).await,
                );
            }
            started.len()
        })
    });
    // The authority's contact page loads its form through a resource, as most pages do.
    let path = format!("/authorities/{slug}/contact");
    let mut answered = 0;
    // Read until every server has started (bounded, should starting ever stall).
    while !starter.is_finished() && answered < 5000 {
        let res = tokio::time::timeout(Duration::from_secs(15), async {
            let res = s.get(&client(), &path).await;
            (res.status(), res.text().await.unwrap_or_default())
        })
        .await;
        let (status, html) = res.expect("the page is answered while other servers start");
        assert_eq!(status, 200);
        assert!(html.contains("/account/login?next=/authorities/"), "the resource loaded and the page finished");
        answered += 1;
    }
    let started = starter.join().expect("the starter thread");
    assert_eq!(started, STARTS, "every server started");
    assert!(answered > 0, "pages read while they started");
}
