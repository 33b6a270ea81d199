//! The catalogue: search, registration and verification by role, open data, profile and logo.
use super::*;

async fn search(s: &TestServer, form: &[(&str, &str)]) -> Vec<String> {
    let mut full = vec![
        ("filter[q]", ""),
        ("filter[domain]", ""),
        ("filter[county]", ""),
        ("filter[form]", ""),
        ("filter[page]", "1"),
    ];
    let mut verified = "false";
    for (k, v) in form {
        if *k == "verified" {
            verified = v;
            continue;
        }
        for f in full.iter_mut() {
            if f.0 == format!("filter[{k}]") {
                f.1 = v;
            }
        }
    }
    full.push(("filter[verified]", verified));
    let res = s.call(&s.client, SearchOrgs::PATH, &full).await;
    let body = res.text().await.unwrap();
    let r: OrgResults = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}"));
    let mut names: Vec<String> = r.cards.into_iter().map(|c| c.name).collect();
    names.sort();
    names
}

/// Query → expected organisations, checked on every database.
const TABLE: &[(&str, &str, &[&str])] = &[
    ("Focsani", "", &["Asociația de Tineret „Eu, tu și ei” Focșani", "Grupul DizAbil.Eu Vrancea"]),
    ("Focşani", "", &["Asociația de Tineret „Eu, tu și ei” Focșani", "Grupul DizAbil.Eu Vrancea"]),
    ("FOCȘANI", "", &["Asociația de Tineret „Eu, tu și ei” Focșani", "Grupul DizAbil.Eu Vrancea"]),
    ("focsani", "disability", &["Asociația de Tineret „Eu, tu și ei” Focșani", "Grupul DizAbil.Eu Vrancea"]),
    ("Mogosoaia", "", &["Asociația Civis Mogoșoaia"]),
    ("grozav", "", &["„Loc de joacă pentru Grozăvești”"]),
    ("medici sate", "", &["Caravana cu Medici"]),
    ("nimic-de-gasit-aici", "", &[]),
];

#[tokio::test]
async fn search_folds_diacritics_and_agrees_across_databases() {
    for kind in backends() {
        let s = spawn(kind).await;
        for (q, domain, expected) in TABLE {
            let got = search(&s, &[("q", q), ("domain", domain)]).await;
            assert_eq!(got, *expected, "{kind:?}: {q:?} in {domain:?}");
        }
        let iasi = search(&s, &[("county", "Iași")]).await;
        assert_eq!(iasi.len(), 4, "{kind:?}: {iasi:?}");
        let all = search(&s, &[]).await;
        assert_eq!(all.len(), app::orgs::rules::PAGE_SIZE as usize, "first page is full");
    }
}

#[tokio::test]
async fn organisation_lifecycle_by_role() {
    for kind in backends() {
        let s = spawn(kind).await;
        let anon = client();
        let res = s.call(&anon, RegisterOrg::PATH, &org_form("Rampa Focșani", "informal", "")).await;
        assert_eq!(error_of(res).await, Problem::Unauthenticated);

        let founder = verified_user(&s, "fondator@exemplu.ro").await;
        // A wrong fiscal code is refused next to its field, with everything else kept.
        let res = s.call(&founder, RegisterOrg::PATH, &org_form("Asociația Rampa", "association", "18547291")).await;
        let p = error_of(res).await;
        assert_eq!(p.form().unwrap().errors[0].msg, K::err_cui_checksum);
        assert_eq!(p.kept().unwrap().value_of("name").as_deref(), Some("Asociația Rampa"));
        assert_eq!(p.kept().unwrap().value_of("domains").as_deref(), Some("disability,mobility"));

        let res = s.call(&founder, RegisterOrg::PATH, &org_form("Asociația Rampa", "association", "RO18547290")).await;
        assert_eq!(res.headers()["location"], "/organisations/asociatia-rampa?created=1");
        // Pending: not in the catalogue, not visible to others, visible to its admin.
        assert!(search(&s, &[("q", "rampa")]).await.is_empty());
        let res = s.call(&anon, GetOrg::PATH, &[("slug", "asociatia-rampa")]).await;
        assert_eq!(error_of(res).await, Problem::NotFound);
        let mine: OrgProfile =
            s.call(&founder, GetOrg::PATH, &[("slug", "asociatia-rampa")]).await.json().await.unwrap();
        assert_eq!(mine.cui.as_deref(), Some("18547290"));
        assert_eq!(mine.card.domains, ["disability", "mobility"]);
        assert_eq!(mine.members, 1, "the founder is its admin");

        // Only a platform admin verifies.
        let id = mine.card.id.to_string();
        let res = s.call(&founder, SetOrgStatus::PATH, &[("org_id", &id), ("status", "active")]).await;
        assert_eq!(error_of(res).await, Problem::Forbidden);
        let admin = verified_user(&s, "admin@exemplu.ro").await;
        let uid = app::accounts::db::find_user_by_email(&s.db, "admin@exemplu.ro").await.unwrap().unwrap().id;
        app::accounts::db::grant_role(&s.db, uid, app::accounts::rules::RoleKind::Admin, 0, uid).await.unwrap();
        let res = s.call(&admin, SetOrgStatus::PATH, &[("org_id", &id), ("status", "active")]).await;
        assert_eq!(res.headers()["location"], "/organisations/asociatia-rampa?status=1");
        assert_eq!(search(&s, &[("q", "rampa"), ("verified", "true")]).await, ["Asociația Rampa"]);
        let public: OrgProfile =
            s.call(&anon, GetOrg::PATH, &[("slug", "asociatia-rampa")]).await.json().await.unwrap();
        assert!(public.card.verified);

        // The same name cannot be registered twice.
        let res = s.call(&founder, RegisterOrg::PATH, &org_form("Asociația Rampa", "informal", "")).await;
        assert_eq!(error_of(res).await.form().unwrap().errors[0].msg, K::err_org_exists);
    }
}

#[tokio::test]
async fn open_data_export_lists_public_fields() {
    let s = spawn(app::ssr::DbKind::Sqlite).await;
    let res = s.get(&s.client, "/organisations.csv").await;
    assert_eq!(res.headers()["content-type"], "text/csv; charset=utf-8");
    let csv = res.text().await.unwrap();
    assert!(csv.starts_with("name,legal_form,cui"));
    assert!(csv.contains("\"Asociația de Tineret „Eu, tu și ei” Focșani\""));
    assert_eq!(csv.lines().count(), 14, "header + 13 demo organisations");
    let json: serde_json::Value = s.get(&s.client, "/organisations.json").await.json().await.unwrap();
    let list = json["organisations"].as_array().unwrap();
    assert_eq!(list.len(), 13);
    assert!(list.iter().all(|o| o.get("contact_email").is_none()), "no contact addresses in bulk");
    // Pages render, authorities included.
    let html = s.get(&s.client, "/organisations?q=Focsani").await.text().await.unwrap();
    assert!(html.contains("Grupul DizAbil.Eu Vrancea"));
    let html = s.get(&s.client, "/authorities").await.text().await.unwrap();
    assert!(html.contains("Primăria Municipiului Focșani"));
}

#[tokio::test]
async fn org_admins_edit_the_profile_and_upload_a_logo_checked_by_content() {
    use app::orgs::catalogue::UpdateOrgProfile;
    for kind in backends() {
        let s = spawn(kind).await;
        let founder = verified_user(&s, "fondator@exemplu.ro").await;
        let res = s.call(&founder, RegisterOrg::PATH, &org_form("Asociația Rampa", "association", "RO18547290")).await;
        assert!(res.headers().contains_key("location"));
        let me: OrgProfile = s.call(&founder, GetOrg::PATH, &[("slug", "asociatia-rampa")]).await.json().await.unwrap();
        let id = me.card.id.to_string();
        let form = |links: &'static str, year: &'static str| {
            vec![
                ("org_id", id.clone()),
                ("short_description", "Cartografiem rampele din Focșani.".to_string()),
                ("description", "Din 2009 cerem rampe.".to_string()),
                ("website", "https://rampa.ro".to_string()),
                ("social_links", links.to_string()),
                ("areas", "Focșani, Odobești".to_string()),
                ("founding_year", year.to_string()),
                ("contact_email", "contact@rampa.ro".to_string()),
            ]
        };
        // Someone else cannot edit it.
        let other = verified_user(&s, "altcineva@exemplu.ro").await;
        let res = post(&s, &other, UpdateOrgProfile::PATH, &form("", "2009")).await;
        assert_eq!(error_of(res).await, Problem::Forbidden);
        // Bad input comes back per field, values kept.
        let res = post(&s, &founder, UpdateOrgProfile::PATH, &form("javascript:alert(1)", "3000")).await;
        let p = error_of(res).await;
        let fields: Vec<&str> = p.form().unwrap().errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["social_links", "founding_year"]);
        assert_eq!(p.kept().unwrap().value_of("areas").as_deref(), Some("Focșani, Odobești"));
        let res = post(&s, &founder, UpdateOrgProfile::PATH, &form("https://facebook.com/rampa", "2009")).await;
        assert_eq!(res.headers()["location"], "/organisations/asociatia-rampa?saved=1");
        let me: OrgProfile = s.call(&founder, GetOrg::PATH, &[("slug", "asociatia-rampa")]).await.json().await.unwrap();
        assert_eq!(
            (me.founding_year, me.areas.as_str(), me.social_url.as_str()),
            (Some(2009), "Focșani, Odobești", "https://facebook.com/rampa")
        );

        // Logo: a plain multipart form. A file that only claims to be an image is refused.
        let upload = |bytes: Vec<u8>, alt: &'static str| {
            reqwest::multipart::Form::new().text("org_id", id.clone()).text("logo_alt", alt).part(
                "logo",
                reqwest::multipart::Part::bytes(bytes).file_name("logo.png").mime_str("image/png").unwrap(),
            )
        };
        let send = |form: reqwest::multipart::Form| {
            founder.post(format!("{}/organisations/{id}/logo", s.base)).header("origin", &s.base).multipart(form).send()
        };
        let res = send(upload(b"<svg onload=alert(1)></svg>".to_vec(), "Sigla Rampa")).await.unwrap();
        assert_eq!(res.headers()["location"], "/organisations/asociatia-rampa/edit?error=logo:type#logo-h");
        let mut png = Vec::new();
        image::DynamicImage::ImageRgb8(image::RgbImage::new(600, 300))
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        let res = send(upload(png.clone(), "")).await.unwrap();
        assert_eq!(res.headers()["location"], "/organisations/asociatia-rampa/edit?error=logo:alt#logo-h");
        let res = send(upload(png, "Sigla Rampa: o rampă albastră")).await.unwrap();
        assert_eq!(res.headers()["location"], "/organisations/asociatia-rampa?saved=1");
        let me: OrgProfile = s.call(&founder, GetOrg::PATH, &[("slug", "asociatia-rampa")]).await.json().await.unwrap();
        assert_eq!(me.logo_alt, "Sigla Rampa: o rampă albastră");
        let url = me.logo_url.expect("a logo");
        let res = s.get(&client(), &url).await;
        assert_eq!(res.headers()["content-type"], "image/jpeg");
        let bytes = res.bytes().await.unwrap();
        assert_eq!(&bytes[..3], &[0xFF, 0xD8, 0xFF], "re-encoded as JPEG");
    }
}
