//! Test harness: a real server on 127.0.0.1 (random port) over a fresh SQLite file or a fresh
//! PostgreSQL database (when `PARTICIPA_TEST_PG` names a server, as the test script does).
pub mod smtp;

use app::ssr::{Db, DbKind};
use leptos::config::LeptosOptions;
use std::net::SocketAddr;

pub fn backends() -> Vec<DbKind> {
    let mut v = vec![DbKind::Sqlite];
    if std::env::var("PARTICIPA_TEST_PG").is_ok() {
        v.push(DbKind::Postgres);
    }
    v
}

fn unique() -> String {
    use rand::RngCore;
    let mut b = [0u8; 8];
    rand::rngs::OsRng.fill_bytes(&mut b);
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// A migrated, empty database of the given kind.
pub async fn fresh_db(kind: DbKind) -> (Db, String) {
    let url = match kind {
        DbKind::Sqlite => {
            let dir = std::env::temp_dir().join(format!("participa-test-{}", unique()));
            std::fs::create_dir_all(&dir).unwrap();
            format!("sqlite://{}/t.db?mode=rwc", dir.display())
        }
        DbKind::Postgres => {
            let admin_url = std::env::var("PARTICIPA_TEST_PG").unwrap();
            let admin = Db::connect(&admin_url, 1).await.expect("PostgreSQL reachable");
            let name = format!("participa_test_{}", unique());
            sqlx::raw_sql(&format!("CREATE DATABASE {name}")).execute(&admin.pool).await.unwrap();
            admin.pool.close().await;
            let base = admin_url.rsplit_once('/').unwrap().0;
            format!("{base}/{name}")
        }
    };
    let db = Db::connect(&url, 8).await.unwrap();
    server::db::migrate(&db).await.unwrap();
    (db, url)
}

/// The demo databases made so far in this process (kind, SQLite file or PostgreSQL database name).
static DEMO_TEMPLATES: tokio::sync::Mutex<Vec<(DbKind, String)>> = tokio::sync::Mutex::const_new(Vec::new());

/// A migrated database holding the demo data, a copy of one loaded once per process: loading the
/// demo was most of the time a test server took to start. (Its dates are relative to when it was
/// loaded, minutes earlier at most; the demo's offsets are whole days.)
pub async fn demo_db(kind: DbKind) -> (Db, String) {
    let template = {
        let mut made = DEMO_TEMPLATES.lock().await;
        match made.iter().find(|(k, _)| *k == kind) {
            Some((_, t)) => t.clone(),
            None => {
                let (db, url) = fresh_db(kind).await;
                server::demo::load(&db).await.unwrap();
                if kind == DbKind::Sqlite {
                    // Everything into the main file, so copying that file copies the database.
                    sqlx::raw_sql("PRAGMA wal_checkpoint(TRUNCATE)").execute(&db.pool).await.unwrap();
                }
                db.pool.close().await;
                let t = match kind {
                    DbKind::Sqlite => url.trim_start_matches("sqlite://").trim_end_matches("?mode=rwc").to_string(),
                    DbKind::Postgres => url.rsplit_once('/').unwrap().1.to_string(),
                };
                made.push((kind, t.clone()));
                t
            }
        }
    };
    let url = match kind {
        DbKind::Sqlite => {
            let dir = std::env::temp_dir().join(format!("participa-test-{}", unique()));
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::copy(&template, dir.join("t.db")).unwrap();
            format!("sqlite://{}/t.db?mode=rwc", dir.display())
        }
        DbKind::Postgres => {
            let admin_url = std::env::var("PARTICIPA_TEST_PG").unwrap();
            let admin = Db::connect(&admin_url, 1).await.expect("PostgreSQL reachable");
            let name = format!("participa_test_{}", unique());
            // Copies made at the same instant from one template may be refused; they wait a turn.
            let mut tries = 0;
            while let Err(e) =
                sqlx::raw_sql(&format!("CREATE DATABASE {name} TEMPLATE {template}")).execute(&admin.pool).await
            {
                tries += 1;
                assert!(tries < 50, "copying the demo database: {e}");
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
            admin.pool.close().await;
            format!("{}/{name}", admin_url.rsplit_once('/').unwrap().0)
        }
    };
    (Db::connect(&url, 8).await.unwrap(), url)
}

pub struct TestServer {
    pub base: String,
    pub db: Db,
    /// The database's URL: a second server can open it (see [`spawn_beside`]).
    pub url: String,
    pub client: reqwest::Client,
    pub kind: DbKind,
    /// The settings the server runs with (its keys sign and check every link).
    pub settings: app::ssr::Settings,
}

pub fn settings_for(base: &str) -> app::ssr::Settings {
    app::ssr::Settings { public_url: base.to_string(), signup_limit: 1000, ..Default::default() }
}

pub async fn spawn(kind: DbKind) -> TestServer {
    spawn_with(kind, |_| {}).await
}

/// A server whose settings the test adjusts first (e.g. to turn on the page cache).
pub async fn spawn_with(kind: DbKind, adjust: impl FnOnce(&mut app::ssr::Settings)) -> TestServer {
    spawn_full(kind, adjust, |settings| server::payments::from_config(server::config::PaymentsMode::Test, settings))
        .await
}

/// A server with its settings adjusted and its payment provider chosen by the test.
pub async fn spawn_full(
    kind: DbKind,
    adjust: impl FnOnce(&mut app::ssr::Settings),
    payments: impl FnOnce(&app::ssr::Settings) -> app::ssr::payments::Payments,
) -> TestServer {
    let (db, url) = demo_db(kind).await;
    let mut settings = settings_for("");
    adjust(&mut settings);
    serve_on(kind, db, url, settings, payments, server::ops::Ops::default()).await
}

/// Another app server on `first`'s database (its own pool and caches), as behind a balancer: same
/// settings and keys, so sessions and signed links work on both.
pub async fn spawn_beside(first: &TestServer, ops: server::ops::Ops) -> TestServer {
    let db = Db::connect(&first.url, 8).await.unwrap();
    let settings = first.settings.clone();
    let payments = |s: &app::ssr::Settings| server::payments::from_config(server::config::PaymentsMode::Test, s);
    serve_on(first.kind, db, first.url.clone(), settings, payments, ops).await
}

/// A server over this database, answering on a fresh port of 127.0.0.1.
pub async fn serve_on(
    kind: DbKind,
    db: Db,
    url: String,
    mut settings: app::ssr::Settings,
    payments: impl FnOnce(&app::ssr::Settings) -> app::ssr::payments::Payments,
    ops: server::ops::Ops,
) -> TestServer {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let base = format!("http://{addr}");
    let options = LeptosOptions::builder().output_name("participa").site_addr(addr).site_root("target/site").build();
    // The first server's address, unless the test chose one (an https deployment, say).
    if settings.public_url.is_empty() || settings.public_url == settings_for("").public_url {
        settings.public_url = base.clone();
    }
    let state = app::ssr::AppState {
        leptos_options: options,
        db: db.clone(),
        payments: payments(&settings),
        settings: std::sync::Arc::new(settings.clone()),
        store: std::sync::Arc::new(
            app::ssr::storage::Store::local(&std::env::temp_dir().join(format!("participa-media-{}", unique())))
                .unwrap(),
        ),
    };
    let router = server::router_ops(state, 2 * 1024 * 1024, ops);
    tokio::spawn(async move {
        axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>()).await.unwrap();
    });
    TestServer { base, db, url, client: client(), kind, settings }
}

pub fn client() -> reqwest::Client {
    // A request that never answers fails the test in a minute instead of holding CI to its limit.
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(60))
        .build()
        .unwrap()
}

impl TestServer {
    /// Calls a server function the way the hydrated page does (same origin, form-encoded).
    pub async fn call(&self, client: &reqwest::Client, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        client.post(format!("{}{}", self.base, path)).header("origin", &self.base).form(form).send().await.unwrap()
    }

    pub async fn get(&self, client: &reqwest::Client, path: &str) -> reqwest::Response {
        client.get(format!("{}{}", self.base, path)).send().await.unwrap()
    }

    /// The last link with `token=` mailed to `to`, from the outbox.
    pub async fn token_for(&self, to: &str) -> String {
        use sqlx::Row;
        let row = sqlx::query("SELECT body_text FROM mail_outbox WHERE to_addr = $1 ORDER BY id DESC LIMIT 1")
            .bind(to)
            .fetch_one(&self.db.pool)
            .await
            .expect("a mail in the outbox");
        let body: String = row.get(0);
        let start = body.find("token=").expect("a link with a token") + 6;
        body[start..].split_whitespace().next().unwrap().to_string()
    }
}
