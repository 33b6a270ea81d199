//! Benchmark (run by hand, not part of the test suite):
//!   cargo test -p server --release --test it consultations::bench -- --ignored --nocapture
//! A consultation with 200 articles and 5,000 comments on SQLite, served over real HTTP on 127.0.0.1:
//! first-page SSR latency at 64 connections, comment posting rate (and that none is lost), CSV time.

use app::consultations::db::{self as cdb, NewComment, NewConsultation};
use app::consultations::rules::{CommentStatus, Stance, Status};
use app::ssr::{now, sha256_hex, Db};
use leptos::config::LeptosOptions;
use leptos::server_fn::ServerFn;
use sqlx::Row;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

const ARTICLES: usize = 200;
const COMMENTS: usize = 5_000;
const CONNECTIONS: usize = 64;

fn draft() -> String {
    let mut s = String::from("HOTĂRÂRE de test\n\n");
    for i in 1..=ARTICLES {
        if i % 20 == 1 {
            s.push_str(&format!("CAPITOLUL {}\nPartea {}\n\n", i / 20 + 1, i / 20 + 1));
        }
        s.push_str(&format!(
            "Art. {i}. - Titlul articolului {i}\n(1) Primul alineat al articolului {i}, cu diacritice: ș ț ă î â.\n(2) Al doilea alineat:\na) prima literă;\nb) a doua literă.\n\n"
        ));
    }
    s
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1]
}

/// Runs `total` requests over `CONNECTIONS` concurrent workers; returns the sorted latencies and the wall time.
async fn load<F, Fut>(total: usize, make: F) -> (Vec<Duration>, Duration)
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = bool> + Send,
{
    let make = std::sync::Arc::new(make);
    let next = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let start = Instant::now();
    let mut tasks = vec![];
    for _ in 0..CONNECTIONS {
        let (make, next) = (make.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            let mut out = vec![];
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if i >= total {
                    break;
                }
                let t = Instant::now();
                assert!(make(i).await, "request {i} failed");
                out.push(t.elapsed());
            }
            out
        }));
    }
    let mut all = vec![];
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    let wall = start.elapsed();
    all.sort();
    (all, wall)
}

#[tokio::test(flavor = "multi_thread")]
#[ignore]
async fn bench_consultation_at_scale() {
    let dir = std::env::temp_dir().join(format!("participa-bench-{}", now()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = Db::connect(&format!("sqlite://{}/b.db?mode=rwc", dir.display()), 16).await.unwrap();
    server::db::migrate(&db).await.unwrap();
    server::demo::load(&db).await.unwrap();
    let owner: i64 = sqlx::query("SELECT id FROM authorities WHERE slug = 'consiliul-local-focsani'")
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .get(0);

    // The consultation, split by the real splitter.
    let text = draft();
    let t = Instant::now();
    let units = app::consultations::rules::split::split(&text);
    let split_time = t.elapsed();
    assert_eq!(
        units.iter().filter(|u| u.kind == app::consultations::rules::split::UnitKind::Article).count(),
        ARTICLES
    );
    let n = now();
    let c = bench_consultation(owner, &text, n - 86_400, n + 30 * 86_400);
    let cid = cdb::insert(&db, &c, &units).await.unwrap();
    cdb::set_status(&db, cid, Status::Open).await.unwrap();
    let stored = cdb::units(&db, cid, 1).await.unwrap();
    let articles: Vec<_> =
        stored.iter().filter(|u| u.kind == app::consultations::rules::split::UnitKind::Article).collect();

    // 500 people, each with a session cookie.
    let mut people = vec![];
    for i in 0..500 {
        let id =
            app::accounts::db::create_user(&db, &format!("p{i}@bench.invalid"), "!", &format!("Persoana {i}"), "ro")
                .await
                .unwrap();
        app::accounts::db::mark_verified(&db, id).await.unwrap();
        let token = format!("bench-session-{i}");
        app::accounts::db::create_session(&db, &sha256_hex(&token), id, n + 86_400, "bench").await.unwrap();
        people.push((id, token));
    }
    let t = Instant::now();
    for i in 0..COMMENTS {
        let a = articles[i % articles.len()];
        cdb::insert_comment(
            &db,
            &NewComment {
                consultation_id: cid,
                version: 1,
                unit_id: Some(a.id),
                unit_position: a.position,
                paragraph: String::new(),
                parent_id: None,
                depth: 0,
                user_id: people[i % people.len()].0,
                org_id: None,
                stance: Stance::ALL[i % 3],
                body: format!("Comentariul {i}: propun ca termenul să fie **mai scurt**, cu buget alocat în 2027."),
                alternative: String::new(),
                status: CommentStatus::Visible,
                created_at: n - 3_600 + i as i64 % 3_600,
            },
        )
        .await
        .unwrap();
    }
    let seed_time = t.elapsed();

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let base = format!("http://{addr}");
    // The production default keeps anonymous pages for 2 s; PAGE_CACHE_MS=0 measures every render.
    let page_cache_ms = std::env::var("PAGE_CACHE_MS").ok().and_then(|v| v.parse().ok()).unwrap_or(2_000);
    // Rows every reader sees alike (the articles with their counts) are kept as in production too;
    // DATA_CACHE_MS=0 loads them for every request.
    let data_cache_ms = std::env::var("DATA_CACHE_MS").ok().and_then(|v| v.parse().ok()).unwrap_or(2_000);
    println!("anonymous page cache: {page_cache_ms} ms, shared-reads cache: {data_cache_ms} ms");
    let settings = app::ssr::Settings {
        public_url: base.clone(),
        proxy_hops: 1,
        page_cache_ms,
        data_cache_ms,
        ..Default::default()
    };
    let keys = settings.keys.clone();
    let state = app::ssr::AppState {
        leptos_options: LeptosOptions::builder()
            .output_name("participa")
            .site_addr(addr)
            .site_root("target/site")
            .build(),
        db: db.clone(),
        payments: server::payments::from_config(server::config::PaymentsMode::Test, &settings),
        settings: std::sync::Arc::new(settings.clone()),
        store: std::sync::Arc::new(app::ssr::storage::Store::local(&dir.join("media")).unwrap()),
    };
    let router = server::router(state);
    tokio::spawn(async move {
        axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>()).await.unwrap();
    });
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(CONNECTIONS)
        // A post answers with a redirect to the thread; following it would time a page render too.
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();

    // 1. First page of the consultation: its first units with their margin counts (the draft is
    // paged; the last page holds Art. 200), anonymous and signed in (no shared cache can serve the
    // signed-in one: it carries the person's follow button and organisations).
    let page_url = format!("{base}/consultations/bench");
    let body = http.get(&page_url).send().await.unwrap().text().await.unwrap();
    assert!(
        body.contains("Art. 1") && body.contains("25 de comentarii"),
        "the first page shows its articles and counts"
    );
    let last = http.get(format!("{page_url}?p=9")).send().await.unwrap().text().await.unwrap();
    assert!(last.contains("Art. 200"), "the last page holds the last article");
    for _ in 0..50 {
        http.get(&page_url).send().await.unwrap().bytes().await.unwrap();
    }
    for signed_in in [false, true] {
        let (h, u) = (http.clone(), page_url.clone());
        let sessions: Vec<String> = people.iter().map(|(_, t)| t.clone()).collect();
        let (lat, wall) = load(3_000, move |i| {
            let (h, u) = (h.clone(), u.clone());
            let cookie = signed_in.then(|| format!("sid={}", sessions[i % sessions.len()]));
            async move {
                let mut req = h.get(&u);
                if let Some(c) = cookie {
                    req = req.header("cookie", c);
                }
                match req.send().await {
                    Ok(r) if r.status().is_success() => r.bytes().await.is_ok(),
                    _ => false,
                }
            }
        })
        .await;
        println!(
            "SSR consultation page, {} ({} bytes): {} requests at {CONNECTIONS} connections: p50 {:?}, p99 {:?}, max {:?}, {:.0} req/s",
            if signed_in { "signed in" } else { "anonymous" },
            body.len(),
            lat.len(),
            percentile(&lat, 0.50),
            percentile(&lat, 0.99),
            lat.last().unwrap(),
            lat.len() as f64 / wall.as_secs_f64()
        );
    }
    // The same page under wrk when it is installed: a separate, lighter client (still on the same cores),
    // signed-in requests spread over the 500 sessions by a small Lua script.
    if std::process::Command::new("wrk").arg("-v").output().is_ok() {
        let script = dir.join("sessions.lua");
        std::fs::write(
            &script,
            format!(
                "local i = 0\nrequest = function()\n  i = i + 1\n  return wrk.format(nil, nil, {{[\"Cookie\"] = \"sid=bench-session-\" .. (i % {})}})\nend\n",
                people.len()
            ),
        )
        .unwrap();
        for signed_in in [false, true] {
            let mut cmd = std::process::Command::new("wrk");
            cmd.args(["-t2", "-c64", "-d10s", "--latency"]);
            if signed_in {
                cmd.arg("-s").arg(&script);
            }
            cmd.arg(&page_url);
            let out = tokio::task::spawn_blocking(move || cmd.output()).await.unwrap().unwrap();
            let text = String::from_utf8_lossy(&out.stdout);
            let lines: Vec<&str> = text
                .lines()
                .filter(|l| ["50%", "99%", "Requests/sec", "Non-2xx", "requests in"].iter().any(|k| l.contains(k)))
                .map(str::trim)
                .collect();
            println!(
                "wrk, consultation page, {}: {}",
                if signed_in { "signed in" } else { "anonymous" },
                lines.join(" | ")
            );
        }
    }
    // An article's comment page (25 comments, first page of 20).
    let thread_url = format!("{base}/consultations/bench/comments?scope={}", articles[0].position);
    let (h, u) = (http.clone(), thread_url.clone());
    let (lat, wall) = load(2_000, move |_| {
        let (h, u) = (h.clone(), u.clone());
        async move { h.get(&u).send().await.map(|r| r.status().is_success()).unwrap_or(false) }
    })
    .await;
    println!(
        "SSR article comments page: {} requests at {CONNECTIONS} connections: p50 {:?}, p99 {:?}, {:.0} req/s",
        lat.len(),
        percentile(&lat, 0.50),
        percentile(&lat, 0.99),
        lat.len() as f64 / wall.as_secs_f64()
    );

    // 2. Posting comments over HTTP: session, form token, rate limits, register number, receipt mail.
    let posts = 3_000;
    let before: i64 =
        sqlx::query("SELECT COUNT(*) FROM consultation_comments").fetch_one(&db.pool).await.unwrap().get(0);
    let form_token = keys.sign(app::ssr::signing::Purpose::FormTiming, &(now() - 10).to_string());
    let positions: Vec<i64> = articles.iter().map(|a| a.position).collect();
    let (h, b) = (http.clone(), base.clone());
    let people2 = people.clone();
    let (lat, wall) = load(posts, move |i| {
        let (h, b, tok) = (h.clone(), b.clone(), form_token.clone());
        let (_, session) = people2[i % people2.len()].clone();
        let scope = positions[i % positions.len()].to_string();
        async move {
            let res = h
                .post(format!("{b}{}", app::consultations::PostComment::PATH))
                .header("origin", &b)
                .header("cookie", format!("sid={session}"))
                // Many people from many addresses, as in real use (the per-IP limit applies to each).
                .header("x-forwarded-for", format!("10.1.{}.{}", i % 200, i % 250))
                .form(&[
                    ("slug", "bench"),
                    ("scope", scope.as_str()),
                    ("stance", "for"),
                    ("body", "Susțin propunerea, cu mențiunea că trotuarele trebuie refăcute întâi."),
                    ("form_token", tok.as_str()),
                    ("form_key", "new"),
                    ("website", ""),
                ])
                .send()
                .await;
            matches!(res, Ok(r) if r.status().is_redirection() || r.status().is_success() && r.headers().contains_key("location"))
        }
    })
    .await;
    let after: i64 =
        sqlx::query("SELECT COUNT(*) FROM consultation_comments").fetch_one(&db.pool).await.unwrap().get(0);
    let distinct: i64 =
        sqlx::query("SELECT COUNT(DISTINCT reg_no) FROM consultation_comments WHERE consultation_id = $1")
            .bind(cid)
            .fetch_one(&db.pool)
            .await
            .unwrap()
            .get(0);
    let receipts: i64 = sqlx::query("SELECT COUNT(*) FROM mail_outbox WHERE kind = 'consultations.receipt'")
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .get(0);
    assert_eq!(after - before, posts as i64, "nothing lost");
    let in_bench: i64 = sqlx::query("SELECT COUNT(*) FROM consultation_comments WHERE consultation_id = $1")
        .bind(cid)
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .get(0);
    assert_eq!(distinct, in_bench, "every register number unique");
    assert_eq!(receipts, posts as i64, "a receipt for each");
    println!(
        "POST comment (SQLite): {posts} at {CONNECTIONS} connections in {:?}: {:.0} comments/s, p50 {:?}, p99 {:?}; stored {}, receipts {receipts}",
        wall,
        posts as f64 / wall.as_secs_f64(),
        percentile(&lat, 0.50),
        percentile(&lat, 0.99),
        after - before
    );

    // 3. The CSV report of every comment (now 8,000).
    sqlx::query("UPDATE consultations SET status = 'answered', report_published_at = $1 WHERE id = $2")
        .bind(now())
        .bind(cid)
        .execute(&db.pool)
        .await
        .unwrap();
    let mut times = vec![];
    let mut lines = 0;
    for _ in 0..5 {
        let t = Instant::now();
        let csv =
            http.get(format!("{base}/consultations/bench/report.csv")).send().await.unwrap().text().await.unwrap();
        times.push(t.elapsed());
        lines = csv.lines().count() - 1;
    }
    times.sort();
    println!("CSV report: {lines} comments, median {:?}, worst {:?}", times[2], times[4]);
    let t = Instant::now();
    let pdf = http.get(format!("{base}/consultations/bench/report.pdf")).send().await.unwrap().bytes().await.unwrap();
    println!("PDF report: {} KB in {:?}", pdf.len() / 1024, t.elapsed());
    println!("(split of {ARTICLES} articles: {split_time:?}; seeding {COMMENTS} comments directly: {seed_time:?})");
    assert!(lines >= COMMENTS + posts);
    let _ = std::fs::remove_dir_all(&dir);
}

/// The report page's weight at scale (run by hand; a debug build is enough to weigh it):
///   cargo test -p server --test it consultations::bench::report_page_weight -- --ignored --nocapture
/// 200 articles and 5,000 comments on SQLite: the first page (totals and 100 comments), a middle
/// page, the last page, one article's page and the whole CSV.
#[tokio::test]
#[ignore]
async fn report_page_weight_at_scale() {
    let s = crate::common::spawn(app::ssr::DbKind::Sqlite).await;
    let db = &s.db;
    let owner: i64 = sqlx::query("SELECT id FROM authorities WHERE slug = 'consiliul-local-focsani'")
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .get(0);
    let text = draft();
    let units = app::consultations::rules::split::split(&text);
    let n = now();
    let c = bench_consultation(owner, &text, n - 30 * 86_400, n - 86_400);
    let cid = cdb::insert(db, &c, &units).await.unwrap();
    let stored = cdb::units(db, cid, 1).await.unwrap();
    let articles: Vec<_> =
        stored.iter().filter(|u| u.kind == app::consultations::rules::split::UnitKind::Article).collect();
    let author =
        app::accounts::db::create_user(db, "autor@bench.invalid", "!", "Persoana de test", "ro").await.unwrap();
    let comments: Vec<NewComment> = (0..COMMENTS)
        .map(|i| {
            let a = articles[i % articles.len()];
            NewComment {
                consultation_id: cid,
                version: 1,
                unit_id: Some(a.id),
                unit_position: a.position,
                paragraph: String::new(),
                parent_id: None,
                depth: 0,
                user_id: author,
                org_id: None,
                stance: Stance::ALL[i % 3],
                body: format!("Comentariul {i}: propun ca termenul să fie **mai scurt**, cu buget alocat în 2027."),
                alternative: String::new(),
                status: CommentStatus::Visible,
                created_at: n - 2 * 86_400 + i as i64,
            }
        })
        .collect();
    let t = Instant::now();
    cdb::insert_comments(db, &comments).await.unwrap();
    let seed_time = t.elapsed();
    cdb::set_status(db, cid, Status::Answered).await.unwrap();
    sqlx::query("UPDATE consultations SET report_published_at = $1 WHERE id = $2")
        .bind(n)
        .bind(cid)
        .execute(&db.pool)
        .await
        .unwrap();
    let http = crate::common::client();
    let art = articles[7].position;
    for (name, query) in [
        ("first page (totals + 100 comments)", String::new()),
        ("page 2", "?page=2".to_string()),
        ("last page", "?page=50".to_string()),
        ("one article (25 comments)", format!("?article={art}")),
    ] {
        let mut times = vec![];
        let mut bytes = 0;
        for _ in 0..5 {
            let t = Instant::now();
            let body = s.get(&http, &format!("/consultations/bench/report{query}")).await.text().await.unwrap();
            times.push(t.elapsed());
            bytes = body.len();
        }
        times.sort();
        println!("report page, {name}: {bytes} bytes, median {:?}", times[2]);
    }
    let t = Instant::now();
    let csv = s.get(&http, "/consultations/bench/report.csv").await.text().await.unwrap();
    println!("CSV: {} comments, {} bytes in {:?}", csv.lines().count() - 1, csv.len(), t.elapsed());
    println!("(seeding {COMMENTS} comments in one transaction: {seed_time:?})");
    assert_eq!(csv.lines().count() - 1, COMMENTS);
}

/// The bench's consultation, open between `opens_at` and `closes_at`.
fn bench_consultation(owner: i64, text: &str, opens_at: i64, closes_at: i64) -> NewConsultation {
    test_consultation(
        ("bench", "Consultare de test la scară", "200 de articole, 5.000 de comentarii."),
        owner,
        text,
        opens_at,
        closes_at,
    )
}

/// A consultation of the authority `owner` on `text`, open between `opens_at` and `closes_at`;
/// `(slug, title, summary)` name it.
pub(super) fn test_consultation(
    (slug, title, summary): (&str, &str, &str),
    owner: i64,
    text: &str,
    opens_at: i64,
    closes_at: i64,
) -> NewConsultation {
    NewConsultation {
        slug: slug.into(),
        title: title.into(),
        summary: summary.into(),
        topics: vec!["urbanism".into()],
        locality: "Focșani".into(),
        county: "Vrancea".into(),
        owner_kind: "authority".into(),
        owner_id: owner,
        draft_text: text.to_string(),
        explanatory_note: String::new(),
        opens_at,
        closes_at,
        adoption_at: Some(now() + 90 * 86_400),
        urgency_reason: String::new(),
        officer_contact: String::new(),
        initiator: "mayor".into(),
        premoderation: false,
        report_threshold: 3,
        created_by: None,
        is_demo: false,
    }
}
