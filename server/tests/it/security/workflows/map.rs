//! The map's workflow: a resident's fixed is a proposal; reports go to the assigned organisation.
use super::*;

/// A 1×1 PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00,
    0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0d, 0x49,
    0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0x64, 0x60, 0xf8, 0x5f, 0x0f, 0x00, 0x02, 0x87, 0x01, 0x80, 0xeb, 0x47, 0xba,
    0x92, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

async fn post_fixed(s: &TestServer, c: &reqwest::Client, report: i64, photo: Option<&[u8]>) -> String {
    let mut f = reqwest::multipart::Form::new().text("comment", "Rampa a fost montată.");
    if let Some(bytes) = photo {
        let part =
            reqwest::multipart::Part::bytes(bytes.to_vec()).file_name("rampa.png").mime_str("image/png").unwrap();
        f = f.part("photo_1", part).text("alt_1", "Rampa nouă la intrare");
    }
    let res =
        c.post(format!("{}/map/reports/{report}/fixed", s.base)).header("origin", &s.base).multipart(f).send().await;
    let res = res.unwrap();
    assert_eq!(res.status(), 303, "a plain form gets a redirect");
    location(&res)
}

#[tokio::test]
async fn a_residents_fixed_is_a_proposal_the_organisation_confirms() {
    // Old code: any verified resident closed a sent report as fixed with any photo, clearing the overdue flag.
    for kind in backends() {
        let s = spawn(kind).await;
        let today = app::map::today();
        let r = sqlx::query(
            "SELECT r.id, r.place_id, p.org_id, r.due_day FROM map_reports r JOIN map_places p ON p.id = r.place_id
             WHERE r.state = 'sent' AND r.due_day < $1 AND p.org_id IS NOT NULL ORDER BY r.id LIMIT 1",
        )
        .bind(today)
        .fetch_one(&s.db.pool)
        .await
        .expect("the demo's overdue petition");
        let (report, place, org, due): (i64, i64, i64, i64) = (r.get(0), r.get(1), r.get(2), r.get(3));
        let state = async || one::<String>(&s, &format!("SELECT state FROM map_reports WHERE id = {report}")).await;
        let overdue = async || int(&s, &format!("SELECT overdue_reports FROM map_places WHERE id = {place}")).await;
        let photos = async || int(&s, "SELECT COUNT(*) FROM map_photos").await;
        assert!(overdue().await >= 1, "{kind:?}: flagged overdue");

        // Someone who may not act at all is refused before the photo is even looked at.
        let (unverified, _) = user(&s, "neconfirmat@exemplu.ro", false, None).await;
        let before = photos().await;
        let to = post_fixed(&s, &unverified, report, Some(PNG)).await;
        assert!(to.ends_with(&format!("/map/reports/{report}?error=form:not_allowed")), "{kind:?}: {to}");
        let to = post_fixed(&s, &unverified, report, Some(b"not an image at all")).await;
        assert!(to.contains("error=form:not_allowed") && !to.contains("photo_1"), "{kind:?}: body not read: {to}");
        assert_eq!(photos().await, before, "{kind:?}: nothing stored");

        let (resident, _) = user(&s, "vecin@exemplu.ro", true, None).await;
        let to = post_fixed(&s, &resident, report, Some(PNG)).await;
        assert_eq!(to, format!("/map/reports/{report}?done=propose_fixed"), "{kind:?}");
        assert_eq!(state().await, "sent", "{kind:?}: a proposal, not a decision");
        assert_eq!(int(&s, &format!("SELECT due_day FROM map_reports WHERE id = {report}")).await, due, "same clock");
        assert!(overdue().await >= 1, "{kind:?}: still overdue");
        assert_eq!(photos().await, before + 1, "the photo is kept as evidence");
        let last = format!(
            "SELECT action || ' ' || to_state || ' ' || actor_role FROM map_report_events
             WHERE report_id = {report} ORDER BY id DESC LIMIT 1"
        );
        let last: String = one(&s, &last).await;
        assert_eq!(last, "propose_fixed sent resident", "{kind:?}: on the timeline");

        // The organisation confirms.
        let (member, _) = user(&s, "membru@exemplu.ro", true, Some((RoleKind::OrgMember, org))).await;
        let to = post_fixed(&s, &member, report, None).await;
        assert_eq!(to, format!("/map/reports/{report}?done=fixed"), "{kind:?}");
        assert_eq!(state().await, "fixed");
        assert_eq!(overdue().await, 0, "{kind:?}: closed, no longer overdue");
    }
}

async fn new_place(s: &TestServer, c: &reqwest::Client, name: &str, locality: &str) -> Option<i64> {
    let f = reqwest::multipart::Form::new()
        .text("name", name.to_string())
        .text("category", "school")
        .text("locality", locality.to_string())
        .text("lat", "46.1040")
        .text("lon", "27.1790")
        .text("problem", "door")
        .text("description", "Ușa are sub 70 de centimetri.");
    let res = c
        .post(format!("{}/map/reports", s.base))
        .header("origin", &s.base)
        .header("accept", "application/json")
        .multipart(f)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    sqlx::query("SELECT org_id FROM map_places WHERE name = $1").bind(name).fetch_one(&s.db.pool).await.unwrap().get(0)
}

#[tokio::test]
async fn reports_go_to_the_organisation_assigned_to_the_locality() {
    // Old code: whoever owned most places of a locality got its new reports: importing 12 places took over a town.
    use app::map::{AssignLocality, LocalityOwner, LocalityOwners};
    for kind in backends() {
        let s = spawn(kind).await;
        let importer = int(
            &s,
            "SELECT id FROM organisations WHERE status = 'active' AND slug <> 'grupul-dizabil-eu-vrancea'
             ORDER BY id LIMIT 1",
        )
        .await;
        for i in 0..12 {
            let p = app::map::db::NewPlace {
                name: format!("Instituție importată {i}"),
                category: "school".into(),
                locality: "Adjud".into(),
                county: "Vrancea".into(),
                lat: 46.10 + i as f64 * 0.001,
                lon: 27.17,
                org_id: Some(importer),
                ..Default::default()
            };
            app::map::db::insert_place(&s.db.pool, &p, None, false).await.unwrap();
        }
        let (resident, _) = user(&s, "rezident@exemplu.ro", true, None).await;
        assert_eq!(new_place(&s, &resident, "Școala din deal", "Adjud").await, None, "{kind:?}: nobody's yet");

        let id = importer.to_string();
        let form = [("locality", "Adjud"), ("org_id", id.as_str())];
        assert_eq!(problem!(s.call(&client(), AssignLocality::PATH, &form).await), Problem::Unauthenticated);
        let (org_admin, _) = user(&s, "admin-ong@exemplu.ro", true, Some((RoleKind::OrgAdmin, importer))).await;
        let (moderator, _) = user(&s, "moderator@exemplu.ro", true, Some((RoleKind::Moderator, 0))).await;
        for c in [&resident, &org_admin, &moderator] {
            assert_eq!(problem!(s.call(c, AssignLocality::PATH, &form).await), Problem::Forbidden, "{kind:?}");
        }
        assert_eq!(new_place(&s, &resident, "Grădinița din vale", "Adjud").await, None, "{kind:?}: still nobody's");

        let (admin, _) = user(&s, "admin@exemplu.ro", true, Some((RoleKind::Admin, 0))).await;
        assert_eq!(location(&s.call(&admin, AssignLocality::PATH, &form).await), "/map/localities?saved=1");
        let owners: Vec<LocalityOwner> = s.call(&admin, LocalityOwners::PATH, &[]).await.json().await.unwrap();
        assert!(owners.iter().any(|o| o.locality == "Adjud" && o.org_id == importer), "{owners:?}");
        assert_eq!(new_place(&s, &resident, "Biblioteca din centru", "ADJUD").await, Some(importer), "{kind:?}");
    }
}
