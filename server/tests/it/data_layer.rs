//! The data layer on both databases: migrations, link tokens, sessions, rate limits, roles,
//! anonymisation and the mail outbox (delivered over real SMTP to a local sink).

use crate::common::*;
use app::accounts::{db, rules::RoleKind};
use app::ssr::{now, rate_limit};
use sqlx::Row;

#[tokio::test]
async fn migrations_are_idempotent() {
    for kind in backends() {
        let (db, _) = fresh_db(kind).await;
        assert_eq!(server::db::migrate(&db).await.unwrap(), 0, "{kind:?}: nothing left to apply");
        server::demo::load(&db).await.unwrap();
        server::demo::load(&db).await.unwrap();
        let n: i64 = sqlx::query("SELECT COUNT(*) FROM organisations WHERE is_demo = 1")
            .fetch_one(&db.pool)
            .await
            .unwrap()
            .get(0);
        assert_eq!(n, 13, "demo data loads once");
    }
}

#[tokio::test]
async fn link_tokens_are_single_use_and_expire() {
    for kind in backends() {
        let (db, _) = fresh_db(kind).await;
        let id = db::create_user(&db, "t@exemplu.ro", "x", "T", "ro").await.unwrap();
        db::create_token(&db, id, "verify", None, "h1", now() + 60).await.unwrap();
        db::create_token(&db, id, "reset", None, "h2", now() - 1).await.unwrap();
        assert_eq!(db::take_token(&db, "h1", &["reset"]).await.unwrap(), None, "wrong purpose");
        assert_eq!(db::take_token(&db, "h1", &["verify"]).await.unwrap().map(|t| t.0), Some(id));
        assert_eq!(db::take_token(&db, "h1", &["verify"]).await.unwrap(), None, "used once");
        assert_eq!(db::take_token(&db, "h2", &["reset"]).await.unwrap(), None, "expired");
    }
}

#[tokio::test]
async fn sessions_expire_and_carry_roles() {
    for kind in backends() {
        let (db, _) = fresh_db(kind).await;
        let id = db::create_user(&db, "s@exemplu.ro", "x", "S", "ro").await.unwrap();
        db::create_session(&db, "live", id, now() + 60, "test").await.unwrap();
        db::create_session(&db, "old", id, now() - 1, "test").await.unwrap();
        db::grant_role(&db, id, RoleKind::Moderator, 0, id).await.unwrap();
        db::grant_role(&db, id, RoleKind::Moderator, 0, id).await.unwrap();
        let u = db::session_user(&db, "live", now(), 3600).await.unwrap().unwrap();
        assert_eq!(u.roles.len(), 1, "granting twice keeps one role");
        assert!(u.has(RoleKind::Moderator));
        assert!(db::session_user(&db, "old", now(), 3600).await.unwrap().is_none());
        assert_eq!(db::purge_expired(&db).await.unwrap(), 1);
    }
}

#[tokio::test]
async fn rate_limit_counts_within_a_window() {
    for kind in backends() {
        let (db, _) = fresh_db(kind).await;
        for _ in 0..3 {
            assert_eq!(rate_limit::hit(&db, "k", 3, 3600).await.unwrap(), None);
        }
        let wait = rate_limit::hit(&db, "k", 3, 3600).await.unwrap().expect("fourth is over the limit");
        assert!(wait > 0 && wait <= 3600);
        rate_limit::clear(&db, "k").await.unwrap();
        assert_eq!(rate_limit::hit(&db, "k", 3, 3600).await.unwrap(), None, "cleared: counting starts again");
    }
}

#[tokio::test]
async fn erasing_removes_personal_data_but_keeps_the_row() {
    for kind in backends() {
        let (db, _) = fresh_db(kind).await;
        let id = db::create_user(&db, "p@exemplu.ro", "hash", "Petra", "ro").await.unwrap();
        db::update_profile(&db, id, "Petra", "Iași", "Iași").await.unwrap();
        db::create_session(&db, "sess", id, now() + 60, "ua").await.unwrap();
        let queued = app::ssr::mail::compose(
            app::i18n::Lang::Ro,
            "p@exemplu.ro",
            "test",
            app::i18n::K::mail_verify_subject,
            &[],
            None,
        );
        app::ssr::mail::enqueue(&db, &queued).await.unwrap();
        // Deletion walks every feature's registered sources; here the account's own.
        app::init();
        let store =
            app::ssr::storage::Store::local(&std::env::temp_dir().join(format!("participa-erase-{id}-{kind:?}")))
                .unwrap();
        let person = app::ssr::personal::Person { id, email: "p@exemplu.ro".into() };
        app::ssr::personal::erase_all(&db, &store, &person).await.unwrap();
        let left: i64 = sqlx::query("SELECT COUNT(*) FROM mail_outbox").fetch_one(&db.pool).await.unwrap().get(0);
        assert_eq!(left, 0, "nothing is sent to a deleted account");
        let r = sqlx::query("SELECT email, display_name, locality, password_hash, deleted_at FROM users WHERE id = $1")
            .bind(id)
            .fetch_one(&db.pool)
            .await
            .unwrap();
        assert_eq!(r.get::<String, _>("email"), app::accounts::rules::anonymised_email(id));
        assert_eq!(r.get::<String, _>("display_name"), "");
        assert_eq!(r.get::<String, _>("locality"), "");
        assert_eq!(r.get::<String, _>("password_hash"), "");
        assert!(r.get::<Option<i64>, _>("deleted_at").is_some());
        assert!(db::session_user(&db, "sess", now(), 3600).await.unwrap().is_none());
    }
}

#[tokio::test]
async fn outbox_survives_an_smtp_outage_and_delivers_later() {
    for kind in backends() {
        let (db, _) = fresh_db(kind).await;
        let mail = app::ssr::mail::compose(
            app::i18n::Lang::Ro,
            "dest@exemplu.ro",
            "test",
            app::i18n::K::mail_verify_subject,
            &["Salut ș ț".into()],
            None,
        );
        app::ssr::mail::enqueue(&db, &mail).await.unwrap();

        // Nothing listens on this port: the send fails, the mail stays queued with a later retry.
        let closed = { tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap().local_addr().unwrap().port() };
        let down = server::mail::Transport::from_config(
            Some(&format!("smtp://127.0.0.1:{closed}")),
            "Participa <no-reply@exemplu.ro>",
        )
        .unwrap();
        assert_eq!(server::mail::deliver_due(&db, &down).await.unwrap(), 1);
        let r =
            sqlx::query("SELECT status, attempts, next_attempt_at FROM mail_outbox").fetch_one(&db.pool).await.unwrap();
        assert_eq!(r.get::<String, _>("status"), "queued");
        assert_eq!(r.get::<i64, _>("attempts"), 1);
        assert!(r.get::<i64, _>("next_attempt_at") > now());

        // Once due again and the server is up, it is delivered exactly once.
        sqlx::query("UPDATE mail_outbox SET next_attempt_at = 0").execute(&db.pool).await.unwrap();
        let (port, mut rx) = crate::common::smtp::sink().await;
        let up = server::mail::Transport::from_config(
            Some(&format!("smtp://127.0.0.1:{port}")),
            "Participa <no-reply@exemplu.ro>",
        )
        .unwrap();
        assert_eq!(server::mail::deliver_due(&db, &up).await.unwrap(), 1);
        let data = rx.recv().await.unwrap();
        assert!(data.contains("dest@exemplu.ro"));
        assert!(data.contains("multipart/alternative"), "plain text and HTML");
        assert_eq!(server::mail::deliver_due(&db, &up).await.unwrap(), 0, "nothing left");
        let status: String = sqlx::query("SELECT status FROM mail_outbox").fetch_one(&db.pool).await.unwrap().get(0);
        assert_eq!(status, "sent");
    }
}

#[tokio::test]
async fn a_hard_bounce_stops_the_newsletter_and_is_counted_per_issue() {
    for kind in backends() {
        let (db, _) = fresh_db(kind).await;
        for (email, status) in [("nobody@exemplu.ro", "confirmed"), ("ana@exemplu.ro", "confirmed")] {
            sqlx::query(
                "INSERT INTO newsletter_subscribers (email, status, consent_version, consent_at, consent_ip_hash, created_at)
                 VALUES ($1, $2, 'v1', $3, 'h', $3)",
            )
            .bind(email)
            .bind(status)
            .bind(now())
            .execute(&db.pool)
            .await
            .unwrap();
        }
        let issue = app::orgs::newsletter::db::create_issue(&db, "Noutăți", "Text", "", "", 0).await.unwrap();
        let subs =
            sqlx::query("SELECT id, email FROM newsletter_subscribers ORDER BY id").fetch_all(&db.pool).await.unwrap();
        for s in &subs {
            let to: String = s.get("email");
            let m = app::ssr::mail::compose(
                app::i18n::Lang::Ro,
                &to,
                "newsletter",
                app::i18n::K::mail_verify_subject,
                &[],
                None,
            );
            let done = app::orgs::newsletter::db::deliver_issue_mail(&db, issue, s.get("id"), &m, 1000).await.unwrap();
            assert_eq!(done, app::orgs::newsletter::db::Delivery::Queued);
        }
        let (port, mut rx) = crate::common::smtp::sink().await;
        let smtp = server::mail::Transport::from_config(
            Some(&format!("smtp://127.0.0.1:{port}")),
            "Participa <no-reply@exemplu.ro>",
        )
        .unwrap();
        assert_eq!(server::mail::deliver_due(&db, &smtp).await.unwrap(), 2);
        assert!(rx.recv().await.unwrap().contains("ana@exemplu.ro"));
        let statuses: Vec<(String, String)> = sqlx::query("SELECT to_addr, status FROM mail_outbox ORDER BY id")
            .fetch_all(&db.pool)
            .await
            .unwrap()
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect();
        assert_eq!(
            statuses,
            vec![("nobody@exemplu.ro".into(), "bounced".into()), ("ana@exemplu.ro".into(), "sent".into())],
            "a 550 is final: no retry"
        );
        let sub_status: String =
            sqlx::query("SELECT status FROM newsletter_subscribers WHERE email = 'nobody@exemplu.ro'")
                .fetch_one(&db.pool)
                .await
                .unwrap()
                .get(0);
        assert_eq!(sub_status, "bounced");
        let row = app::orgs::newsletter::db::issues(&db).await.unwrap().into_iter().find(|i| i.id == issue).unwrap();
        assert_eq!((row.sent, row.bounced, row.unsubscribed), (2, 1, 0));
    }
}
