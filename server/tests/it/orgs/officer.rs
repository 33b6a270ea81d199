//! An authority's contact (transparency officer and registry address): edited by platform admins
//! and the authority's approved officials only, shown on its page and on its consultations.
use super::*;
use app::accounts::rules::RoleKind;
use app::orgs::officer::{AuthorityContactForm, SaveAuthorityContact};
use sqlx::Row;

/// A verified person holding `role` (scoped to `scope`), signed in.
async fn person_with(s: &TestServer, email: &str, role: Option<(RoleKind, i64)>) -> reqwest::Client {
    let c = verified_user(s, email).await;
    if let Some((kind, scope)) = role {
        let uid = app::accounts::db::find_user_by_email(&s.db, email).await.unwrap().unwrap().id;
        app::accounts::db::grant_role(&s.db, uid, kind, scope, uid).await.unwrap();
    }
    c
}

fn contact(aid: i64, name: &str, email: &str, phone: &str, registry: &str) -> Vec<(&'static str, String)> {
    vec![
        ("authority_id", aid.to_string()),
        ("officer_name", name.into()),
        ("officer_email", email.into()),
        ("officer_phone", phone.into()),
        ("registry_email", registry.into()),
    ]
}

async fn stored(s: &TestServer, aid: i64) -> [String; 4] {
    let r =
        sqlx::query("SELECT officer_name, officer_email, officer_phone, petition_email FROM authorities WHERE id = $1")
            .bind(aid)
            .fetch_one(&s.db.pool)
            .await
            .unwrap();
    ["officer_name", "officer_email", "officer_phone", "petition_email"].map(|c| r.get::<String, _>(c))
}

/// An open consultation the authority owns, with (or without) a contact of its own.
async fn consultation(s: &TestServer, aid: i64, slug: &str, own_contact: &str) {
    let now = app::ssr::now();
    let c = app::consultations::db::NewConsultation {
        slug: slug.into(),
        title: format!("Regulamentul {slug}"),
        summary: "Locuri de parcare pentru riverani.".into(),
        topics: vec!["urbanism".into()],
        locality: "Focșani".into(),
        county: "Vrancea".into(),
        owner_kind: "authority".into(),
        owner_id: aid,
        draft_text: "Art. 1. Obiect\nSe aprobă regulamentul.\n".into(),
        explanatory_note: String::new(),
        opens_at: now - 86_400,
        closes_at: now + 30 * 86_400,
        adoption_at: None,
        urgency_reason: String::new(),
        officer_contact: own_contact.into(),
        initiator: "mayor".into(),
        premoderation: false,
        report_threshold: 3,
        created_by: None,
        is_demo: false,
    };
    let id = app::consultations::db::insert(&s.db, &c, &[]).await.unwrap();
    app::consultations::db::set_status(&s.db, id, app::consultations::rules::Status::Open).await.unwrap();
}

async fn page(s: &TestServer, path: &str) -> String {
    let res = s.get(&client(), path).await;
    assert_eq!(res.status(), 200, "{path}");
    res.text().await.unwrap()
}

#[tokio::test]
async fn officer_contact_is_edited_by_admins_and_shown_on_the_authority_and_its_consultations() {
    for kind in backends() {
        let s = spawn(kind).await;
        let a = app::orgs::db::authorities(&s.db, "").await.unwrap().into_iter().next().expect("demo authorities");
        let path = format!("/authorities/{}", a.slug);
        assert!(page(&s, &path).await.contains("Încă necunoscut"), "{kind:?}: nothing known yet");
        consultation(&s, a.id, "fara-contact-propriu", "").await;
        consultation(&s, a.id, "cu-contact-propriu", "Biroul de presă, presa@focsani.invalid").await;

        let admin = person_with(&s, "admin@exemplu.ro", Some((RoleKind::Admin, 0))).await;
        // The edit page's data: only for those who may edit.
        let res = post(&s, &admin, AuthorityContactForm::PATH, &[("slug", a.slug.clone())]).await;
        assert_eq!(res.status(), 200, "{kind:?}");
        let res = post(
            &s,
            &admin,
            SaveAuthorityContact::PATH,
            &contact(
                a.id,
                "  Maria Ionescu ",
                "Maria.Ionescu@Primarie.ro",
                "+40 (237) 236-000",
                "registratura@primarie.ro",
            ),
        )
        .await;
        assert_eq!(res.headers()["location"], format!("{path}?contact_saved=1"), "{kind:?}");
        assert_eq!(
            stored(&s, a.id).await,
            ["Maria Ionescu", "maria.ionescu@primarie.ro", "+40 (237) 236-000", "registratura@primarie.ro"]
        );

        let html = page(&s, &format!("{path}?contact_saved=1")).await;
        assert!(html.contains("Datele de contact au fost salvate."), "{kind:?}");
        assert!(html.contains("Maria Ionescu"));
        assert!(html.contains("href=\"mailto:maria.ionescu@primarie.ro\""), "{kind:?}: e-mail as mailto");
        assert!(html.contains("href=\"tel:+40237236000\""), "{kind:?}: phone as tel");
        assert!(html.contains("href=\"mailto:registratura@primarie.ro\""), "{kind:?}: the registry address");
        assert!(!html.contains("Încă necunoscut"), "{kind:?}");
        // Anonymous readers see no way to edit it.
        assert!(!html.contains(&format!("{path}/contact")), "{kind:?}");

        // A consultation with no contact of its own shows the authority's officer...
        let html = page(&s, "/consultations/fara-contact-propriu").await;
        assert!(html.contains("Maria Ionescu"), "{kind:?}");
        assert!(html.contains("href=\"mailto:maria.ionescu@primarie.ro\""), "{kind:?}");
        // ...one with its own keeps it.
        let html = page(&s, "/consultations/cu-contact-propriu").await;
        assert!(html.contains("Biroul de presă, presa@focsani.invalid"), "{kind:?}");
        assert!(!html.contains("Maria Ionescu"), "{kind:?}");

        // Emptied again: not known yet.
        let res = post(&s, &admin, SaveAuthorityContact::PATH, &contact(a.id, "", "", " ", "")).await;
        assert_eq!(res.headers()["location"], format!("{path}?contact_saved=1"), "{kind:?}");
        assert_eq!(stored(&s, a.id).await, ["", "", "", ""].map(String::from));
        assert!(page(&s, &path).await.contains("Încă necunoscut"), "{kind:?}");
    }
}

#[tokio::test]
async fn officer_contact_is_edited_by_the_authoritys_own_officials_only() {
    for kind in backends() {
        let s = spawn(kind).await;
        let mut all = app::orgs::db::authorities(&s.db, "").await.unwrap().into_iter();
        let (a, other) = (all.next().expect("an authority"), all.next().expect("another authority"));
        let org: i64 = sqlx::query("SELECT MIN(id) FROM organisations").fetch_one(&s.db.pool).await.unwrap().get(0);
        let before = stored(&s, a.id).await;
        let attempt = contact(a.id, "Ion Intrus", "ion@intrus.ro", "0700 000 000", "registru@intrus.ro");

        let res = post(&s, &client(), SaveAuthorityContact::PATH, &attempt).await;
        assert_eq!(error_of(res).await, Problem::Unauthenticated, "{kind:?}: anonymous");
        let resident = person_with(&s, "rezident@exemplu.ro", None).await;
        let other_official = person_with(&s, "alt@exemplu.ro", Some((RoleKind::Official, other.id))).await;
        let org_admin = person_with(&s, "ong@exemplu.ro", Some((RoleKind::OrgAdmin, org))).await;
        let moderator = person_with(&s, "moderator@exemplu.ro", Some((RoleKind::Moderator, 0))).await;
        for (who, c) in [
            ("resident", &resident),
            ("official of another authority", &other_official),
            ("organisation admin", &org_admin),
            ("moderator", &moderator),
        ] {
            let res = post(&s, c, SaveAuthorityContact::PATH, &attempt).await;
            assert_eq!(res.status(), 403, "{kind:?}: {who}");
            assert_eq!(error_of(res).await, Problem::Forbidden, "{kind:?}: {who}");
            let res = post(&s, c, AuthorityContactForm::PATH, &[("slug", a.slug.clone())]).await;
            assert_eq!(error_of(res).await, Problem::Forbidden, "{kind:?}: {who} reads no edit form");
        }
        // Signed out, the edit page says so and offers to sign in.
        let html = page(&s, &format!("/authorities/{}/contact", a.slug)).await;
        assert!(html.contains("/account/login?next=/authorities/"), "{kind:?}");
        assert!(!html.contains("name=\"officer_name\""), "{kind:?}: no form");
        assert_eq!(stored(&s, a.id).await, before, "{kind:?}: nothing changed");

        // The authority's approved official edits it, and sees the link to the form.
        let official = person_with(&s, "oficial@exemplu.ro", Some((RoleKind::Official, a.id))).await;
        let html = s.get(&official, &format!("/authorities/{}", a.slug)).await.text().await.unwrap();
        assert!(html.contains(&format!("/authorities/{}/contact", a.slug)), "{kind:?}: the edit link");
        let res = post(
            &s,
            &official,
            SaveAuthorityContact::PATH,
            &contact(a.id, "Elena Dobre", "elena.dobre@primarie.ro", "0237.236.001", ""),
        )
        .await;
        assert_eq!(res.headers()["location"], format!("/authorities/{}?contact_saved=1", a.slug), "{kind:?}");
        assert_eq!(stored(&s, a.id).await, ["Elena Dobre", "elena.dobre@primarie.ro", "0237.236.001", ""]);
        // ...but not another authority's.
        let before_other = stored(&s, other.id).await;
        let res = post(
            &s,
            &official,
            SaveAuthorityContact::PATH,
            &contact(other.id, "Elena Dobre", "elena.dobre@primarie.ro", "0237 236 001", ""),
        )
        .await;
        assert_eq!(error_of(res).await, Problem::Forbidden, "{kind:?}");
        assert_eq!(stored(&s, other.id).await, before_other, "{kind:?}");
    }
}

#[tokio::test]
async fn officer_contact_with_mistakes_comes_back_with_messages_and_values() {
    for kind in backends() {
        let s = spawn(kind).await;
        let a = app::orgs::db::authorities(&s.db, "").await.unwrap().into_iter().next().expect("demo authorities");
        let before = stored(&s, a.id).await;
        let admin = person_with(&s, "admin@exemplu.ro", Some((RoleKind::Admin, 0))).await;
        let bad = contact(a.id, "Maria Ionescu", "maria@", "0237 236 000 int. 5", "registratura@primarie.ro");
        let res = post(&s, &admin, SaveAuthorityContact::PATH, &bad).await;
        assert_eq!(res.status(), 422, "{kind:?}");
        let p = error_of(res).await;
        let f = p.form().expect("field errors");
        let fields: Vec<(&str, K)> = f.errors.iter().map(|e| (e.field.as_str(), e.msg)).collect();
        assert_eq!(fields, [("officer_email", K::err_email_invalid), ("officer_phone", K::err_phone_invalid)]);
        for (field, typed) in [
            ("officer_name", "Maria Ionescu"),
            ("officer_email", "maria@"),
            ("officer_phone", "0237 236 000 int. 5"),
            ("registry_email", "registratura@primarie.ro"),
        ] {
            assert_eq!(f.value_of(field).as_deref(), Some(typed), "{kind:?}: {field} kept");
        }
        assert_eq!(stored(&s, a.id).await, before, "{kind:?}: nothing stored");

        // Without JavaScript: back to the form, the message next to the field, every value typed.
        let form_path = format!("/authorities/{}/contact", a.slug);
        let pairs: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let res = admin
            .post(format!("{}{}", s.base, SaveAuthorityContact::PATH))
            .header("origin", &s.base)
            .header("accept", "text/html")
            .header("referer", format!("{}{form_path}", s.base))
            .form(&pairs)
            .send()
            .await
            .unwrap();
        let location = res.headers()["location"].to_str().unwrap().to_string();
        assert!(location.contains(&form_path) && location.contains("__err="), "{kind:?}: {location}");
        let html = admin.get(&location).send().await.unwrap().text().await.unwrap();
        assert!(html.contains("Adresa de e-mail nu pare corectă"), "{kind:?}: the message, in Romanian");
        assert!(html.contains("Numărul de telefon nu pare corect"), "{kind:?}");
        assert!(html.contains("id=\"f-officer_email-err\""), "{kind:?}: next to the field");
        for typed in [
            "value=\"Maria Ionescu\"",
            "value=\"maria@\"",
            "value=\"0237 236 000 int. 5\"",
            "value=\"registratura@primarie.ro\"",
        ] {
            assert!(html.contains(typed), "{kind:?}: {typed}");
        }
        assert!(html.contains("aria-invalid=\"true\""));
    }
}
