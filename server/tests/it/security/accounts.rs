//! Go-live security (#13), accounts and mail, over real HTTP on SQLite and PostgreSQL: sign-in
//! limits that hold under concurrency and behind a proxy, registration timing, reset and e-mail
//! change links, idle and listed sessions, and an outbox that keeps no live links.
//! Each test names the threat it closes and says, in one line, what the code before #13 did.

use crate::common::*;
use app::accounts::*;
use app::error::Problem;
use app::i18n::K;
use leptos::server_fn::ServerFn;
use sqlx::Row;
use std::time::{Duration, Instant};

const PASSWORD: &str = "parola-buna-7";

/// The problem a refused server function answered with (every feature's error is a `Problem`);
/// a macro, so a failure points at the line that expected the refusal.
macro_rules! problem {
    ($res:expr) => {{
        let res: reqwest::Response = $res;
        let status = res.status();
        let body = res.text().await.unwrap();
        assert!(status.is_client_error(), "a refusal is a 4xx, got {status}: {body}");
        serde_json::from_str::<Problem>(&body).unwrap_or_else(|e| panic!("not a Problem ({e}): {body}"))
    }};
}

/// A server function that succeeded and asked the page to go to the returned path.
fn redirected(res: &reqwest::Response) -> String {
    assert!(res.status().is_success() || res.status() == 302, "status {}", res.status());
    res.headers().get("location").expect("a redirect").to_str().unwrap().to_string()
}

fn login_failed(p: &Problem) -> bool {
    p.form().is_some_and(|f| f.errors.iter().any(|e| e.msg == K::err_login_failed))
}

async fn register(s: &TestServer, c: &reqwest::Client, email: &str) -> reqwest::Response {
    s.call(c, Register::PATH, &[("display_name", "Ana Pop"), ("email", email), ("password", PASSWORD), ("website", "")])
        .await
}

async fn login(s: &TestServer, c: &reqwest::Client, email: &str) {
    let res = s.call(c, Login::PATH, &[("email", email), ("password", PASSWORD), ("next", "")]).await;
    assert_eq!(redirected(&res), "/account", "{email} signs in");
}

/// A registered, verified account, signed in on a new client.
async fn account(s: &TestServer, email: &str) -> reqwest::Client {
    let c = client();
    assert_eq!(redirected(&register(s, &c, email).await), "/account/check-email");
    let token = s.token_for(email).await;
    assert_eq!(redirected(&s.call(&c, VerifyEmail::PATH, &[("token", &token)]).await), "/account/verified");
    login(s, &c, email).await;
    c
}

/// The same account signed in on another device.
async fn device(s: &TestServer, email: &str) -> reqwest::Client {
    let c = client();
    login(s, &c, email).await;
    c
}

async fn me(s: &TestServer, c: &reqwest::Client) -> Option<SessionUser> {
    s.call(c, GetMe::PATH, &[]).await.json().await.unwrap()
}

async fn user_id(s: &TestServer, email: &str) -> i64 {
    db::find_user_by_email(&s.db, email).await.unwrap().unwrap().id
}

async fn last_mail_kind(s: &TestServer, to: &str) -> String {
    sqlx::query("SELECT kind FROM mail_outbox WHERE to_addr = $1 ORDER BY id DESC LIMIT 1")
        .bind(to)
        .fetch_one(&s.db.pool)
        .await
        .unwrap()
        .get(0)
}

/// A wrong-password sign-in from `ip` as the last `X-Forwarded-For` entry, with `spoofed` before it.
async fn login_via_proxy(s: &TestServer, email: &str, spoofed: &str, ip: &str) -> Problem {
    let res = client()
        .post(format!("{}{}", s.base, Login::PATH))
        .header("origin", &s.base)
        .header("x-forwarded-for", format!("{spoofed}, {ip}"))
        .form(&[("email", email), ("password", "gresita-123"), ("next", "")])
        .send()
        .await
        .unwrap();
    problem!(res)
}

#[tokio::test]
async fn sign_in_attempts_are_counted_before_the_password_is_checked() {
    // Old code: checked the count, verified the password, then counted: all 30 concurrent guesses were tried.
    for kind in backends() {
        let s = spawn(kind).await;
        account(&s, "tinta@exemplu.ro").await;
        assert_eq!(s.settings.login_limit, 5);
        let mut set = tokio::task::JoinSet::new();
        for i in 0..30 {
            let (base, c) = (s.base.clone(), client());
            set.spawn(async move {
                let guess = format!("gresita-{i:03}");
                let res = c
                    .post(format!("{base}{}", Login::PATH))
                    .header("origin", &base)
                    .form(&[("email", "tinta@exemplu.ro"), ("password", guess.as_str()), ("next", "")])
                    .send()
                    .await
                    .unwrap();
                problem!(res)
            });
        }
        let (mut tried, mut limited) = (0, 0);
        while let Some(p) = set.join_next().await {
            match p.unwrap() {
                p if login_failed(&p) => tried += 1,
                Problem::RateLimited { retry_after_secs, .. } => {
                    assert!(retry_after_secs > 0);
                    limited += 1
                }
                other => panic!("{kind:?}: neither a failed sign-in nor a limit: {other:?}"),
            }
        }
        assert!((1..=5).contains(&tried), "{kind:?}: {tried} passwords were checked against a limit of 5");
        assert_eq!(tried + limited, 30, "{kind:?}");
    }
}

#[tokio::test]
async fn forwarded_for_cannot_be_rotated_to_escape_limits() {
    // Old code: TRUST_PROXY took the leftmost X-Forwarded-For entry, which the client writes: rotate it, no limit.
    for kind in backends() {
        let s = spawn_with(kind, |st| st.proxy_hops = 1).await;
        let per_ip = s.settings.login_limit * 4;
        // Another address per try (so the per-account limit never trips), another forged entry
        // per try, the same address appended by our proxy.
        for i in 0..per_ip {
            let p = login_via_proxy(&s, &format!("p{i}@exemplu.ro"), &format!("10.9.{i}.1"), "198.51.100.7").await;
            assert!(login_failed(&p), "{kind:?}: try {i} is within the limit: {p:?}");
        }
        let p = login_via_proxy(&s, "inca-una@exemplu.ro", "10.9.250.1", "198.51.100.7").await;
        assert!(matches!(p, Problem::RateLimited { .. }), "{kind:?}: a fresh forged entry changes nothing: {p:?}");
        let p = login_via_proxy(&s, "inca-una@exemplu.ro", "6.6.6.6, 7.7.7.7", "198.51.100.7").await;
        assert!(matches!(p, Problem::RateLimited { .. }), "{kind:?}: nor several: {p:?}");
        // Someone else behind the same proxy has their own budget.
        let p = login_via_proxy(&s, "vecin@exemplu.ro", "10.9.250.1", "198.51.100.8").await;
        assert!(login_failed(&p), "{kind:?}: another client address is another bucket: {p:?}");
    }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

#[tokio::test]
async fn registration_takes_as_long_for_a_registered_address() {
    // Old code: a registered address skipped the password hash and answered in 2.8 ms instead of 23 ms.
    for kind in backends() {
        let s = spawn(kind).await;
        const N: usize = 7;
        // One registered address per try: each address may only be tried 3 times an hour.
        for i in 0..N {
            db::create_user(&s.db, &format!("exista{i}@exemplu.ro"), "x", "Ana", "ro").await.unwrap();
        }
        let c = client();
        register(&s, &c, "incalzire@exemplu.ro").await; // the first request warms the server up
        let (mut existing, mut new) = (vec![], vec![]);
        for i in 0..N {
            for (addr, into) in
                [(format!("exista{i}@exemplu.ro"), &mut existing), (format!("nou{i}@exemplu.ro"), &mut new)]
            {
                let t = Instant::now();
                let res = register(&s, &c, &addr).await;
                into.push(t.elapsed());
                assert_eq!(redirected(&res), "/account/check-email", "the same answer for {addr}");
            }
        }
        let (existing, new) = (median(existing), median(new));
        assert!(existing * 2 >= new, "{kind:?}: a registered address answers in {existing:?}, a new one in {new:?}");
    }
}

#[tokio::test]
async fn a_completed_reset_voids_older_reset_links() {
    // Old code: only the link used was spent; an older reset link still set a new password.
    for kind in backends() {
        let s = spawn(kind).await;
        let phone = account(&s, "maria@exemplu.ro").await;
        let laptop = client();
        redirected(&s.call(&laptop, ForgotPassword::PATH, &[("email", "maria@exemplu.ro")]).await);
        let older = s.token_for("maria@exemplu.ro").await;
        redirected(&s.call(&laptop, ForgotPassword::PATH, &[("email", "maria@exemplu.ro")]).await);
        let newest = s.token_for("maria@exemplu.ro").await;
        assert_ne!(older, newest);
        let res = s.call(&laptop, ResetPassword::PATH, &[("token", &newest), ("password", "alta-parola-9")]).await;
        assert_eq!(redirected(&res), "/account?saved=password");
        let res = s.call(&client(), ResetPassword::PATH, &[("token", &older), ("password", "a-treia-parola-1")]).await;
        assert_eq!(problem!(res), Problem::Refused(K::err_link_invalid), "{kind:?}");
        assert!(me(&s, &phone).await.is_none(), "{kind:?}: the other device was signed out");
        assert!(me(&s, &laptop).await.is_some(), "{kind:?}: the device that reset stays signed in");
        // The password set with the newest link is the one that works.
        let res = s
            .call(&client(), Login::PATH, &[("email", "maria@exemplu.ro"), ("password", "alta-parola-9"), ("next", "")])
            .await;
        assert_eq!(redirected(&res), "/account");
    }
}

#[tokio::test]
async fn changing_the_email_ends_other_sessions_and_tells_the_old_address() {
    // Old code: other devices stayed signed in, the old address heard nothing and its reset link still worked.
    for kind in backends() {
        let s = spawn(kind).await;
        let a = account(&s, "vechi@exemplu.ro").await;
        let b = device(&s, "vechi@exemplu.ro").await;
        // A reset link mailed to the old address before the change (say, to a mailbox someone else reads).
        redirected(&s.call(&client(), ForgotPassword::PATH, &[("email", "vechi@exemplu.ro")]).await);
        let old_reset = s.token_for("vechi@exemplu.ro").await;

        let res = s.call(&a, ChangeEmail::PATH, &[("email", "nou@exemplu.ro"), ("password", PASSWORD)]).await;
        assert_eq!(redirected(&res), "/account?saved=email");
        let token = s.token_for("nou@exemplu.ro").await;
        assert_eq!(redirected(&s.call(&a, VerifyEmail::PATH, &[("token", &token)]).await), "/account/verified");

        assert_eq!(me(&s, &a).await.expect("the device that confirmed stays").email, "nou@exemplu.ro");
        assert!(me(&s, &b).await.is_none(), "{kind:?}: the other device was signed out");
        assert_eq!(last_mail_kind(&s, "vechi@exemplu.ro").await, "email_changed", "{kind:?}");
        let body: String = sqlx::query("SELECT body_text FROM mail_outbox WHERE to_addr = $1 ORDER BY id DESC LIMIT 1")
            .bind("vechi@exemplu.ro")
            .fetch_one(&s.db.pool)
            .await
            .unwrap()
            .get(0);
        assert!(body.contains("nou@exemplu.ro"), "the old address is told where the account went: {body}");
        let res = s.call(&client(), ResetPassword::PATH, &[("token", &old_reset), ("password", "preluare-123")]).await;
        assert_eq!(problem!(res), Problem::Refused(K::err_link_invalid), "{kind:?}");
    }
}

#[tokio::test]
async fn idle_sessions_end() {
    // Old code: a session lasted 30 days from sign-in however long it lay unused.
    for kind in backends() {
        let s = spawn_with(kind, |st| st.idle_timeout_secs = 600).await;
        let used = account(&s, "activ@exemplu.ro").await;
        let idle = account(&s, "inactiv@exemplu.ro").await;
        for email in ["activ@exemplu.ro", "inactiv@exemplu.ro"] {
            let gap = if email == "activ@exemplu.ro" { 500 } else { 700 };
            sqlx::query("UPDATE sessions SET last_seen_at = last_seen_at - $1 WHERE user_id = $2")
                .bind(gap)
                .bind(user_id(&s, email).await)
                .execute(&s.db.pool)
                .await
                .unwrap();
        }
        assert!(me(&s, &used).await.is_some(), "{kind:?}: 500 s idle is within 600 s");
        assert!(me(&s, &idle).await.is_none(), "{kind:?}: 700 s idle ends the session");
    }
}

#[tokio::test]
async fn people_see_and_end_their_other_sessions() {
    // Old code: no list of one's sessions and no "sign out everywhere" short of a password reset.
    for kind in backends() {
        let s = spawn(kind).await;
        let laptop = account(&s, "ioana@exemplu.ro").await;
        let phone = device(&s, "ioana@exemplu.ro").await;
        let list: Vec<SessionInfo> = s.call(&laptop, MySessions::PATH, &[]).await.json().await.unwrap();
        assert_eq!(list.len(), 2, "{kind:?}: {list:?}");
        assert_eq!(list.iter().filter(|i| i.current).count(), 1, "{kind:?}: exactly one is this device");
        let other = list.iter().find(|i| !i.current).unwrap().public_id.clone();
        assert!(!other.is_empty() && other != list.iter().find(|i| i.current).unwrap().public_id);

        // Someone else cannot end it by its public id.
        let stranger = account(&s, "strain@exemplu.ro").await;
        redirected(&s.call(&stranger, EndSessions::PATH, &[("session", &other)]).await);
        assert!(me(&s, &phone).await.is_some(), "{kind:?}: a stranger ended nobody's session");
        let res = s.call(&client(), EndSessions::PATH, &[("session", "all")]).await;
        assert_eq!(problem!(res), Problem::Unauthenticated);

        redirected(&s.call(&laptop, EndSessions::PATH, &[("session", &other)]).await);
        assert!(me(&s, &phone).await.is_none(), "{kind:?}: the phone was signed out");
        assert!(me(&s, &laptop).await.is_some());
        let list: Vec<SessionInfo> = s.call(&laptop, MySessions::PATH, &[]).await.json().await.unwrap();
        assert_eq!(list.len(), 1);

        let tablet = device(&s, "ioana@exemplu.ro").await;
        let desktop = device(&s, "ioana@exemplu.ro").await;
        redirected(&s.call(&laptop, EndSessions::PATH, &[("session", "all")]).await);
        assert!(me(&s, &tablet).await.is_none() && me(&s, &desktop).await.is_none(), "{kind:?}: everywhere else");
        assert!(me(&s, &laptop).await.is_some(), "{kind:?}: but here");
        assert!(me(&s, &stranger).await.is_some(), "{kind:?}: and nobody else's");
        let list: Vec<SessionInfo> = s.call(&laptop, MySessions::PATH, &[]).await.json().await.unwrap();
        assert!(list.len() == 1 && list[0].current, "{kind:?}: {list:?}");
    }
}

/// A message's text as a reader sees it: quoted-printable soft breaks joined, `=3D` decoded, and
/// base64 parts decoded, whichever transfer encoding the mailer chose.
fn readable(message: &str) -> String {
    use base64::Engine;
    let mut out = message.replace("=\n", "").replace("=3D", "=");
    // 0: outside, 1: in the headers of a base64 part, 2: in its body.
    let (mut state, mut b64) = (0, String::new());
    for line in message.lines() {
        match state {
            _ if line.eq_ignore_ascii_case("Content-Transfer-Encoding: base64") => state = 1,
            1 if line.is_empty() => state = 2,
            2 if line.is_empty() || line.starts_with("--") => {
                if let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(&b64) {
                    out.push_str(&String::from_utf8_lossy(&bytes));
                }
                b64.clear();
                state = 0;
            }
            2 => b64.push_str(line.trim()),
            _ => {}
        }
    }
    out
}

#[tokio::test]
async fn outbox_keeps_no_live_links_after_delivery_and_is_hidden_with_smtp() {
    // Old code: sent mail kept its live reset links forever, readable by admins even with SMTP; nothing purged.
    for kind in backends() {
        // With SMTP configured, no admin reads the outbox.
        let s = spawn_with(kind, |st| st.outbox_only = false).await;
        let admin = account(&s, "admin@exemplu.ro").await;
        let id = user_id(&s, "admin@exemplu.ro").await;
        db::grant_role(&s.db, id, rules::RoleKind::Admin, 0, id).await.unwrap();
        let res = s.call(&admin, AdminOutbox::PATH, &[]).await;
        assert_eq!(problem!(res), Problem::Refused(K::outbox_smtp), "{kind:?}");

        // Without SMTP (a demo, a first install) it is how mail is read.
        let s = spawn(kind).await;
        assert!(s.settings.outbox_only);
        let admin = account(&s, "admin@exemplu.ro").await;
        let id = user_id(&s, "admin@exemplu.ro").await;
        db::grant_role(&s.db, id, rules::RoleKind::Admin, 0, id).await.unwrap();
        let victim = account(&s, "victima@exemplu.ro").await;
        redirected(&s.call(&client(), ForgotPassword::PATH, &[("email", "victima@exemplu.ro")]).await);
        let token = s.token_for("victima@exemplu.ro").await;
        let reset_id: i64 = sqlx::query("SELECT id FROM mail_outbox WHERE to_addr = $1 AND kind = 'reset'")
            .bind("victima@exemplu.ro")
            .fetch_one(&s.db.pool)
            .await
            .unwrap()
            .get(0);
        let outbox: Vec<OutboxMail> = s.call(&admin, AdminOutbox::PATH, &[]).await.json().await.unwrap();
        assert!(outbox.iter().any(|m| m.id == reset_id), "{kind:?}: listed while no SMTP is configured");

        // Delivered over SMTP: the recipient gets the link, the kept row keeps no text.
        let (port, mut rx) = crate::common::smtp::sink().await;
        let smtp = server::mail::Transport::from_config(
            Some(&format!("smtp://127.0.0.1:{port}")),
            "Participa <no-reply@exemplu.ro>",
        )
        .unwrap();
        let mut sent = 0;
        for _ in 0..20 {
            match server::mail::deliver_due(&s.db, &smtp).await.unwrap() {
                0 => break,
                n => sent += n,
            }
        }
        assert!(sent >= 1);
        let mut got = vec![];
        while let Ok(m) = rx.try_recv() {
            got.push(readable(&m));
        }
        assert_eq!(got.len(), sent, "{kind:?}: every delivered mail reached the sink");
        assert!(
            got.iter().any(|m| m.contains("victima@exemplu.ro") && m.contains(&format!("token={token}"))),
            "{kind:?}: the reset link reached its recipient"
        );
        let r = sqlx::query("SELECT status, body_text, body_html FROM mail_outbox WHERE id = $1")
            .bind(reset_id)
            .fetch_one(&s.db.pool)
            .await
            .unwrap();
        assert_eq!(r.get::<String, _>("status"), "sent");
        assert_eq!(r.get::<String, _>("body_text"), "", "{kind:?}: no live link kept");
        assert_eq!(r.get::<String, _>("body_html"), "", "{kind:?}: not in the HTML either");
        let outbox: Vec<OutboxMail> = s.call(&admin, AdminOutbox::PATH, &[]).await.json().await.unwrap();
        assert!(outbox.iter().all(|m| !m.body_text.contains(&token)), "{kind:?}: the admin cannot read the link");
        // The link still works for its recipient.
        let res = s.call(&victim, ResetPassword::PATH, &[("token", &token), ("password", "alta-parola-9")]).await;
        assert_eq!(redirected(&res), "/account?saved=password");

        // Retention: finished mail older than a week goes; queued mail and last week's stay.
        let old = app::ssr::now() - 8 * 86_400;
        let queued = app::ssr::mail::compose(
            app::i18n::Lang::Ro,
            "asteapta@exemplu.ro",
            "test",
            K::mail_verify_subject,
            &["Încă nu a plecat.".into()],
            None,
        );
        app::ssr::mail::enqueue(&s.db, &queued).await.unwrap();
        sqlx::query("UPDATE mail_outbox SET created_at = $1 WHERE id = $2 OR to_addr = 'asteapta@exemplu.ro'")
            .bind(old)
            .bind(reset_id)
            .execute(&s.db.pool)
            .await
            .unwrap();
        let count = |sql: &'static str| {
            let pool = s.db.pool.clone();
            async move { sqlx::query(sql).fetch_one(&pool).await.unwrap().get::<i64, _>(0) }
        };
        let recent_sent =
            count("SELECT COUNT(*) FROM mail_outbox WHERE status = 'sent' AND to_addr <> 'victima@exemplu.ro'").await;
        assert!(recent_sent >= 1, "a recently delivered mail to keep");
        assert!(server::mail::purge(&s.db).await.unwrap() >= 1);
        let left: i64 = sqlx::query("SELECT COUNT(*) FROM mail_outbox WHERE id = $1")
            .bind(reset_id)
            .fetch_one(&s.db.pool)
            .await
            .unwrap()
            .get(0);
        assert_eq!(left, 0, "{kind:?}: the week-old delivered mail is purged");
        assert_eq!(count("SELECT COUNT(*) FROM mail_outbox WHERE to_addr = 'asteapta@exemplu.ro'").await, 1);
        assert_eq!(
            count("SELECT COUNT(*) FROM mail_outbox WHERE status = 'sent' AND to_addr <> 'victima@exemplu.ro'").await,
            recent_sent,
            "{kind:?}: recent mail stays"
        );
    }
}
