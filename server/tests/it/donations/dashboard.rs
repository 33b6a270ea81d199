//! The organisation's campaign and its dashboard.
use super::*;

#[tokio::test]
async fn an_organisation_admin_runs_a_campaign_and_its_dashboard() {
    use base64::Engine;
    for kind in backends() {
        let s = spawn(kind).await;
        let (org_id, _) = ddb::org_by_slug(&s.db, "caravana-cu-medici").await.unwrap().unwrap();
        let org_id = org_id.to_string();
        let campaign_form = |slug: &'static str, title: &'static str| {
            vec![
                ("org_id", org_id.clone()),
                ("slug", slug.to_string()),
                ("title", title.to_string()),
                ("summary", "Consultații gratuite în satele din Iași.".to_string()),
                ("story", "**Povestea** <script>alert(1)</script>".to_string()),
                ("cover_url", String::new()),
                ("cover_alt", String::new()),
                ("goal", "10.000".to_string()),
                ("ends_on", "2031-06-30".to_string()),
                ("presets", "20 50 100".to_string()),
                ("min", "10".to_string()),
                ("max", "5000".to_string()),
                ("allow_monthly", "1".to_string()),
                ("thanks", "Mulțumim!".to_string()),
            ]
        };
        let as_refs = |f: &Vec<(&'static str, String)>| f.iter().map(|(k, v)| (*k, v.clone())).collect::<Vec<_>>();
        // Someone who does not manage the organisation cannot create its campaign.
        let stranger = client();
        let form = as_refs(&campaign_form("", "Caravana de vară"));
        let form_refs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let res = s.call(&stranger, SaveCampaign::PATH, &form_refs).await;
        assert_eq!(
            serde_json::from_str::<DonationsError>(&res.text().await.unwrap()).unwrap().0,
            app::error::Problem::Unauthenticated
        );

        let admin = org_admin(&s, "caravana-cu-medici", "admin@caravana.ro").await;
        let res = s.call(&admin, SaveCampaign::PATH, &form_refs).await;
        assert_eq!(res.headers()["location"], "/campaigns/caravana-de-vara/edit?saved=1");
        let c = ddb::campaign(&s.db, "caravana-de-vara").await.unwrap().unwrap();
        assert_eq!(
            (c.card.goal_bani, c.presets.clone(), c.card.status.as_str()),
            (Some(1_000_000), vec![2_000, 5_000, 10_000], "draft")
        );
        // A draft is invisible to the public.
        let public = s.get(&client(), "/campaigns/caravana-de-vara").await.text().await.unwrap();
        assert!(!public.contains("Caravana de vară</h1>"), "a draft is not public");
        // Publish, post an update, upload a cover.
        let id = c.card.id.to_string();
        let res = s.call(&admin, SetCampaignStatus::PATH, &[("campaign_id", &id), ("status", "live")]).await;
        assert!(res.headers().contains_key("location"));
        let res = s
            .call(&admin, PostCampaignUpdate::PATH, &[("campaign_id", &id), ("body", "Am ajuns în primul sat!")])
            .await;
        assert!(res.headers().contains_key("location"));
        let png = base64::engine::general_purpose::STANDARD.decode(PNG).unwrap();
        let (ct, body) =
            multipart(&[("cover", Some("c.png"), png), ("cover_alt", None, b"Medici la o consultatie".to_vec())]);
        let res = admin
            .post(format!("{}/campaigns/caravana-de-vara/cover", s.base))
            .header("origin", &s.base)
            .header("content-type", ct.clone())
            .body(body.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(res.headers()["location"], "/campaigns/caravana-de-vara/edit?saved=1");
        let res = stranger
            .post(format!("{}/campaigns/caravana-de-vara/cover", s.base))
            .header("origin", &s.base)
            .header("content-type", ct)
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 403);
        let (ct, body) =
            multipart(&[("cover", Some("x.png"), b"not an image".to_vec()), ("cover_alt", None, b"x".to_vec())]);
        let res = admin
            .post(format!("{}/campaigns/caravana-de-vara/cover", s.base))
            .header("origin", &s.base)
            .header("content-type", ct)
            .body(body)
            .send()
            .await
            .unwrap();
        assert!(res.headers()["location"].to_str().unwrap().contains("error=cover:image"));
        let page = s.get(&client(), "/campaigns/caravana-de-vara").await.text().await.unwrap();
        assert!(
            page.contains("Am ajuns în primul sat!") && page.contains("alt=\"Medici la o consultatie\""),
            "update and cover"
        );
        assert!(page.contains("<strong>Povestea</strong>") && !page.contains("<script>alert"), "story sanitised");
        let cover = ddb::campaign(&s.db, "caravana-de-vara").await.unwrap().unwrap().card.cover_url;
        assert_eq!(s.get(&client(), &cover).await.status(), 200);

        // A gift, then the dashboard: listed, in the totals, in the CSV, refunded through the provider.
        let checkout = start(
            &s,
            &donate_form("caravana-de-vara", "attempt-dashboard-0000000001", "5000", false, "dash@exemplu.ro"),
        )
        .await;
        let did = id_from(&checkout);
        choose(&s, &checkout, "success", &[]).await;
        wait_status(&s.db, &did, "paid").await;
        let filter = [
            ("org", "caravana-cu-medici"),
            ("filter[campaign]", ""),
            ("filter[status]", "paid"),
            ("filter[kind]", ""),
            ("filter[q]", "dash@"),
        ];
        let res = s.call(&stranger, app::donations::OrgDashboard::PATH, &filter).await;
        assert!(res.text().await.unwrap().contains("Unauthenticated"));
        let res = s.call(&admin, app::donations::OrgDashboard::PATH, &filter).await;
        let dash: Dashboard = serde_json::from_str(&res.text().await.unwrap()).unwrap();
        assert_eq!(dash.rows.len(), 1);
        assert!(dash.rows[0].refundable && !dash.rows[0].refund_elsewhere);
        assert!(dash.totals.iter().any(|t| t.campaign == "Caravana de vară" && t.total_bani == 5_000));
        let csv = admin.get(format!("{}/organisations/caravana-cu-medici/donations.csv", s.base)).send().await.unwrap();
        assert_eq!(csv.status(), 200);
        assert!(csv.text().await.unwrap().contains("dash@exemplu.ro"));
        assert_eq!(
            stranger
                .get(format!("{}/organisations/caravana-cu-medici/donations.csv", s.base))
                .send()
                .await
                .unwrap()
                .status(),
            403
        );
        let row = dash.rows[0].id.to_string();
        let res =
            s.call(&admin, app::donations::HideDonation::PATH, &[("donation_id", &row), ("hidden", "true")]).await;
        assert!(res.headers().contains_key("location"));
        let res = s.call(&admin, app::donations::RefundDonation::PATH, &[("donation_id", &row)]).await;
        assert!(res.headers().contains_key("location"));
        wait_status(&s.db, &did, "refunded").await;
        assert_eq!(ddb::raised(&s.db, c.card.id).await.unwrap(), 0, "the refund reversed the ledger");
    }
}
