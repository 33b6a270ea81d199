//! Law 52 after creation: publishing checks every rule again from the publication; the organiser
//! corrects dates and extends the comment window (logged, announced, followers mailed once); a
//! debate cannot be in the past or after the planned adoption.
use super::*;

const DAY: i64 = 86_400;

/// A draft of the council's, created by its official, with a 15-day window and adoption in 80 days.
async fn draft(s: &TestServer, official: &reqwest::Client, owner: &str) -> (String, String) {
    let now = app::ssr::now();
    let (opens, closes, adoption) = (ymd(now), ymd(now + 15 * DAY), ymd(now + 80 * DAY));
    let res = s.call(official, CreateConsultation::PATH, &create_form(owner, &opens, &closes, &adoption)).await;
    let loc = location(&res);
    assert!(loc.ends_with("/manage?created=1"), "{loc}");
    let slug = loc.trim_start_matches("/consultations/").split('/').next().unwrap().to_string();
    let id = id_of(s, "consultations", &slug).await.to_string();
    (slug, id)
}

async fn changes(s: &TestServer, id: &str) -> Vec<(String, String, Option<i64>, Option<i64>, String, Option<i64>)> {
    sqlx::query(
        "SELECT kind, field, old_value, new_value, reason, user_id FROM consultation_date_changes
         WHERE consultation_id = $1 ORDER BY id",
    )
    .bind(id.parse::<i64>().unwrap())
    .fetch_all(&s.db.pool)
    .await
    .unwrap()
    .iter()
    .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4), r.get(5)))
    .collect()
}

async fn status_of(s: &TestServer, id: &str) -> String {
    sqlx::query("SELECT status FROM consultations WHERE id = $1")
        .bind(id.parse::<i64>().unwrap())
        .fetch_one(&s.db.pool)
        .await
        .unwrap()
        .get(0)
}

#[tokio::test]
async fn publishing_checks_law_52_again_and_corrections_are_logged() {
    for kind in backends() {
        let s = spawn(kind).await;
        let council = id_of(&s, "authorities", "consiliul-local-focsani").await;
        let owner = format!("authority:{council}");
        let (official, official_id) = user(&s, "functionar@exemplu.ro", true).await;
        grant(&s, official_id, RoleKind::Official, council).await;
        let (resident, _) = user(&s, "rezident@exemplu.ro", true).await;
        let (slug, id) = draft(&s, &official, &owner).await;

        // Created three weeks ago for a window that ends in four days: from today, too short.
        let now = app::ssr::now();
        sqlx::query("UPDATE consultations SET opens_at = $1, closes_at = $2, created_at = $3 WHERE id = $4")
            .bind(now - 21 * DAY)
            .bind(now + 4 * DAY)
            .bind(now - 21 * DAY)
            .bind(id.parse::<i64>().unwrap())
            .execute(&s.db.pool)
            .await
            .unwrap();
        let res = s.call(&official, ChangeStatus::PATH, &[("id", &id), ("action", "publish")]).await;
        assert_eq!(error_of(res).await, Problem::Refused(K::consultations_err_publish_window));
        assert_eq!(status_of(&s, &id).await, "draft");
        let msg = K::consultations_err_publish_window;
        assert!(app::i18n::Lang::Ro.t(msg).contains("Corectarea datelor"), "points to the correction form");
        // The organiser's page shows the same verdict as publishing.
        let page: ConsultationPage =
            s.call(&official, GetConsultation::PATH, &[("slug", &slug)]).await.json().await.unwrap();
        assert!(!page.checks[0].ok, "{:?}", page.checks);

        // Correcting: only the organiser, with a reason; the values typed are kept.
        let (opens, closes, adoption) = (ymd(now), ymd(now + 15 * DAY), ymd(now + 80 * DAY));
        let fix = |reason: &'static str| {
            vec![
                ("id", id.clone()),
                ("fix_opens_on", opens.clone()),
                ("fix_closes_on", closes.clone()),
                ("fix_adoption_on", adoption.clone()),
                ("fix_reason", reason.to_string()),
            ]
        };
        let call = |c: &reqwest::Client, f: Vec<(&'static str, String)>| {
            let c = c.clone();
            let s = &s;
            async move {
                let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
                s.call(&c, CorrectDates::PATH, &pairs).await
            }
        };
        assert_eq!(error_of(call(&resident, fix("Termenul s-a decalat.")).await).await, Problem::Forbidden);
        let p = error_of(call(&official, fix("")).await).await;
        let f = p.form().unwrap();
        assert_eq!((f.errors[0].field.as_str(), f.errors[0].msg), ("fix_reason", K::consultations_err_reason));
        assert_eq!(p.kept().unwrap().value_of("fix_closes_on"), Some(closes.clone()));
        let res = call(&official, fix("Avizul juridic a întârziat publicarea.")).await;
        assert!(location(&res).contains("corrected=1"), "{}", location(&res));
        let log = changes(&s, &id).await;
        assert_eq!(log.len(), 2, "{log:?}");
        assert_eq!((log[0].0.as_str(), log[0].1.as_str()), ("correction", "opens_at"));
        assert_eq!((log[1].0.as_str(), log[1].1.as_str()), ("correction", "closes_at"));
        assert_eq!(log[1].2, Some(now + 4 * DAY));
        assert_eq!(log[1].3, app::fmt::parse_local(&closes, "23:59"));
        assert_eq!(log[1].4, "Avizul juridic a întârziat publicarea.");
        assert_eq!(log[1].5, Some(official_id));

        // Now it fits: published, and the history is public.
        let res = s.call(&official, ChangeStatus::PATH, &[("id", &id), ("action", "publish")]).await;
        assert!(location(&res).ends_with("?status=1"), "{}", location(&res));
        assert_eq!(status_of(&s, &id).await, "open");
        let anon = client();
        let page: ConsultationPage =
            s.call(&anon, GetConsultation::PATH, &[("slug", &slug)]).await.json().await.unwrap();
        assert!(page.checks.iter().all(|c| c.ok), "{:?}", page.checks);
        assert_eq!(page.date_changes.len(), 2);
        let html = s.get(&anon, &format!("/consultations/{slug}")).await.text().await.unwrap();
        assert!(html.contains("Istoricul modificărilor"), "the history is on the page");
        assert!(html.contains("Avizul juridic a întârziat publicarea."));

        // After publication a correction keeps 10 days counted from publication.
        let short = ymd(now + 5 * DAY);
        let mut f = fix("Scurtăm perioada, din greșeală.");
        f[2].1 = short;
        let p = error_of(call(&official, f).await).await;
        let f = p.form().unwrap();
        assert_eq!((f.errors[0].field.as_str(), f.errors[0].msg), ("fix_closes_on", K::consultations_err_law_window));
        assert_eq!(changes(&s, &id).await.len(), 2, "nothing logged");
    }
}

#[tokio::test]
async fn extending_the_window_is_announced_logged_and_mailed_once() {
    for kind in backends() {
        let s = spawn(kind).await;
        let council = id_of(&s, "authorities", "consiliul-local-focsani").await;
        let owner = format!("authority:{council}");
        let (official, official_id) = user(&s, "functionar@exemplu.ro", true).await;
        grant(&s, official_id, RoleKind::Official, council).await;
        let (slug, id) = draft(&s, &official, &owner).await;
        let res = s.call(&official, ChangeStatus::PATH, &[("id", &id), ("action", "publish")]).await;
        assert!(location(&res).ends_with("?status=1"));
        let (follower, _) = user(&s, "urmaritor@exemplu.ro", true).await;
        let res = s.call(&follower, ToggleFollow::PATH, &[("id", &id)]).await;
        assert!(location(&res).ends_with("?follow=1"));
        s.call(&official, ToggleFollow::PATH, &[("id", &id)]).await;

        let now = app::ssr::now();
        let reason = "Mai multe organizații au cerut timp pentru analiză.";
        let later = ymd(now + 25 * DAY);
        let ext = |closes: &str, reason: &str| {
            vec![
                ("id".to_string(), id.clone()),
                ("ext_closes_on".to_string(), closes.to_string()),
                ("ext_adoption_on".to_string(), String::new()),
                ("ext_reason".to_string(), reason.to_string()),
            ]
        };
        let send = |c: reqwest::Client, f: Vec<(String, String)>| {
            let s = &s;
            async move {
                let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                s.call(&c, ExtendWindow::PATH, &pairs).await
            }
        };
        // Anonymous people and anyone but the organiser are refused.
        assert_eq!(error_of(send(client(), ext(&later, reason)).await).await, Problem::Unauthenticated);
        assert_eq!(error_of(send(follower.clone(), ext(&later, reason)).await).await, Problem::Forbidden);
        let (resident, _) = user(&s, "rezident@exemplu.ro", true).await;
        assert_eq!(error_of(send(resident, ext(&later, reason)).await).await, Problem::Forbidden);
        // An earlier end is no extension; the values typed come back.
        let p = error_of(send(official.clone(), ext(&ymd(now + 12 * DAY), reason)).await).await;
        let f = p.form().unwrap();
        assert_eq!((f.errors[0].field.as_str(), f.errors[0].msg), ("ext_closes_on", K::consultations_err_extend_later));
        assert_eq!(p.kept().unwrap().value_of("ext_reason").as_deref(), Some(reason));
        // Reaching the planned adoption needs the adoption moved too.
        let p = error_of(send(official.clone(), ext(&ymd(now + 85 * DAY), reason)).await).await;
        assert_eq!(p.form().unwrap().errors[0].msg, K::consultations_err_close_after_adoption);
        assert!(changes(&s, &id).await.is_empty());

        let res = send(official.clone(), ext(&later, reason)).await;
        assert!(location(&res).contains("extended=1"), "{}", location(&res));
        let log = changes(&s, &id).await;
        assert_eq!(log.len(), 1, "{log:?}");
        assert_eq!((log[0].0.as_str(), log[0].1.as_str(), log[0].4.as_str()), ("extension", "closes_at", reason));
        assert_eq!(log[0].3, app::fmt::parse_local(&later, "23:59"));
        assert_eq!(log[0].5, Some(official_id));

        // Followers hear once, with the unsubscribe link of follow mails; the organiser does not.
        let mails = sqlx::query(
            "SELECT to_addr, body_text, unsubscribe_url FROM mail_outbox WHERE kind = 'consultations.extended' ORDER BY id",
        )
        .fetch_all(&s.db.pool)
        .await
        .unwrap();
        assert_eq!(mails.len(), 1);
        assert_eq!(mails[0].get::<String, _>(0), "urmaritor@exemplu.ro");
        let body: String = mails[0].get(1);
        assert!(body.contains(reason) && body.contains("/consultations/unsubscribe?token="), "{body}");
        let unsub: Option<String> = mails[0].get(2);
        assert!(unsub.is_some_and(|u| u.contains("/consultations/one-click?token=")));

        // The page announces it and lists it in the history.
        let anon = client();
        let page: ConsultationPage =
            s.call(&anon, GetConsultation::PATH, &[("slug", &slug)]).await.json().await.unwrap();
        assert_eq!(Some(page.detail.card.closes_at), app::fmt::parse_local(&later, "23:59"));
        let html = s.get(&anon, &format!("/consultations/{slug}")).await.text().await.unwrap();
        assert!(html.contains("Perioada de comentarii a fost prelungită până la"), "announced");
        assert!(html.contains(reason) && html.contains("Istoricul modificărilor"));

        // Debates: not in the past, not after the planned adoption (80 days away); values kept.
        let debate = |date: String| {
            let s = &s;
            let official = official.clone();
            let id = id.clone();
            async move {
                s.call(
                    &official,
                    ScheduleDebate::PATH,
                    &[
                        ("id", id.as_str()),
                        ("date", date.as_str()),
                        ("time", "17:00"),
                        ("place", "Sala mare a primăriei"),
                        ("online_url", ""),
                        ("minutes", ""),
                    ],
                )
                .await
            }
        };
        let p = error_of(debate(ymd(now - 2 * DAY)).await).await;
        let f = p.form().unwrap();
        assert_eq!((f.errors[0].field.as_str(), f.errors[0].msg), ("date", K::consultations_err_debate_past));
        assert_eq!(p.kept().unwrap().value_of("place").as_deref(), Some("Sala mare a primăriei"));
        let p = error_of(debate(ymd(now + 90 * DAY)).await).await;
        assert_eq!(p.form().unwrap().errors[0].msg, K::consultations_err_debate_after_adoption);
        let p = error_of(debate(ymd(now + 80 * DAY)).await).await;
        assert_eq!(p.form().unwrap().errors[0].msg, K::consultations_err_debate_after_adoption, "not on the day");
        let res = debate(ymd(now + 10 * DAY)).await;
        assert!(location(&res).ends_with("?debate=1"), "{}", location(&res));
    }
}
