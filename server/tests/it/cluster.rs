//! Two app servers on one database, as behind a balancer: caches that agree, start-up that takes
//! turns, and the operator's endpoints (`/readyz`, `/metrics`). The whole deployment (nginx, kill -9,
//! a database restart) is tried by `server/scripts/cluster-test.sh`.

use crate::common::*;
use crate::page_cache::{page, rename, ONE_AT_A_TIME, PAGE};
use app::ssr::{now, sha256_hex};
use leptos::server_fn::ServerFn;
use std::time::Duration;

/// A public write through `t` (a person renames themselves); returns the `pcg` cookie it set.
async fn write_through(t: &TestServer) -> String {
    let email = format!("scriitor{}@exemplu.ro", app::ssr::public_id());
    let id = app::accounts::db::create_user(&t.db, &email, "!", "Scriitor", "ro").await.unwrap();
    let token = app::ssr::public_id();
    app::accounts::db::create_session(&t.db, &sha256_hex(&token), id, now() + 3600, "test").await.unwrap();
    let res = reqwest::Client::new()
        .post(format!("{}{}", t.base, app::accounts::UpdateProfile::PATH))
        .header("origin", &t.base)
        .header("cookie", format!("sid={token}"))
        .form(&[("display_name", "Scriitor Nou"), ("locality", ""), ("county", "")])
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success() || res.status().is_redirection(), "{}", res.status());
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| c.strip_prefix("pcg=").and_then(|r| r.split(';').next()).map(str::to_string))
        .expect("a public write names its cache generation")
}

#[tokio::test]
async fn a_write_on_one_server_shows_at_once_on_the_other() {
    let _turn = ONE_AT_A_TIME.lock().await;
    for kind in backends() {
        // Kept for a minute: only the shared generation can make the second server drop its copy.
        let a = spawn_with(kind, |s| {
            s.page_cache_ms = 60_000;
            s.data_cache_ms = 60_000;
        })
        .await;
        let b = spawn_beside(&a, Default::default()).await;
        let anon = client();
        let (kept, _) = page(&b, &anon).await;
        assert!(!kept.contains("Nume nou prin A"), "{kind:?}");

        // Changed on A (the SQL stands for what the write did), then written through A.
        rename(&a, "Nume nou prin A").await;
        let (still, _) = page(&b, &anon).await;
        assert!(!still.contains("Nume nou prin A"), "{kind:?}: B has not seen a write yet");
        let generation = write_through(&a).await;

        // The writer's next request lands on B: B reads the generation first and renders afresh.
        let res = reqwest::Client::new()
            .get(format!("{}{PAGE}", b.base))
            .header("cookie", format!("pcg={generation}"))
            .send()
            .await
            .unwrap();
        assert!(res.text().await.unwrap().contains("Nume nou prin A"), "{kind:?}: read-your-writes on B");
        let (now_fresh, _) = page(&b, &anon).await;
        assert!(now_fresh.contains("Nume nou prin A"), "{kind:?}: and for everyone on B after it");

        // Without the cookie, B's watch picks a write up on its next look.
        let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
        let watch =
            tokio::spawn(server::ops::watch_db(b.db.clone(), b.url.clone(), Duration::from_millis(50), stop_rx));
        rename(&a, "Al doilea nume").await;
        write_through(&a).await;
        let mut seen = false;
        for _ in 0..40 {
            tokio::time::sleep(Duration::from_millis(50)).await;
            if page(&b, &anon).await.0.contains("Al doilea nume") {
                seen = true;
                break;
            }
        }
        assert!(seen, "{kind:?}: B's watch saw A's write within 2 s");
        let _ = stop_tx.send(true);
        watch.await.unwrap();
    }
}

/// PostgreSQL only: SQLite is one server's file by design.
#[tokio::test]
async fn servers_starting_together_prepare_the_database_once() {
    let Ok(admin_url) = std::env::var("PARTICIPA_TEST_PG") else { return };
    let admin = app::ssr::Db::connect(&admin_url, 1).await.unwrap();
    let name = format!("participa_start_{}", app::ssr::public_id().to_lowercase());
    sqlx::raw_sql(&format!("CREATE DATABASE {name}")).execute(&admin.pool).await.unwrap();
    let url = format!("{}/{name}", admin_url.rsplit_once('/').unwrap().0);
    let start = |url: String| async move {
        let mut cfg = server::Config::from_vars(|k| match k {
            "DATABASE_URL" => Some(url.clone()),
            "SECRET_KEY" => Some("5f1c0a9e3b7d2c4e8a6f0b1d3c5e7a9b2d4f6a8c0e1b3d5f7a9c2e4b6d8f0a1c".into()),
            "DEMO" => Some("1".into()),
            _ => None,
        })
        .unwrap();
        cfg.pool.max_connections = 4;
        server::prepare_db(&cfg).await.map_err(|e| e.to_string())
    };
    // A fresh database, three servers at once, demo data included.
    let (x, y, z) = tokio::join!(start(url.clone()), start(url.clone()), start(url.clone()));
    let dbs = [x, y, z].map(|r| r.expect("every server starts"));
    let db = &dbs[0];
    assert_eq!(server::db::applied(db).await.unwrap(), server::db::latest(), "every migration");
    let (n, distinct): (i64, i64) = sqlx::query_as("SELECT COUNT(*), COUNT(DISTINCT version) FROM schema_migrations")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(n, distinct, "each once");
    let orgs: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM organisations").fetch_one(&db.pool).await.unwrap();
    let slugs: i64 =
        sqlx::query_scalar("SELECT COUNT(DISTINCT slug) FROM organisations").fetch_one(&db.pool).await.unwrap();
    assert!(orgs > 0 && orgs == slugs, "the demo loaded once");
}

#[tokio::test]
async fn readiness_says_no_while_draining_and_metrics_need_the_token() {
    const TOKEN: &str = "jeton-de-metrici-0123456789";
    for kind in backends() {
        let first = spawn(kind).await;
        let ops = server::ops::Ops { draining: Default::default(), metrics_token: Some(TOKEN.into()) };
        let t = spawn_beside(&first, ops.clone()).await;
        let http = reqwest::Client::new();
        let get = |path: &str, auth: Option<&str>| {
            let mut req = http.get(format!("{}{path}", t.base));
            if let Some(a) = auth {
                req = req.header("authorization", a);
            }
            req.send()
        };
        assert_eq!(get("/readyz", None).await.unwrap().status(), 200, "{kind:?}");
        assert_eq!(get("/metrics", None).await.unwrap().status(), 401);
        assert_eq!(get("/metrics", Some("Bearer jeton-gresit-0123456789")).await.unwrap().status(), 401);
        // Some traffic, then the figures.
        assert_eq!(get("/consultations", None).await.unwrap().status(), 200);
        let res = get("/metrics", Some(&format!("Bearer {TOKEN}"))).await.unwrap();
        assert_eq!(res.status(), 200);
        let text = res.text().await.unwrap();
        for needle in [
            "participa_http_requests_total{route=\"/consultations\",method=\"GET\",status=\"200\"}",
            "participa_http_request_duration_seconds_bucket{",
            "participa_db_pool_connections{state=\"idle\"}",
            "participa_mail_outbox_queued ",
        ] {
            assert!(text.contains(needle), "{kind:?}: {needle} in\n{text}");
        }
        // Without a configured token the endpoint does not exist.
        let res = http.get(format!("{}/metrics", first.base)).header("authorization", format!("Bearer {TOKEN}"));
        assert_eq!(res.send().await.unwrap().status(), 404);

        ops.draining.start();
        assert_eq!(get("/readyz", None).await.unwrap().status(), 503, "{kind:?}: draining");
        assert_eq!(get("/healthz", None).await.unwrap().status(), 200, "alive while draining");
    }
}

#[tokio::test]
async fn while_the_database_is_away_pages_answer_503_at_once() {
    for kind in backends() {
        let first = spawn(kind).await;
        let t = spawn_beside(&first, Default::default()).await;
        // The watch's own look failing is what marks the database away. On SQLite it looks through
        // the pool, so the pool is closed; on PostgreSQL through a connection of its own, so it is
        // pointed at a port where nothing listens (a stopped database refuses the same way).
        t.db.pool.close().await;
        let url = match kind {
            app::ssr::DbKind::Postgres => "postgres://postgres@127.0.0.1:1/postgres".to_string(),
            app::ssr::DbKind::Sqlite => t.url.clone(),
        };
        let (_stop, stop_rx) = tokio::sync::watch::channel(false);
        tokio::spawn(server::ops::watch_db(t.db.clone(), url, Duration::from_millis(50), stop_rx));
        tokio::time::sleep(Duration::from_millis(200)).await;
        let started = std::time::Instant::now();
        let res = reqwest::get(format!("{}/consultations", t.base)).await.unwrap();
        assert_eq!(res.status(), 503, "{kind:?}");
        assert_eq!(res.headers().get("retry-after").and_then(|v| v.to_str().ok()), Some("5"));
        assert!(res.text().await.unwrap().contains("Indisponibil temporar"));
        assert!(started.elapsed() < Duration::from_secs(1), "at once, not after a timeout");
        assert_eq!(reqwest::get(format!("{}/readyz", t.base)).await.unwrap().status(), 503);
    }
}
