//! The legal pages (privacy, terms, cookies, accessibility, source) and the accessibility
//! statement's feedback form, over HTTP on SQLite and PostgreSQL.
use crate::common::*;
use app::error::Problem;
use app::i18n::K;
use app::legal::{LegalError, SendAccessibilityFeedback};
use leptos::server_fn::ServerFn;
use sqlx::Row;

const PAGES: [&str; 5] = ["/privacy", "/terms", "/cookies", "/accessibility", "/source"];

fn operator(source_url: &str) -> app::ssr::Operator {
    app::ssr::Operator {
        name: "Asociația Operator de Test".into(),
        address: "Strada Unirii 7, Focșani".into(),
        email: "date@operator-test.ro".into(),
        dpo_email: "dpo@operator-test.ro".into(),
        source_url: source_url.into(),
        placeholder: false,
        storage_host: "s3.furnizor-test.ro".into(),
        tile_origin: "https://tile.openstreetmap.org".into(),
    }
}

async fn page(s: &TestServer, path: &str, lang: &str) -> String {
    let res = s.client.get(format!("{}{path}", s.base)).header("cookie", format!("lang={lang}")).send().await.unwrap();
    assert_eq!(res.status(), 200, "{path} ({lang})");
    // Without the empty comments that separate text nodes for hydration.
    res.text().await.unwrap().replace("<!>", "")
}

async fn error_of(res: reqwest::Response) -> Problem {
    let body = res.text().await.unwrap();
    serde_json::from_str::<LegalError>(&body).unwrap_or_else(|e| panic!("not a LegalError ({e}): {body}")).0
}

fn feedback<'a>(description: &'a str, email: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![("name", "Ana Ionescu"), ("email", email), ("page", "/map"), ("description", description), ("website", "")]
}

#[tokio::test]
async fn every_legal_page_answers_in_both_languages_with_the_operator_from_settings() {
    for kind in backends() {
        let s = spawn_with(kind, |st| st.operator = operator("https://cod.operator-test.ro/participa")).await;
        for lang in ["ro", "en"] {
            for path in PAGES {
                let html = page(&s, path, lang).await;
                assert!(html.contains(&format!("<html lang=\"{lang}\"")), "{path} {lang}");
                assert!(html.contains("Asociația Operator de Test"), "{path} ({lang}) names the operator");
                assert!(html.contains("href=\"https://cod.operator-test.ro/participa\""), "footer source link");
                for p in ["/privacy", "/terms", "/cookies", "/accessibility"] {
                    assert!(html.contains(&format!("href=\"{p}\"")), "{path} ({lang}) footer links {p}");
                }
            }
            let privacy = page(&s, "/privacy", lang).await;
            for needle in [
                "Strada Unirii 7, Focșani",
                "mailto:dpo@operator-test.ro",
                "ANSPDCP",
                "s3.furnizor-test.ro",
                "tile.openstreetmap.org",
                "82/1991",
                "href=\"/account/delete\"",
            ] {
                assert!(privacy.contains(needle), "privacy ({lang}) says {needle}");
            }
            let cookies = page(&s, "/cookies", lang).await;
            for needle in ["<code>sid</code>", "<code>lang</code>", "<code>pcg</code>", "14", "30", "2002/58"] {
                assert!(cookies.contains(needle), "cookies ({lang}) say {needle}");
            }
            let a11y = page(&s, "/accessibility", lang).await;
            for needle in
                ["WCAG 2.2", "2018/1523", "112/2018", "adr.gov.ro", "name=\"description\"", "date@operator-test.ro"]
            {
                assert!(a11y.contains(needle), "accessibility ({lang}) says {needle}");
            }
            let source = page(&s, "/source", lang).await;
            assert!(source.contains("AGPL-3.0-or-later") && source.contains(env!("CARGO_PKG_VERSION")), "{lang}");
        }
        let ro = page(&s, "/privacy", "ro").await;
        assert!(ro.contains("Informare privind protecția datelor personale") && ro.contains("Temei legal"));
        let en = page(&s, "/privacy", "en").await;
        assert!(en.contains("Privacy notice") && en.contains("Legal basis") && !en.contains("Temei legal"));
    }
}

#[tokio::test]
async fn without_a_source_url_the_footer_leads_to_the_source_page_and_an_unset_operator_is_said_so() {
    let s = spawn(app::ssr::DbKind::Sqlite).await;
    let html = page(&s, "/source", "ro").await;
    assert!(html.contains("href=\"/source\""), "the footer's source link");
    assert!(html.contains("nu a publicat încă o adresă a codului sursă"), "says how to ask for it");
    let privacy = page(&s, "/privacy", "en").await;
    assert!(privacy.contains("has not published their details yet"), "no invented operator");
    let s = spawn_with(app::ssr::DbKind::Sqlite, |st| {
        st.operator =
            app::ssr::Operator { placeholder: true, name: "Asociația Exemplu (demo)".into(), ..Default::default() }
    })
    .await;
    let privacy = page(&s, "/privacy", "ro").await;
    assert!(privacy.contains("instalare demonstrativă") && privacy.contains("Asociația Exemplu (demo)"));
}

#[tokio::test]
async fn accessibility_feedback_is_stored_and_mailed_once_to_each_admin() {
    use app::accounts::{db as adb, rules::RoleKind};
    for kind in backends() {
        let s = spawn_with(kind, |st| {
            st.operator = operator("");
            st.admin_emails = vec!["ana.admin@exemplu.ro".into(), "sef@exemplu.ro".into()];
        })
        .await;
        for (email, lang, verified) in [
            ("ana.admin@exemplu.ro", "en", true),
            ("dan.admin@exemplu.ro", "ro", true),
            ("neconfirmat@exemplu.ro", "ro", false),
        ] {
            let id = adb::create_user(&s.db, email, "x", "Admin", lang).await.unwrap();
            if verified {
                adb::mark_verified(&s.db, id).await.unwrap();
            }
            adb::grant_role(&s.db, id, RoleKind::Admin, 0, id).await.unwrap();
        }
        let text = "Butonul „Trimite” de pe hartă nu se poate folosi cu tastatura.";
        let res = s.call(&client(), SendAccessibilityFeedback::PATH, &feedback(text, "ana@exemplu.ro")).await;
        assert_eq!(res.headers()["location"], "/accessibility?sent=1#feedback");

        let row = sqlx::query("SELECT id, name, email, page, description, lang FROM accessibility_feedback")
            .fetch_one(&s.db.pool)
            .await
            .unwrap();
        assert_eq!(row.get::<String, _>("description"), text);
        assert_eq!(
            (row.get::<String, _>("name"), row.get::<String, _>("email")),
            ("Ana Ionescu".into(), "ana@exemplu.ro".into())
        );
        assert_eq!(row.get::<String, _>("page"), "/map");
        let id: i64 = row.get("id");

        let mails = sqlx::query(
            "SELECT to_addr, subject, body_text FROM mail_outbox WHERE kind = 'legal.feedback' ORDER BY to_addr",
        )
        .fetch_all(&s.db.pool)
        .await
        .unwrap();
        let to: Vec<String> = mails.iter().map(|m| m.get("to_addr")).collect();
        assert_eq!(
            to,
            ["ana.admin@exemplu.ro", "dan.admin@exemplu.ro", "sef@exemplu.ro"],
            "one mail per admin, none to the unverified"
        );
        let subjects: Vec<String> = mails.iter().map(|m| m.get("subject")).collect();
        assert_eq!(
            subjects,
            [
                "New accessibility feedback",
                "Sesizare nouă despre accesibilitate",
                "Sesizare nouă despre accesibilitate"
            ]
        );
        for m in &mails {
            let body: String = m.get("body_text");
            assert!(body.contains(text) && body.contains("ana@exemplu.ro") && body.contains(&id.to_string()), "{body}");
        }

        // Delivered over real SMTP, one message to each admin, with what the person typed.
        let (port, mut rx) = crate::common::smtp::sink().await;
        let smtp = server::mail::Transport::from_config(
            Some(&format!("smtp://127.0.0.1:{port}")),
            "Participa <no-reply@exemplu.ro>",
        )
        .unwrap();
        while server::mail::deliver_due(&s.db, &smtp).await.unwrap() > 0 {}
        let mut delivered = vec![];
        while let Ok(m) = rx.try_recv() {
            delivered.push(m);
        }
        for to in ["ana.admin@exemplu.ro", "dan.admin@exemplu.ro", "sef@exemplu.ro"] {
            let got = delivered.iter().filter(|m| m.contains(&format!("To: {to}"))).count();
            assert_eq!(got, 1, "{kind:?}: one message reached {to}");
        }
        assert!(!delivered.iter().any(|m| m.contains("neconfirmat@exemplu.ro")));
        let sent: Vec<String> = sqlx::query("SELECT status FROM mail_outbox WHERE kind = 'legal.feedback'")
            .fetch_all(&s.db.pool)
            .await
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        assert_eq!(sent, ["sent", "sent", "sent"], "{kind:?}");

        // Only the description is required; a bot's hidden field stores nothing.
        let res = s
            .call(&client(), SendAccessibilityFeedback::PATH, &[("description", "Contrast prea slab pe butoane.")])
            .await;
        assert_eq!(res.headers()["location"], "/accessibility?sent=1#feedback");
        let mut bot = feedback("Cumpărați acum, ofertă specială!", "");
        bot[4] = ("website", "https://spam.example");
        s.call(&client(), SendAccessibilityFeedback::PATH, &bot).await;
        let n: i64 =
            sqlx::query("SELECT COUNT(*) FROM accessibility_feedback").fetch_one(&s.db.pool).await.unwrap().get(0);
        assert_eq!(n, 2);
    }
}

#[tokio::test]
async fn bad_feedback_comes_back_with_field_messages_and_the_typed_values() {
    for kind in backends() {
        let s = spawn(kind).await;
        let long_name = "N".repeat(101);
        let mut form = feedback("scurt", "ana@");
        form[0] = ("name", &long_name);
        let res = s.call(&client(), SendAccessibilityFeedback::PATH, &form).await;
        assert_eq!(res.status(), 422);
        let p = error_of(res).await;
        let f = p.form().expect("field errors");
        let got: Vec<_> = f.errors.iter().map(|e| (e.field.as_str(), e.msg)).collect();
        assert_eq!(
            got,
            [
                ("name", K::legal_a11y_err_name_long),
                ("email", K::err_email_invalid),
                ("description", K::legal_a11y_err_description_short)
            ]
        );
        assert_eq!(f.value_of("email").as_deref(), Some("ana@"));
        assert_eq!(f.value_of("description").as_deref(), Some("scurt"));
        assert_eq!(f.value_of("page").as_deref(), Some("/map"));
        let n: i64 =
            sqlx::query("SELECT COUNT(*) FROM accessibility_feedback").fetch_one(&s.db.pool).await.unwrap().get(0);
        assert_eq!(n, 0);
    }
}

#[tokio::test]
async fn without_javascript_the_form_comes_back_filled_with_its_messages() {
    for kind in backends() {
        let s = spawn(kind).await;
        let c = client();
        let referer = format!("{}/accessibility", s.base);
        let res = c
            .post(format!("{}{}", s.base, SendAccessibilityFeedback::PATH))
            .header("origin", &s.base)
            .header("accept", "text/html")
            .header("referer", &referer)
            .header("cookie", "lang=ro")
            .form(&feedback("scurt", "ana@"))
            .send()
            .await
            .unwrap();
        let location = res.headers()["location"].to_str().unwrap().to_string();
        assert!(location.contains("__err="), "{location}");
        let html = c.get(&location).header("cookie", "lang=ro").send().await.unwrap().text().await.unwrap();
        assert!(html.contains("value=\"ana@\""), "typed e-mail kept");
        assert!(html.contains("value=\"Ana Ionescu\""), "typed name kept");
        assert!(html.contains(">\nscurt</textarea>"), "typed description kept");
        assert!(html.contains("Descrieți problema în cel puțin 10 caractere."), "message next to the field");
        assert!(html.contains("aria-invalid=\"true\""));

        // Sent without script: back to the statement, which thanks the person.
        let res = c
            .post(format!("{}{}", s.base, SendAccessibilityFeedback::PATH))
            .header("origin", &s.base)
            .header("accept", "text/html")
            .header("referer", &referer)
            .form(&feedback("Linkurile din subsol sunt prea apropiate pe telefon.", ""))
            .send()
            .await
            .unwrap();
        let location = res.headers()["location"].to_str().unwrap().to_string();
        assert_eq!(location, "/accessibility?sent=1#feedback");
        let html = page(&s, "/accessibility?sent=1", "ro").await;
        assert!(html.contains("Sesizarea a ajuns la administratorii platformei"));
    }
}

#[tokio::test]
async fn feedback_is_limited_per_ip_address() {
    use app::legal::rules::FEEDBACK_PER_HOUR;
    for kind in backends() {
        let s = spawn(kind).await;
        for i in 0..FEEDBACK_PER_HOUR {
            let text = format!("Problema numărul {i} de pe pagina hărții.");
            let res = s.call(&client(), SendAccessibilityFeedback::PATH, &feedback(&text, "")).await;
            assert_eq!(res.headers()["location"], "/accessibility?sent=1#feedback", "{i}");
        }
        let res = s
            .call(&client(), SendAccessibilityFeedback::PATH, &feedback("Încă o problemă, a șasea.", "ana@exemplu.ro"))
            .await;
        assert_eq!(res.status(), 429);
        match error_of(res).await {
            Problem::RateLimited { retry_after_secs, kept } => {
                assert!(retry_after_secs > 0 && retry_after_secs <= 3600);
                assert_eq!(
                    kept.value_of("description").as_deref(),
                    Some("Încă o problemă, a șasea."),
                    "nothing typed is lost"
                );
            }
            other => panic!("expected a rate limit, got {other:?}"),
        }
        let n: i64 =
            sqlx::query("SELECT COUNT(*) FROM accessibility_feedback").fetch_one(&s.db.pool).await.unwrap().get(0);
        assert_eq!(n, FEEDBACK_PER_HOUR);
    }
}

#[tokio::test]
async fn an_oversized_feedback_body_is_refused_and_nothing_is_stored() {
    for kind in backends() {
        let s = spawn(kind).await;
        // Past the 2 MB every server function takes; the form's own limit is 4,000 characters.
        let huge = "a".repeat(3 * 1024 * 1024);
        let res = s
            .client
            .post(format!("{}{}", s.base, SendAccessibilityFeedback::PATH))
            .header("origin", &s.base)
            .form(&feedback(&huge, ""))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 413, "{kind:?}");
        // Just past the form's limit: said next to the field, not stored.
        let long = "a".repeat(app::legal::rules::DESCRIPTION_MAX + 1);
        let res = s.call(&client(), SendAccessibilityFeedback::PATH, &feedback(&long, "")).await;
        assert_eq!(res.status(), 422);
        let p = error_of(res).await;
        let got: Vec<_> = p.form().expect("field errors").errors.iter().map(|e| (e.field.as_str(), e.msg)).collect();
        assert_eq!(got, [("description", K::legal_a11y_err_description_long)]);
        let n: i64 =
            sqlx::query("SELECT COUNT(*) FROM accessibility_feedback").fetch_one(&s.db.pool).await.unwrap().get(0);
        assert_eq!(n, 0, "{kind:?}");
    }
}

/// Markup typed into every field is stored as typed and reaches the admins' mail escaped; a form
/// sent back with an error shows it as text, never as markup.
#[tokio::test]
async fn markup_in_feedback_is_kept_as_text_and_escaped_in_the_admins_mail() {
    const EVIL: &str =
        "</title><meta http-equiv=\"refresh\" content=\"0;url=https://rau.example\"><script>alert(1)</script>";
    for kind in backends() {
        let s = spawn_with(kind, |st| st.admin_emails = vec!["admin@exemplu.ro".into()]).await;
        let description = format!("Butonul nu merge. {EVIL}");
        let form =
            [("name", EVIL), ("email", ""), ("page", EVIL), ("description", description.as_str()), ("website", "")];
        let res = s.call(&client(), SendAccessibilityFeedback::PATH, &form).await;
        assert_eq!(res.headers()["location"], "/accessibility?sent=1#feedback", "{kind:?}");
        let row = sqlx::query("SELECT name, page, description FROM accessibility_feedback")
            .fetch_one(&s.db.pool)
            .await
            .unwrap();
        assert_eq!(row.get::<String, _>("description"), description, "{kind:?}: stored as typed");

        let html: String = sqlx::query("SELECT body_html FROM mail_outbox WHERE kind = 'legal.feedback'")
            .fetch_one(&s.db.pool)
            .await
            .unwrap()
            .get(0);
        assert!(!html.contains("<script>") && !html.contains("<meta http-equiv"), "{kind:?}: {html}");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{kind:?}: shown as text: {html}");
    }
}

/// Tachys (Leptos 0.8) does not escape the children of `<textarea>`, so a value sent back after an
/// error (or a stored text put in an edit form) could close the field and add markup. Every textarea
/// takes its value escaped through `ui::form::textarea_html` (a source lint in `app` checks them all).
#[tokio::test]
async fn markup_sent_back_in_a_textarea_cannot_close_it() {
    const EVIL: &str = "</title><script>alert(1)</script>";
    for kind in backends() {
        let s = spawn(kind).await;
        // A wrong address, with markup everywhere: the page that comes back without JS holds it as text.
        let short = [
            ("name", EVIL),
            ("email", "ana@"),
            ("page", ""),
            ("description", "<b>x</textarea><script>alert(2)</script>"),
            ("website", ""),
        ];
        let c = client();
        let res = c
            .post(format!("{}{}", s.base, SendAccessibilityFeedback::PATH))
            .header("origin", &s.base)
            .header("referer", format!("{}/accessibility", s.base))
            .header("accept", "text/html")
            .form(&short)
            .send()
            .await
            .unwrap();
        let back = match res.headers().get("location").and_then(|l| l.to_str().ok()) {
            Some(l) => {
                let url = if l.starts_with('/') { format!("{}{l}", s.base) } else { l.to_string() };
                c.get(url).send().await.unwrap().text().await.unwrap()
            }
            None => res.text().await.unwrap(),
        };
        let start = back.find("<textarea").unwrap_or(0);
        let area = &back[start..back.len().min(start + 400)];
        assert!(!back.contains("<script>alert(2)"), "{kind:?}: the typed text cannot close the field: {area}");
        assert!(area.contains("alert(2)"), "{kind:?}: the typed text comes back: {area}");
        assert!(!back.contains("<script>alert(1)") && !back.contains("<meta http-equiv=\"refresh\""), "{kind:?}");
    }
}
