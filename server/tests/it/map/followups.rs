//! "Has it been fixed?" over real HTTP on SQLite and PostgreSQL: the mail goes once, 28 days after
//! the authority's answer; its link opens a page that changes nothing; the answer (no sign-in)
//! is recorded once on the timeline, a "yes" mailed to the organisation; bad links get a 400.

use super::*;

const ORG_MAIL: &str = "asociatia-urmarire@exemplu.ro";

/// A report on the demo school by a new resident, answered by the authority just now; the
/// organisation that owns the school has an address. (report, reporter id)
async fn answered_report(s: &TestServer, email: &str) -> (i64, i64) {
    user(s, email, None).await;
    let uid = app::accounts::db::find_user_by_email(&s.db, email).await.unwrap().unwrap().id;
    let place = id_of(s, "SELECT id FROM map_places WHERE name = $1", "Școala Gimnazială nr. 7").await;
    sqlx::query("UPDATE organisations SET contact_email = $1 WHERE id = (SELECT org_id FROM map_places WHERE id = $2)")
        .bind(ORG_MAIL)
        .bind(place)
        .execute(&s.db.pool)
        .await
        .unwrap();
    let now = app::ssr::now();
    let id: i64 = sqlx::query(
        "INSERT INTO map_reports (place_id, problem, description, state, reporter_id, created_at, updated_at)
         VALUES ($1, 'entrance', 'Trei trepte fără rampă.', 'answered', $2, $3, $3) RETURNING id",
    )
    .bind(place)
    .bind(uid)
    .bind(now)
    .fetch_one(&s.db.pool)
    .await
    .unwrap()
    .get(0);
    sqlx::query(
        "INSERT INTO map_report_events (report_id, actor_role, action, to_state, comment, created_at)
         VALUES ($1, 'official', 'answer', 'answered', 'Montăm o rampă.', $2)",
    )
    .bind(id)
    .bind(now)
    .execute(&s.db.pool)
    .await
    .unwrap();
    (id, uid)
}

/// Moves the authority's answer `days` into the past.
async fn answered_days_ago(s: &TestServer, report: i64, days: i64) {
    sqlx::query("UPDATE map_report_events SET created_at = $1 WHERE report_id = $2 AND action = 'answer'")
        .bind(app::ssr::now() - days * 86_400)
        .bind(report)
        .execute(&s.db.pool)
        .await
        .unwrap();
}

async fn mails(s: &TestServer, kind: &str, to: &str) -> i64 {
    sqlx::query("SELECT COUNT(*) FROM mail_outbox WHERE kind = $1 AND to_addr = $2")
        .bind(kind)
        .bind(to)
        .fetch_one(&s.db.pool)
        .await
        .unwrap()
        .get(0)
}

async fn events(s: &TestServer, report: i64) -> Vec<(String, String, String)> {
    sqlx::query("SELECT action, to_state, actor_role FROM map_report_events WHERE report_id = $1 ORDER BY id")
        .bind(report)
        .fetch_all(&s.db.pool)
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get("action"), r.get("to_state"), r.get("actor_role")))
        .collect()
}

async fn answer(s: &TestServer, report: i64, token: &str, answer: &str) -> reqwest::Response {
    client()
        .post(format!("{}/map/reports/{report}/follow-up", s.base))
        .header("origin", &s.base)
        .form(&[("token", token), ("answer", answer)])
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_follow_up_is_mailed_once_28_days_after_the_answer() {
    for kind in backends() {
        let s = spawn(kind).await;
        let email = "urmarire@exemplu.ro";
        let (report, _) = answered_report(&s, email).await;
        let (gone, gone_uid) = answered_report(&s, "plecat@exemplu.ro").await;
        sqlx::query("UPDATE users SET deleted_at = $1 WHERE id = $2")
            .bind(app::ssr::now())
            .bind(gone_uid)
            .execute(&s.db.pool)
            .await
            .unwrap();
        let (fixed, _) = answered_report(&s, "rezolvat@exemplu.ro").await;
        sqlx::query("UPDATE map_reports SET state = 'fixed' WHERE id = $1")
            .bind(fixed)
            .execute(&s.db.pool)
            .await
            .unwrap();

        let run = || app::map::send_followups(&s.db, &s.settings);
        run().await.unwrap();
        assert_eq!(mails(&s, "map.report_followup", email).await, 0, "{kind:?}: not on the day of the answer");
        answered_days_ago(&s, report, 27).await;
        run().await.unwrap();
        assert_eq!(mails(&s, "map.report_followup", email).await, 0, "{kind:?}: not after 27 days");
        for r in [report, gone, fixed] {
            answered_days_ago(&s, r, 29).await;
        }
        run().await.unwrap();
        assert_eq!(mails(&s, "map.report_followup", email).await, 1, "{kind:?}: after 28 days");
        run().await.unwrap();
        assert_eq!(mails(&s, "map.report_followup", email).await, 1, "{kind:?}: once");
        assert_eq!(mails(&s, "map.report_followup", "rezolvat@exemplu.ro").await, 0, "only reports still answered");
        let to_gone: i64 = sqlx::query("SELECT followup_sent_at FROM map_reports WHERE id = $1")
            .bind(gone)
            .fetch_one(&s.db.pool)
            .await
            .unwrap()
            .get::<Option<i64>, _>(0)
            .map_or(0, |_| 1);
        assert_eq!(to_gone, 0, "{kind:?}: a deleted reporter is not asked");
        let body: String =
            sqlx::query("SELECT body_text FROM mail_outbox WHERE kind = 'map.report_followup' AND to_addr = $1")
                .bind(email)
                .fetch_one(&s.db.pool)
                .await
                .unwrap()
                .get(0);
        assert!(body.contains(&format!("/map/reports/{report}/follow-up?token=")), "{body}");
        assert!(body.contains("Școala Gimnazială nr. 7"), "in Romanian, with the place: {body}");
    }
}

#[tokio::test]
async fn the_follow_up_link_answers_once_without_sign_in() {
    for kind in backends() {
        let s = spawn(kind).await;
        let email = "raspuns@exemplu.ro";
        let (report, uid) = answered_report(&s, email).await;
        answered_days_ago(&s, report, 29).await;
        app::map::send_followups(&s.db, &s.settings).await.unwrap();
        let token = s.token_for(email).await;
        let anon = client();

        // The page shows the question and changes nothing (mail scanners open links).
        let before = events(&s, report).await;
        let res = s.get(&anon, &format!("/map/reports/{report}/follow-up?token={token}")).await;
        assert_eq!(res.status(), 200, "{kind:?}");
        let page = res.text().await.unwrap();
        assert!(page.contains("S-a rezolvat?") && page.contains("Școala Gimnazială nr. 7"), "{page}");
        assert!(page.contains("value=\"yes\"") && page.contains("value=\"no\""), "two buttons: {page}");
        assert!(page.contains(&format!("action=\"/map/reports/{report}/follow-up\"")), "a plain form");
        assert_eq!(events(&s, report).await, before, "{kind:?}: a GET changes nothing");

        // Tampered, expired or another report's links are refused with a 400, nothing written.
        let tampered = format!("{}{}", &token[..token.len() - 1], if token.ends_with('0') { "1" } else { "0" });
        let res = s.get(&anon, &format!("/map/reports/{report}/follow-up?token={tampered}")).await;
        assert_eq!(res.status(), 400, "{kind:?}");
        assert!(res.text().await.unwrap().contains("nu este valid"));
        let res = answer(&s, report, &tampered, "yes").await;
        assert_eq!(res.status(), 400, "{kind:?}");
        assert!(res.text().await.unwrap().contains("nu este valid"));
        let old =
            app::map::service::followups::followup_token(&s.settings.keys, report, uid, app::ssr::now() - 61 * 86_400);
        assert_eq!(answer(&s, report, &old, "yes").await.status(), 400, "{kind:?}: expired");
        assert_eq!(answer(&s, report + 1, &token, "yes").await.status(), 400, "{kind:?}: another report");
        assert_eq!(answer(&s, report, &token, "perhaps").await.status(), 400, "{kind:?}: not an answer");
        assert_eq!(events(&s, report).await, before, "{kind:?}: nothing written by refused answers");

        // "Yes": the resident's proposal on the timeline, the state kept, the organisation mailed.
        let res = answer(&s, report, &token, "yes").await;
        assert_eq!(res.status(), 303, "{kind:?}");
        assert_eq!(res.headers()["location"].to_str().unwrap(), format!("/map/reports/{report}?followup=yes"));
        let after = events(&s, report).await;
        assert_eq!(after.len(), before.len() + 1);
        assert_eq!(after.last().unwrap(), &("propose_fixed".into(), "answered".into(), "reporter".into()));
        assert_eq!(state_of(&s, report).await, "answered", "{kind:?}: the organisation confirms");
        assert_eq!(mails(&s, "map.followup_fixed", ORG_MAIL).await, 1, "{kind:?}");
        let page = s.get(&anon, &format!("/map/reports/{report}?followup=yes")).await.text().await.unwrap();
        assert!(page.contains("Organizația a fost rugată să confirme"), "{kind:?}: the notice");

        // A second answer is refused politely and writes nothing.
        let res = answer(&s, report, &token, "no").await;
        assert_eq!(res.headers()["location"].to_str().unwrap(), format!("/map/reports/{report}?followup=already"));
        assert_eq!(events(&s, report).await, after, "{kind:?}: answered once");
        assert_eq!(mails(&s, "map.followup_fixed", ORG_MAIL).await, 1);
        let page = s.get(&anon, &format!("/map/reports/{report}/follow-up?token={token}")).await;
        assert_eq!(page.status(), 200);
        let page = page.text().await.unwrap();
        assert!(page.contains("Ați răspuns deja") && !page.contains("value=\"yes\""), "{kind:?}: no buttons left");

        // "Not yet" on another report: a note on its timeline, translated; no mail.
        let email = "inca@exemplu.ro";
        let (other, _) = answered_report(&s, email).await;
        answered_days_ago(&s, other, 29).await;
        app::map::send_followups(&s.db, &s.settings).await.unwrap();
        let token = s.token_for(email).await;
        let res = answer(&s, other, &token, "no").await;
        assert_eq!(res.headers()["location"].to_str().unwrap(), format!("/map/reports/{other}?followup=no"));
        assert_eq!(
            events(&s, other).await.last().unwrap(),
            &("still_broken".into(), "answered".into(), "reporter".into())
        );
        assert_eq!(state_of(&s, other).await, "answered");
        assert_eq!(mails(&s, "map.followup_fixed", ORG_MAIL).await, 1, "{kind:?}: only a yes is mailed");
        let page = s.get(&anon, &format!("/map/reports/{other}?followup=no")).await.text().await.unwrap();
        assert!(page.contains("Încă nerezolvat, spune autorul sesizării"), "{kind:?}: the history's label");
    }
}
