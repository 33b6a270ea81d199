//! The newsletter: double opt-in, one-click unsubscribe, issues in resumable batches.
use super::*;

#[tokio::test]
async fn newsletter_double_opt_in_and_one_click_unsubscribe() {
    use app::orgs::newsletter::*;
    for kind in backends() {
        let s = spawn(kind).await;
        let c = client();
        let form = |consent: &'static str| {
            vec![
                ("email", "cititor@exemplu.ro"),
                ("topics[]", "map"),
                ("topics[]", "trainings"),
                ("county", "Vrancea"),
                ("consent", consent),
                ("website", ""),
            ]
        };
        // Consent is required and its absence is said next to the box, with the rest kept.
        let res = s.call(&c, Subscribe::PATH, &form("")).await;
        let p = error_of(res).await;
        assert_eq!(p.form().unwrap().errors[0].field, "consent");
        assert_eq!(p.kept().unwrap().value_of("topics").as_deref(), Some("map,trainings"));

        let res = s.call(&c, Subscribe::PATH, &form("yes")).await;
        assert_eq!(res.headers()["location"], "/newsletter?sent=1");
        use sqlx::Row;
        let r = sqlx::query("SELECT status, consent_version, consent_ip_hash FROM newsletter_subscribers")
            .fetch_one(&s.db.pool)
            .await
            .unwrap();
        assert_eq!(r.get::<String, _>("status"), "pending", "nothing is sent before confirmation");
        assert_eq!(r.get::<String, _>("consent_version"), app::orgs::newsletter::rules::CONSENT_VERSION);
        assert_eq!(r.get::<String, _>("consent_ip_hash").len(), 64, "a hash, not the address");

        let token = s.token_for("cititor@exemplu.ro").await;
        let res = s.call(&c, ConfirmSubscription::PATH, &[("token", &token)]).await;
        let location = res.headers()["location"].to_str().unwrap().to_string();
        assert!(location.starts_with("/newsletter/preferences?token="), "{location}");
        let manage = location.split("token=").nth(1).unwrap().split('&').next().unwrap().to_string();
        let prefs: Preferences = s.call(&c, GetPreferences::PATH, &[("token", &manage)]).await.json().await.unwrap();
        assert_eq!(prefs.status, "confirmed");
        assert_eq!(prefs.topics, ["map", "trainings"]);

        // Another subscriber's link cannot be made from this one (ids are random, links signed).
        let (id, sig) = manage.split_once('.').unwrap();
        assert!(id.len() == 32 && id.chars().all(|c| c.is_ascii_hexdigit()), "a random public id: {id}");
        let last = if id.ends_with('0') { '1' } else { '0' };
        let forged = format!("{}{last}.{sig}", &id[..31]);
        let res = s.call(&c, GetPreferences::PATH, &[("token", &forged)]).await;
        assert_eq!(error_of(res).await, Problem::Refused(K::err_link_invalid));
        let res = s.client.post(format!("{}/newsletter/one-click?token={forged}", s.base)).send().await.unwrap();
        assert_eq!(res.status(), 400);

        // One click from a mail client: no cookie, no origin, no page.
        let res = reqwest::Client::new()
            .post(format!("{}/newsletter/one-click?token={manage}", s.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body("List-Unsubscribe=One-Click")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let prefs: Preferences = s.call(&c, GetPreferences::PATH, &[("token", &manage)]).await.json().await.unwrap();
        assert_eq!(prefs.status, "unsubscribed");
    }
}

#[tokio::test]
async fn newsletter_issues_go_to_their_segment_in_resumable_batches() {
    use app::orgs::newsletter::*;
    use sqlx::Row;
    for kind in backends() {
        let s = spawn(kind).await;
        // Three confirmed subscribers (two want map news), one never confirmed.
        for (email, topic, confirm) in [
            ("a@exemplu.ro", "map", true),
            ("b@exemplu.ro", "map", true),
            ("c@exemplu.ro", "trainings", true),
            ("d@exemplu.ro", "map", false),
        ] {
            let c = client();
            s.call(
                &c,
                Subscribe::PATH,
                &[("email", email), ("topics[]", topic), ("county", ""), ("consent", "yes"), ("website", "")],
            )
            .await;
            if confirm {
                let token = s.token_for(email).await;
                s.call(&c, ConfirmSubscription::PATH, &[("token", &token)]).await;
            }
        }
        let admin = verified_user(&s, "redactor@exemplu.ro").await;
        let resident = verified_user(&s, "cititor2@exemplu.ro").await;
        let uid = app::accounts::db::find_user_by_email(&s.db, "redactor@exemplu.ro").await.unwrap().unwrap().id;
        app::accounts::db::grant_role(&s.db, uid, app::accounts::rules::RoleKind::Admin, 0, uid).await.unwrap();
        let issue = [
            ("subject", "Harta din noiembrie"),
            ("body", "**Noutăți** de pe harta accesibilității."),
            ("topic", "map"),
            ("county", ""),
        ];
        let res = s.call(&resident, CreateIssue::PATH, &issue).await;
        assert_eq!(error_of(res).await, Problem::Forbidden);
        s.call(&admin, CreateIssue::PATH, &issue).await;
        let issues: Vec<IssueRow> = s.call(&admin, AdminIssues::PATH, &[]).await.json().await.unwrap();
        assert_eq!((issues[0].audience, issues[0].sent, issues[0].status.as_str()), (2, 0, "draft"));
        let id = issues[0].id.to_string();
        s.call(&admin, TestSendIssue::PATH, &[("issue_id", &id)]).await;
        let res = s.call(&resident, StartSending::PATH, &[("issue_id", &id)]).await;
        assert_eq!(error_of(res).await, Problem::Forbidden);
        s.call(&admin, StartSending::PATH, &[("issue_id", &id)]).await;

        // One a minute, for the whole platform: a second run (any server) within the minute queues
        // nothing; in the next minute it resumes, and nobody gets it twice.
        let next_minute = || async {
            sqlx::query("DELETE FROM rate_limits WHERE key = 'job:newsletter'").execute(&s.db.pool).await.unwrap();
        };
        assert_eq!(send_batch(&s.db, &s.settings.keys, &s.base, 1).await.unwrap(), 1);
        assert_eq!(send_batch(&s.db, &s.settings.keys, &s.base, 1).await.unwrap(), 0, "the minute's budget is spent");
        next_minute().await;
        assert_eq!(send_batch(&s.db, &s.settings.keys, &s.base, 1).await.unwrap(), 1);
        next_minute().await;
        assert_eq!(send_batch(&s.db, &s.settings.keys, &s.base, 1).await.unwrap(), 0);
        let issues: Vec<IssueRow> = s.call(&admin, AdminIssues::PATH, &[]).await.json().await.unwrap();
        assert_eq!((issues[0].sent, issues[0].status.as_str()), (2, "sent"));
        let rows =
            sqlx::query("SELECT to_addr, unsubscribe_url FROM mail_outbox WHERE kind = 'newsletter' ORDER BY to_addr")
                .fetch_all(&s.db.pool)
                .await
                .unwrap();
        let to: Vec<String> = rows.iter().map(|r| r.get("to_addr")).collect();
        assert_eq!(to, ["a@exemplu.ro", "b@exemplu.ro", "redactor@exemplu.ro"], "the segment, plus the admin's test");
        let unsub: Option<String> = rows[0].get("unsubscribe_url");
        assert!(unsub.unwrap().contains("/newsletter/one-click?token="), "every mail can unsubscribe in one click");
    }
}
