//! Follows, subscriptions and their one-click unsubscribe links.
use super::*;

#[tokio::test]
async fn demo_data_lists_follows_and_unsubscribes() {
    for kind in backends() {
        let s = spawn(kind).await;
        let anon = client();
        let list: ListPage = s
            .call(
                &anon,
                ListConsultations::PATH,
                &[
                    ("filter[topic]", "accessibility"),
                    ("filter[county]", ""),
                    ("filter[status]", ""),
                    ("filter[page]", "1"),
                ],
            )
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(list.total, 3, "{:?}", list.cards.iter().map(|c| &c.title).collect::<Vec<_>>());
        assert_eq!(list.cards[0].slug, "planul-local-de-accesibilitate-focsani", "open first");
        for card in &list.cards {
            let page: ConsultationPage =
                s.call(&anon, GetConsultation::PATH, &[("slug", &card.slug)]).await.json().await.unwrap();
            assert!(page.checks.iter().all(|c| c.ok), "{}: {:?}", card.slug, page.checks);
        }
        let html = s.get(&anon, "/consultations/planul-local-de-accesibilitate-focsani").await.text().await.unwrap();
        assert!(html.contains("Art. 3") && html.contains("Trotuare și treceri de pietoni"));
        let th = thread(&s, &anon, "planul-local-de-accesibilitate-focsani", "all").await;
        let states: Vec<_> = th.comments.iter().map(|c| c.status).collect();
        assert!(states.contains(&rules::CommentStatus::Hidden) && states.contains(&rules::CommentStatus::Deleted));
        let rep: rules::report_page::ReportPage = s
            .call(&anon, GetReport::PATH, &[("slug", "regulamentul-parcarilor-rezervate-focsani")])
            .await
            .json()
            .await
            .unwrap();
        let totals = rep.summary.expect("the first page carries the totals").totals;
        assert_eq!(totals.total(), 4);
        assert_eq!(totals.answers, [1, 1, 1, 1, 0]);
        // The organisation page lists the consultations it runs (none for this group).
        let cards: Vec<Card> = s
            .call(
                &anon,
                OrgConsultations::PATH,
                &[("org_id", &id_of(&s, "organisations", "grupul-dizabil-eu-vrancea").await.to_string())],
            )
            .await
            .json()
            .await
            .unwrap();
        assert!(cards.is_empty());

        // Follow → the closing-soon mail carries a one-click unsubscribe that works.
        let (resident, _) = user(&s, "urmaritor@exemplu.ro", true).await;
        let cid = id_of(&s, "consultations", "planul-local-de-accesibilitate-focsani").await;
        let res = s.call(&resident, ToggleFollow::PATH, &[("id", &cid.to_string())]).await;
        assert!(location(&res).ends_with("?follow=1"));
        sqlx::query("UPDATE consultations SET closes_at = $1 WHERE id = $2")
            .bind(app::ssr::now() + 3_600)
            .bind(cid)
            .execute(&s.db.pool)
            .await
            .unwrap();
        let (_, soon) = app::consultations::service::jobs::run_jobs(&s.db, &s.settings).await.unwrap();
        assert_eq!(soon, 1);
        let (_, again) = app::consultations::service::jobs::run_jobs(&s.db, &s.settings).await.unwrap();
        assert_eq!(again, 0, "one reminder only");
        let r =
            sqlx::query("SELECT kind, unsubscribe_url FROM mail_outbox WHERE to_addr = $1 ORDER BY id DESC LIMIT 1")
                .bind("urmaritor@exemplu.ro")
                .fetch_one(&s.db.pool)
                .await
                .unwrap();
        assert_eq!(r.get::<String, _>(0), "consultations.closing_soon");
        let url: String = r.get(1);
        assert!(url.contains("/consultations/one-click?token="));
        // A forged token is refused; the real one works without cookies or origin.
        let bare = reqwest::Client::new();
        let forged = url.replace("follow:", "follow:9");
        assert_eq!(bare.post(&forged).send().await.unwrap().status(), 400);
        assert_eq!(bare.post(&url).send().await.unwrap().status(), 200);
        let page: ConsultationPage = s
            .call(&resident, GetConsultation::PATH, &[("slug", "planul-local-de-accesibilitate-focsani")])
            .await
            .json()
            .await
            .unwrap();
        assert!(!page.viewer.following);
    }
}
