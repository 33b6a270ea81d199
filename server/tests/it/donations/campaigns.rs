//! Demo campaigns and the campaign list's filters.
use super::*;

#[tokio::test]
async fn demo_data_has_a_live_campaign_with_gifts_for_three_civic_groups() {
    let s = spawn(DbKind::Sqlite).await;
    for (org, slug) in [
        ("grupul-dizabil-eu-vrancea", "rampe-la-institutiile-din-focsani"),
        ("caravana-cu-medici", "caravana-de-primavara-2027"),
        ("loc-de-joaca-pentru-grozavesti", "loc-de-joaca-accesibil-grozavesti"),
    ] {
        let c = ddb::campaign(&s.db, slug).await.unwrap().unwrap();
        let (org_id, _) = ddb::org_by_slug(&s.db, org).await.unwrap().unwrap();
        assert_eq!((c.org_id, c.card.status.as_str()), (org_id, "live"));
        assert_eq!(ddb::ledger(&s.db, c.card.id, 100).await.unwrap().len(), 5, "{slug}");
        assert_eq!(ddb::raised(&s.db, c.card.id).await.unwrap(), 47_500);
    }
    // Loading again adds nothing.
    server::demo::load(&s.db).await.unwrap();
    let c = ddb::campaign(&s.db, "caravana-de-primavara-2027").await.unwrap().unwrap();
    assert_eq!(ddb::raised(&s.db, c.card.id).await.unwrap(), 47_500);
}

#[tokio::test]
async fn the_campaign_list_filters_by_organisation_domain_and_locality() {
    for kind in backends() {
        let s = spawn(kind).await;
        // The three demo organisations with live campaigns, given a known locality and domains.
        for (org, locality, domains) in [
            ("grupul-dizabil-eu-vrancea", "Focșani", &["disability"][..]),
            ("caravana-cu-medici", "Iași", &["health"][..]),
            ("loc-de-joaca-pentru-grozavesti", "București", &["disability", "education"][..]),
        ] {
            let (org_id, _) = ddb::org_by_slug(&s.db, org).await.unwrap().unwrap();
            sqlx::query("UPDATE organisations SET locality = $1 WHERE id = $2")
                .bind(locality)
                .bind(org_id)
                .execute(&s.db.pool)
                .await
                .unwrap();
            sqlx::query("DELETE FROM organisation_domains WHERE org_id = $1")
                .bind(org_id)
                .execute(&s.db.pool)
                .await
                .unwrap();
            for d in domains {
                sqlx::query("INSERT INTO organisation_domains (org_id, domain) VALUES ($1, $2)")
                    .bind(org_id)
                    .bind(*d)
                    .execute(&s.db.pool)
                    .await
                    .unwrap();
            }
        }
        // A second live campaign for one organisation, and a draft that no filter shows.
        live_campaign(&s.db, "a-doua-din-focsani").await;
        let (caravana, _) = ddb::org_by_slug(&s.db, "caravana-cu-medici").await.unwrap().unwrap();
        let draft = ddb::CampaignInput {
            title: "Ciornă nepublicată".into(),
            summary: "O campanie care nu e încă publică.".into(),
            story_md: String::new(),
            cover_url: String::new(),
            cover_alt: String::new(),
            goal_bani: None,
            ends_at: None,
            presets: vec![5_000],
            min_bani: 1_000,
            max_bani: 100_000,
            allow_monthly: false,
            thanks: String::new(),
        };
        ddb::create_campaign(&s.db, caravana, "ciorna-caravana", &draft, 0, false).await.unwrap();

        let list = |org: &'static str, domain: &'static str, locality: &'static str| {
            let s = &s;
            async move {
                let res = s
                    .call(
                        &client(),
                        ListCampaigns::PATH,
                        &[("filter[org]", org), ("filter[domain]", domain), ("filter[locality]", locality)],
                    )
                    .await;
                let body = res.text().await.unwrap();
                let l: CampaignList = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}"));
                let mut slugs: Vec<String> = l.cards.into_iter().map(|c| c.slug).collect();
                slugs.sort();
                slugs
            }
        };
        let (rampe, focsani2, caravana, joaca) = (
            "rampe-la-institutiile-din-focsani",
            "a-doua-din-focsani",
            "caravana-de-primavara-2027",
            "loc-de-joaca-accesibil-grozavesti",
        );
        let sorted = |v: &[&str]| {
            let mut v: Vec<String> = v.iter().map(|x| x.to_string()).collect();
            v.sort();
            v
        };
        let everything = list("", "", "").await;
        for slug in [rampe, focsani2, caravana, joaca] {
            assert!(everything.contains(&slug.to_string()), "{slug} listed unfiltered");
        }
        assert!(!everything.contains(&"ciorna-caravana".to_string()), "a draft is never listed");
        assert_eq!(list("grupul-dizabil-eu-vrancea", "", "").await, sorted(&[rampe, focsani2]), "{kind:?}");
        assert_eq!(list("caravana-cu-medici", "", "").await, sorted(&[caravana]));
        assert_eq!(list("", "health", "").await, sorted(&[caravana]));
        assert_eq!(list("", "disability", "").await, sorted(&[rampe, focsani2, joaca]));
        assert_eq!(list("", "education", "").await, sorted(&[joaca]));
        assert_eq!(list("", "", "Iași").await, sorted(&[caravana]));
        assert_eq!(list("", "", "Focșani").await, sorted(&[rampe, focsani2]));
        // Filters combine; one that matches nothing lists nothing.
        assert_eq!(list("", "disability", "București").await, sorted(&[joaca]));
        assert_eq!(list("caravana-cu-medici", "disability", "").await, Vec::<String>::new());
        assert_eq!(list("", "", "Cluj-Napoca").await, Vec::<String>::new());
        // The page reads the same filters from its address.
        let page = s.get(&client(), "/campaigns?locality=Ia%C8%99i").await.text().await.unwrap();
        assert!(page.contains("Caravana de primăvară") && !page.contains("Rampe la instituțiile"), "filtered page");
    }
}
