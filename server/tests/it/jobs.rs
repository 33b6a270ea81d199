//! Background jobs run by several servers at the same instant (two pools on one database, each
//! job started on both at once, several rounds): every unit of work is done once.

use crate::common::*;
use app::ssr::{now, Db};
use sqlx::Row;

const PEOPLE: usize = 30;

async fn count(db: &Db, sql: &str) -> i64 {
    sqlx::query_scalar::<_, i64>(sql).fetch_one(&db.pool).await.unwrap()
}

/// `PEOPLE` verified residents; returns their ids.
async fn people(db: &Db, prefix: &str) -> Vec<i64> {
    let mut ids = vec![];
    for i in 0..PEOPLE {
        let email = format!("{prefix}{i}@exemplu.ro");
        let id = app::accounts::db::create_user(db, &email, "!", "Participant", "ro").await.unwrap();
        sqlx::query("UPDATE users SET email_verified_at = $1 WHERE id = $2")
            .bind(now())
            .bind(id)
            .execute(&db.pool)
            .await
            .unwrap();
        ids.push(id);
    }
    ids
}

/// Runs `job` on both servers at the same instant, three rounds.
macro_rules! on_both {
    ($a:expr, $b:expr, $job:expr) => {
        for _ in 0..3 {
            let (x, y) = tokio::join!($job(&$a), $job(&$b));
            x.unwrap();
            y.unwrap();
        }
    };
}

#[tokio::test]
async fn jobs_run_on_two_servers_at_once_do_each_unit_once() {
    for kind in backends() {
        let (a, url) = fresh_db(kind).await;
        app::init();
        server::demo::load(&a).await.unwrap();
        let b = Db::connect(&url, 8).await.unwrap();
        let settings = settings_for("http://127.0.0.1:1");

        // Event reminders: an event in three hours, everyone registered.
        let ids = people(&a, "eveniment").await;
        let t = now();
        let event: i64 = sqlx::query(
            "INSERT INTO events (slug, title, kind, starts_at, ends_at, created_at) VALUES ('intalnire-joburi', 'Întâlnire', 'meeting', $1, $2, $3) RETURNING id AS id",
        )
        .bind(t + 3 * 3600)
        .bind(t + 4 * 3600)
        .bind(t)
        .fetch_one(&a.pool)
        .await
        .unwrap()
        .get("id");
        for id in &ids {
            sqlx::query("INSERT INTO event_registrations (event_id, user_id, status, created_at) VALUES ($1, $2, 'confirmed', $3)")
                .bind(event)
                .bind(id)
                .bind(t)
                .execute(&a.pool)
                .await
                .unwrap();
        }
        let reminders = |db: &Db| {
            let db = db.clone();
            async move { app::orgs::events::send_reminders(&db, "http://127.0.0.1:1").await }
        };
        on_both!(a, b, reminders);
        let sent = count(&a, "SELECT COUNT(*) FROM mail_outbox WHERE kind = 'event_reminder'").await;
        assert_eq!(sent, PEOPLE as i64, "{kind:?}: one reminder per registration");

        // Closing soon: a demo consultation about to close, followed by everyone.
        let ids = people(&a, "urmaritor").await;
        let cid: i64 = count(&a, "SELECT MIN(id) FROM consultations").await;
        sqlx::query("UPDATE consultations SET status = 'open', opens_at = $1, closes_at = $2, closing_soon_sent_at = NULL WHERE id = $3")
            .bind(t - 86_400)
            .bind(t + 3600)
            .bind(cid)
            .execute(&a.pool)
            .await
            .unwrap();
        for id in &ids {
            app::consultations::db::follow(&a, cid, *id).await.unwrap();
        }
        let followers =
            count(&a, &format!("SELECT COUNT(*) FROM consultation_follows WHERE consultation_id = {cid}")).await;
        let closing = |db: &Db| {
            let (db, settings) = (db.clone(), settings.clone());
            async move { app::consultations::service::jobs::run_jobs(&db, &settings).await }
        };
        on_both!(a, b, closing);
        let sent = count(&a, "SELECT COUNT(*) FROM mail_outbox WHERE kind = 'consultations.closing_soon'").await;
        assert_eq!(sent, followers, "{kind:?}: one 'closing soon' per follower");

        // Overdue petitions: every demo report sent and past its deadline; organisations with an address.
        sqlx::query("UPDATE organisations SET contact_email = 'asociatia' || CAST(id AS TEXT) || '@exemplu.ro'")
            .execute(&a.pool)
            .await
            .unwrap();
        let today = t / 86_400;
        sqlx::query(
            "UPDATE map_reports SET state = 'sent', due_day = $1, registration_no = '123', overdue_notified = 0",
        )
        .bind(today - 1)
        .execute(&a.pool)
        .await
        .unwrap();
        let reports = count(&a, "SELECT COUNT(*) FROM map_reports").await;
        let with_org = count(
            &a,
            "SELECT COUNT(*) FROM map_reports r JOIN map_places p ON p.id = r.place_id JOIN organisations o ON o.id = p.org_id",
        )
        .await;
        let overdue = |db: &Db| {
            let db = db.clone();
            async move { app::map::notify_overdue(&db, "http://127.0.0.1:1").await }
        };
        on_both!(a, b, overdue);
        let sent = count(&a, "SELECT COUNT(*) FROM mail_outbox WHERE kind = 'map.report_overdue'").await;
        assert!(reports > 0, "the demo has reports");
        assert_eq!(sent, with_org, "{kind:?}: one notice per report with an organisation");
        assert_eq!(count(&a, "SELECT COUNT(*) FROM map_reports WHERE overdue_notified = 0").await, 0);

        // "Has it been fixed?": every report answered by the authority 30 days ago, each with a
        // reporter; one mail per report, whichever server claims it.
        let ids = people(&a, "sesizare").await;
        let report_ids: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM map_reports ORDER BY id").fetch_all(&a.pool).await.unwrap();
        for (i, r) in report_ids.iter().enumerate() {
            sqlx::query(
                "UPDATE map_reports SET state = 'answered', reporter_id = $1, followup_sent_at = NULL WHERE id = $2",
            )
            .bind(ids[i % ids.len()])
            .bind(r)
            .execute(&a.pool)
            .await
            .unwrap();
        }
        sqlx::query("DELETE FROM map_report_events WHERE action = 'answer'").execute(&a.pool).await.unwrap();
        sqlx::query(
            "INSERT INTO map_report_events (report_id, actor_role, action, to_state, comment, created_at)
             SELECT id, 'official', 'answer', 'answered', 'Răspuns.', $1 FROM map_reports",
        )
        .bind(t - 30 * 86_400)
        .execute(&a.pool)
        .await
        .unwrap();
        let followups = |db: &Db| {
            let (db, settings) = (db.clone(), settings.clone());
            async move { app::map::send_followups(&db, &settings).await }
        };
        on_both!(a, b, followups);
        let sent = count(&a, "SELECT COUNT(*) FROM mail_outbox WHERE kind = 'map.report_followup'").await;
        assert_eq!(sent, reports, "{kind:?}: one follow-up per answered report");
        assert_eq!(count(&a, "SELECT COUNT(*) FROM map_reports WHERE followup_sent_at IS NULL").await, 0);

        // The outbox itself: both servers sending at once deliver each mail once.
        let queued = count(&a, "SELECT COUNT(*) FROM mail_outbox WHERE status = 'queued'").await;
        let (port, mut rx) = crate::common::smtp::sink().await;
        let smtp = || {
            server::mail::Transport::from_config(
                Some(&format!("smtp://127.0.0.1:{port}")),
                "Participa <no-reply@exemplu.ro>",
            )
            .unwrap()
        };
        let (ta, tb) = (smtp(), smtp());
        loop {
            let (x, y) = tokio::join!(server::mail::deliver_due(&a, &ta), server::mail::deliver_due(&b, &tb));
            if x.unwrap() + y.unwrap() == 0 {
                break;
            }
        }
        let mut received = 0;
        while rx.try_recv().is_ok() {
            received += 1;
        }
        assert_eq!(received, queued, "{kind:?}: every queued mail reached the SMTP server once");
        assert_eq!(count(&a, "SELECT COUNT(*) FROM mail_outbox WHERE status = 'queued'").await, 0);
    }
}

#[tokio::test]
async fn the_newsletter_budget_is_one_for_the_whole_platform() {
    for kind in backends() {
        let (a, url) = fresh_db(kind).await;
        app::init();
        let b = Db::connect(&url, 8).await.unwrap();
        let settings = settings_for("http://127.0.0.1:1");
        for i in 0..40 {
            sqlx::query(
                "INSERT INTO newsletter_subscribers (email, status, consent_version, consent_at, consent_ip_hash, public_id, created_at)
                 VALUES ($1, 'confirmed', 'v1', $3, '', $2, $3)",
            )
            .bind(format!("abonat{i}@exemplu.ro"))
            .bind(app::ssr::public_id())
            .bind(now())
            .execute(&a.pool)
            .await
            .unwrap();
        }
        let issue = app::orgs::newsletter::db::create_issue(&a, "Noutăți", "Text", "", "", 0).await.unwrap();
        app::orgs::newsletter::db::set_issue_status(&a, issue, "draft", "sending").await.unwrap();
        // Two servers, each allowed 15 a minute on its own: together still 15 this minute.
        let (x, y) = tokio::join!(
            app::orgs::newsletter::send_batch(&a, &settings.keys, "http://127.0.0.1:1", 15),
            app::orgs::newsletter::send_batch(&b, &settings.keys, "http://127.0.0.1:1", 15)
        );
        assert_eq!(x.unwrap() + y.unwrap(), 15, "{kind:?}");
        assert_eq!(count(&a, "SELECT COUNT(*) FROM mail_outbox WHERE kind = 'newsletter'").await, 15);
        assert_eq!(
            count(&a, "SELECT COUNT(*) FROM newsletter_deliveries").await,
            15,
            "{kind:?}: no delivery without its mail"
        );
    }
}
