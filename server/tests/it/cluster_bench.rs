//! The load benchmark's writes (`server/scripts/bench-cluster.sh`), made on a running cluster:
//! `BENCH_FIXTURE` gets the comment form's path, then one comment post a line (a fresh session and
//! its urlencoded form), each person used for fewer comments than the per-person limit, so every
//! post wrk sends is one the platform accepts. Not run by test.sh (it writes a file, and the
//! benchmark is measured by hand).
use crate::cluster_live::{Cluster, CONSULTATION};
use futures_util::StreamExt;
use leptos::server_fn::ServerFn;
use std::fmt::Write;

/// Comments a minute one person may post is 10; each person writes fewer.
const PER_PERSON: usize = 8;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "writes the load benchmark's requests: run by server/scripts/bench-cluster.sh"]
async fn write_the_benchmark_requests() {
    let path = std::env::var("BENCH_FIXTURE").expect("BENCH_FIXTURE: the file to write");
    let posts: usize = std::env::var("BENCH_POSTS").ok().and_then(|v| v.parse().ok()).unwrap_or(20_000);
    let c = Cluster::open().await;
    let people: Vec<_> = futures_util::stream::iter(0..posts.div_ceil(PER_PERSON))
        .map(|_| c.person("banc"))
        .buffer_unordered(8)
        .collect()
        .await;
    let mut out = format!("{}\n", app::consultations::PostComment::PATH);
    for n in 0..posts {
        let who = &people[n / PER_PERSON];
        let body = format!("Banc {n}: trotuarele din centru să fie refăcute înaintea rampelor.");
        let token = c.form_token();
        let fields = [
            ("slug", CONSULTATION),
            ("scope", "general"),
            ("stance", "for"),
            ("body", body.as_str()),
            ("form_token", token.as_str()),
            ("form_key", "new"),
            ("website", ""),
        ];
        let form = fields.iter().map(|(k, v)| format!("{k}={}", encode(v))).collect::<Vec<_>>().join("&");
        writeln!(out, "{}\t{form}", who.sid).unwrap();
    }
    std::fs::write(&path, out).unwrap();
    let sessions = c.count_all("SELECT COUNT(*) FROM sessions WHERE user_agent = 'cluster test'").await;
    assert!(sessions >= people.len() as i64, "{sessions} sessions for {} people", people.len());
    println!("{posts} comment posts by {} people in {path}", people.len());
}

/// `application/x-www-form-urlencoded`: unreserved bytes as they are, every other byte as `%XX`.
fn encode(v: &str) -> String {
    v.bytes().fold(String::new(), |mut out, b| {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
        out
    })
}

#[test]
fn form_encoding() {
    assert_eq!(encode("a b/ă"), "a%20b%2F%C4%83");
}
