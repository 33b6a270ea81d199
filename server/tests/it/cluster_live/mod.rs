//! A whole deployment, tried from outside: PostgreSQL, an S3 server (moto), an SMTP sink (aiosmtpd
//! writing a Maildir), two release app servers and nginx, all started by `server/scripts/cluster.sh`
//! on 127.0.0.1. A step of `server/scripts/test.sh`; by hand:
//!
//!   bash server/scripts/cluster.sh start 2
//!   PARTICIPA_CLUSTER=/tmp/participa-cluster/env \
//!     cargo test -p server --test it -- --ignored cluster_live:: --test-threads=1
//!   bash server/scripts/cluster.sh stop
//!
//! The tests break the cluster on purpose (kill -9 an app server, stop PostgreSQL, stop the SMTP
//! sink) and put it back before they end, so they run one at a time. Each is bounded in time.

mod flows;
mod kill;
mod postgres;
mod smtp;
mod storm;

use app::ssr::{now, sha256_hex, Db};
use std::collections::HashMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// The open consultation of the demo data; its general thread takes comments.
pub const CONSULTATION: &str = "planul-local-de-accesibilitate-focsani";
pub const THREAD: &str = "/consultations/planul-local-de-accesibilitate-focsani/comments?scope=general";

/// The running cluster, as its `env` file describes it.
pub struct Cluster {
    /// The balancer (nginx).
    pub url: String,
    /// Each app server directly, bypassing the balancer (two for the tests, one or two for the benchmark).
    pub app: Vec<String>,
    /// The cluster's PostgreSQL, for setting up and checking.
    pub db: Db,
    /// The servers' settings (their keys sign form tokens and the test provider's webhooks).
    pub settings: app::ssr::Settings,
    /// The S3 bucket the servers keep uploads in, read over S3's own HTTP API.
    pub s3: app::ssr::storage::Store,
    pub maildir: PathBuf,
    dir: PathBuf,
}

/// A verified person with a session (the `sid` cookie's value).
pub struct Person {
    pub id: i64,
    pub email: String,
    pub sid: String,
}

impl Cluster {
    pub async fn open() -> Cluster {
        let path = std::env::var("PARTICIPA_CLUSTER").expect(
            "PARTICIPA_CLUSTER must name a running cluster's env file: start one with \
             `bash server/scripts/cluster.sh start 2`, then PARTICIPA_CLUSTER=/tmp/participa-cluster/env",
        );
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("PARTICIPA_CLUSTER={path}: {e}"));
        let vars: HashMap<String, String> = text
            .lines()
            .filter_map(|l| l.split_once('='))
            .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
            .collect();
        let get = |k: &str| vars.get(k).cloned().unwrap_or_else(|| panic!("{k} missing from {path}"));
        let dir = PathBuf::from(&path).parent().expect("the cluster's directory").to_path_buf();
        // Whatever an earlier test left stopped is started again first.
        script(&dir, &["heal"]).await;
        let db = Db::connect(&get("DATABASE_URL"), 8).await.expect("the cluster's PostgreSQL answers");
        let cfg = server::Config::from_vars(|k| match k {
            "SECRET_KEY" => Some(get("SECRET_KEY")),
            "PUBLIC_URL" => Some(get("URL")),
            "S3_BUCKET" => Some("participa".into()),
            "S3_ENDPOINT" => Some(get("S3_URL")),
            "S3_ACCESS_KEY_ID" => Some("participa".into()),
            "S3_SECRET_ACCESS_KEY" => Some(get("S3_SECRET")),
            _ => None,
        })
        .expect("the cluster's configuration");
        let s3 = server::storage::open(&cfg).expect("the cluster's S3 bucket");
        Cluster {
            s3,
            url: get("URL"),
            app: (1..=get("SERVERS").parse().unwrap_or(2)).map(|i| get(&format!("APP{i}_URL"))).collect(),
            db,
            settings: cfg.settings,
            maildir: PathBuf::from(get("MAILDIR")),
            dir,
        }
    }

    /// `cluster.sh ARGS` on this cluster (kill-app 1, stop-pg …); fails the test if it fails.
    pub async fn script(&self, args: &[&str]) {
        script(&self.dir, args).await
    }

    pub async fn healthy(&self, base: &str) -> bool {
        let res = http().get(format!("{base}/healthz")).timeout(Duration::from_secs(2)).send().await;
        res.is_ok_and(|r| r.status().is_success())
    }

    /// A verified account with a live session, made in the database as the sign-in would.
    pub async fn person(&self, tag: &str) -> Person {
        let email = format!("{tag}-{}@cluster.invalid", app::ssr::public_id());
        let id = app::accounts::db::create_user(&self.db, &email, "!", &format!("Persoana {tag}"), "ro").await.unwrap();
        app::accounts::db::mark_verified(&self.db, id).await.unwrap();
        let sid = app::ssr::public_id();
        app::accounts::db::create_session(&self.db, &sha256_hex(&sid), id, now() + 3600, "cluster test").await.unwrap();
        Person { id, email, sid }
    }

    /// A comment form's timing token, served long enough ago to pass the fill-in check.
    pub fn form_token(&self) -> String {
        self.settings.keys.sign(app::ssr::signing::Purpose::FormTiming, &(now() - 10).to_string())
    }

    /// Posts a comment on the demo consultation's general thread through `base`, as `who`, from
    /// the client address `ip` (behind the balancer, which the servers trust for one more hop).
    pub async fn comment(&self, base: &str, sid: &str, body: &str, ip: &str) -> reqwest::Result<reqwest::Response> {
        use leptos::server_fn::ServerFn;
        http()
            .post(format!("{base}{}", app::consultations::PostComment::PATH))
            .header("origin", &self.url)
            .header("cookie", format!("sid={sid}"))
            .header("x-forwarded-for", ip)
            .form(&[
                ("slug", CONSULTATION),
                ("scope", "general"),
                ("stance", "for"),
                ("body", body),
                ("form_token", &self.form_token()),
                ("form_key", "new"),
                ("website", ""),
            ])
            .send()
            .await
    }

    pub async fn count(&self, sql: &str, arg: &str) -> i64 {
        sqlx::query_scalar(sql).bind(arg).fetch_one(&self.db.pool).await.unwrap()
    }

    pub async fn count_all(&self, sql: &str) -> i64 {
        sqlx::query_scalar(sql).fetch_one(&self.db.pool).await.unwrap()
    }

    /// Every message the sink received for `to` (the Maildir's `X-RcptTo`).
    pub fn mails_to(&self, to: &str) -> Vec<String> {
        let rcpt = format!("X-RcptTo: {to}\n");
        self.all_mail().into_iter().filter(|m| m.replace("\r\n", "\n").contains(&rcpt)).collect()
    }

    pub fn all_mail(&self) -> Vec<String> {
        let mut out = vec![];
        for sub in ["new", "cur"] {
            let Ok(dir) = std::fs::read_dir(self.maildir.join(sub)) else { continue };
            for entry in dir.flatten() {
                if let Ok(text) = std::fs::read_to_string(entry.path()) {
                    out.push(text);
                }
            }
        }
        out
    }

    /// Waits (at most `within`) until `to` has received `n` messages; returns them.
    pub async fn wait_mails(&self, to: &str, n: usize, within: Duration) -> Vec<String> {
        let until = Instant::now() + within;
        loop {
            let got = self.mails_to(to);
            if got.len() >= n || Instant::now() > until {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits (at most `within`) until no mail is waiting, and those being sent are done (a lease
    /// left by a server killed mid-send stays: after 3 s it is taken for that).
    pub async fn outbox_settled(&self, within: Duration) {
        let until = Instant::now() + within;
        let mut drained_at = None;
        loop {
            let q = "SELECT COUNT(*) FROM mail_outbox WHERE status = 'queued' AND locked_until IS NULL";
            let waiting = self.count_all(q).await;
            let q = "SELECT COUNT(*) FROM mail_outbox WHERE status = 'queued' AND locked_until IS NOT NULL";
            let leased = self.count_all(q).await;
            if waiting == 0 {
                let since = *drained_at.get_or_insert_with(Instant::now);
                if leased == 0 || since.elapsed() > Duration::from_secs(3) {
                    return;
                }
            } else {
                drained_at = None;
            }
            assert!(Instant::now() < until, "{waiting} mails still queued after {within:?}");
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// Every mail the outbox marked sent reached the sink once: as many messages as sent rows, no
    /// more (a mail sent twice), no fewer. Mails leased by a server killed mid-send (at most one per
    /// kill) may have reached the sink without being marked.
    pub async fn no_mail_twice(&self) {
        self.outbox_settled(Duration::from_secs(60)).await;
        let sent = self.count("SELECT COUNT(*) FROM mail_outbox WHERE status = $1", "sent").await as usize;
        let leased = self
            .count("SELECT COUNT(*) FROM mail_outbox WHERE status = $1 AND locked_until IS NOT NULL", "queued")
            .await as usize;
        let received = self.all_mail().len();
        assert!(
            received >= sent && received <= sent + leased,
            "the sink has {received} messages for {sent} mails sent (+{leased} leased)"
        );
    }
}

/// `cluster.sh ARGS` with `CLUSTER_DIR` set to `dir`, bounded in time.
async fn script(dir: &std::path::Path, args: &[&str]) {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/cluster.sh");
    let mut cmd = std::process::Command::new("bash");
    cmd.arg(path).args(args).env("CLUSTER_DIR", dir);
    let what = args.join(" ");
    let out = tokio::time::timeout(Duration::from_secs(60), tokio::task::spawn_blocking(move || cmd.output()))
        .await
        .unwrap_or_else(|_| panic!("cluster.sh {what}: over 60 s"))
        .unwrap()
        .unwrap();
    assert!(
        out.status.success(),
        "cluster.sh {what}: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A client without cookies that never waits more than 10 s; redirects are answers, not followed.
pub fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .pool_max_idle_per_host(16)
        .build()
        .unwrap()
}

/// A browser-like client: its cookie jar is shared by every port of 127.0.0.1 (cookies ignore ports).
pub fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

/// A form post that succeeded: 2xx or a redirect that does not carry an error back to the form.
pub fn succeeded(res: &reqwest::Response) -> bool {
    let to_form = res.headers().get("location").and_then(|l| l.to_str().ok()).is_some_and(|l| l.contains("__err"));
    (res.status().is_success() || res.status().is_redirection()) && !to_form
}

/// A distinct client address for request `n` (10.x.y.z).
pub fn ip(n: usize) -> String {
    format!("10.{}.{}.{}", 1 + n / 65_536 % 250, n / 256 % 256, n % 256)
}

/// Quoted-printable undone: soft line breaks and `=XX` escapes (enough to read a link).
pub fn unqp(s: &str) -> String {
    let s = s.replace("=\r\n", "").replace("=\n", "");
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'=' && i + 2 < b.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
