//! The accounts feature over real HTTP, on SQLite and PostgreSQL.

use crate::common::*;
use app::accounts::*;
use app::error::Problem;
use app::i18n::K;
use leptos::server_fn::ServerFn;

async fn error_of(res: reqwest::Response) -> Problem {
    let body = res.text().await.unwrap();
    serde_json::from_str::<AccountsError>(&body).unwrap_or_else(|e| panic!("not an AccountsError ({e}): {body}")).0
}

/// A server function that succeeded and asked the page to go to the returned path.
fn redirected(res: &reqwest::Response) -> String {
    assert!(res.status().is_success() || res.status() == 302, "status {}", res.status());
    res.headers().get("location").expect("a redirect").to_str().unwrap().to_string()
}

async fn register(s: &TestServer, c: &reqwest::Client, email: &str) {
    let res = s
        .call(
            c,
            Register::PATH,
            &[("display_name", "Ana Pop"), ("email", email), ("password", "parola-buna-7"), ("website", "")],
        )
        .await;
    assert_eq!(redirected(&res), "/account/check-email");
}

async fn verify_and_login(s: &TestServer, c: &reqwest::Client, email: &str, password: &str) {
    let token = s.token_for(email).await;
    let res = s.call(c, VerifyEmail::PATH, &[("token", &token)]).await;
    assert_eq!(redirected(&res), "/account/verified");
    let res = s.call(c, Login::PATH, &[("email", email), ("password", password), ("next", "")]).await;
    assert_eq!(redirected(&res), "/account");
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.starts_with("sid=") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
}

#[tokio::test]
async fn account_lifecycle_register_verify_profile_export_delete() {
    for kind in backends() {
        let s = spawn(kind).await;
        let c = client();
        register(&s, &c, "ana@exemplu.ro").await;
        // The address is not verified yet, but signing in works and says so.
        verify_and_login(&s, &c, "ana@exemplu.ro", "parola-buna-7").await;

        let me: Option<SessionUser> = s.call(&c, GetMe::PATH, &[]).await.json().await.unwrap();
        let me = me.expect("signed in");
        assert!(me.verified);
        assert_eq!(me.display_name, "Ana Pop");

        let res = s
            .call(
                &c,
                UpdateProfile::PATH,
                &[("display_name", "Ana P."), ("locality", "Focșani"), ("county", "Vrancea")],
            )
            .await;
        redirected(&res);
        let me: Option<SessionUser> = s.call(&c, GetMe::PATH, &[]).await.json().await.unwrap();
        assert_eq!(me.unwrap().locality, "Focșani");

        let res = s.get(&c, ExportMyData::PATH).await;
        assert_eq!(res.status(), 200);
        assert!(res.headers()["content-disposition"].to_str().unwrap().contains("attachment"));
        let data: serde_json::Value = res.json().await.unwrap();
        assert_eq!(data["account"]["email"], "ana@exemplu.ro");
        assert_eq!(data["account"]["locality"], "Focșani");
        assert!(!data["sessions"].as_array().unwrap().is_empty());

        // A wrong confirmation word is refused next to its field, and the account stays.
        let res = s.call(&c, DeleteAccount::PATH, &[("password", "parola-buna-7"), ("confirm", "nu")]).await;
        let p = error_of(res).await;
        assert_eq!(p.form().unwrap().errors[0].field, "confirm");
        let res = s.call(&c, DeleteAccount::PATH, &[("password", "parola-buna-7"), ("confirm", "ȘTERGE")]).await;
        assert_eq!(redirected(&res), "/?deleted=1", "{kind:?}");

        // Gone: no session, no sign-in, no personal data left.
        let me: Option<SessionUser> = s.call(&c, GetMe::PATH, &[]).await.json().await.unwrap();
        assert!(me.is_none());
        let res =
            s.call(&c, Login::PATH, &[("email", "ana@exemplu.ro"), ("password", "parola-buna-7"), ("next", "")]).await;
        assert_eq!(error_of(res).await.form().unwrap().errors[0].msg, K::err_login_failed);
        assert!(app::accounts::db::find_user_by_email(&s.db, "ana@exemplu.ro").await.unwrap().is_none());
    }
}

#[tokio::test]
async fn bad_input_comes_back_with_messages_and_values_but_never_the_password() {
    for kind in backends() {
        let s = spawn(kind).await;
        let c = client();
        let res = s
            .call(
                &c,
                Register::PATH,
                &[("display_name", "A"), ("email", "ana@"), ("password", "scurt"), ("website", "")],
            )
            .await;
        assert!(res.status().is_client_error() || res.status().is_server_error());
        let p = error_of(res).await;
        let form = p.form().expect("field errors");
        let fields: Vec<_> = form.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["display_name", "email", "password"]);
        assert_eq!(form.value_of("email").as_deref(), Some("ana@"));
        assert_eq!(form.value_of("display_name").as_deref(), Some("A"));
        assert_eq!(form.value_of("password"), None);
    }
}

#[tokio::test]
async fn without_javascript_the_form_comes_back_filled_with_its_messages() {
    let s = spawn(app::ssr::DbKind::Sqlite).await;
    let c = client();
    let referer = format!("{}/account/register", s.base);
    let res = c
        .post(format!("{}{}", s.base, Register::PATH))
        .header("origin", &s.base)
        .header("accept", "text/html")
        .header("referer", &referer)
        .form(&[("display_name", "Ion Popescu"), ("email", "ion@"), ("password", "parola-buna-7"), ("website", "")])
        .send()
        .await
        .unwrap();
    redirected(&res);
    let location = res.headers()["location"].to_str().unwrap().to_string();
    assert!(location.contains("__err="), "{location}");
    let page = c.get(&location).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("value=\"ion@\""), "typed e-mail kept");
    assert!(page.contains("value=\"Ion Popescu\""), "typed name kept");
    assert!(page.contains("Adresa de e-mail nu pare corectă"), "message next to the field, in Romanian");
    assert!(page.contains("aria-invalid=\"true\""));
}

#[tokio::test]
async fn sign_in_is_rate_limited_per_account() {
    for kind in backends() {
        let s = spawn(kind).await;
        let c = client();
        register(&s, &c, "vlad@exemplu.ro").await;
        for _ in 0..5 {
            let res = s
                .call(&c, Login::PATH, &[("email", "vlad@exemplu.ro"), ("password", "gresita-123"), ("next", "")])
                .await;
            assert_eq!(error_of(res).await.form().unwrap().errors[0].msg, K::err_login_failed);
        }
        // Even the right password waits now; the message says how long.
        let res =
            s.call(&c, Login::PATH, &[("email", "vlad@exemplu.ro"), ("password", "parola-buna-7"), ("next", "")]).await;
        match error_of(res).await {
            Problem::RateLimited { retry_after_secs, kept } => {
                assert!(retry_after_secs > 0 && retry_after_secs <= 15 * 60);
                assert_eq!(kept.value_of("email").as_deref(), Some("vlad@exemplu.ro"), "what was typed comes back");
            }
            other => panic!("expected a rate limit, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn cross_site_posts_are_refused() {
    let s = spawn(app::ssr::DbKind::Sqlite).await;
    let c = client();
    let res = c
        .post(format!("{}{}", s.base, Logout::PATH))
        .header("origin", "https://evil.example")
        .header("cookie", "sid=whatever")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let res = c
        .post(format!("{}{}", s.base, UpdateProfile::PATH))
        .header("sec-fetch-site", "cross-site")
        .form(&[("display_name", "x"), ("locality", ""), ("county", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
}

#[tokio::test]
async fn admin_functions_check_the_role_on_the_server() {
    for kind in backends() {
        let s = spawn(kind).await;
        let anon = client();
        let res = s.call(&anon, AdminListUsers::PATH, &[("q", "")]).await;
        assert_eq!(error_of(res).await, Problem::Unauthenticated);

        let resident = client();
        register(&s, &resident, "rezident@exemplu.ro").await;
        verify_and_login(&s, &resident, "rezident@exemplu.ro", "parola-buna-7").await;
        for (path, form) in [
            (AdminListUsers::PATH, vec![("q", "")]),
            (AdminOutbox::PATH, vec![]),
            (GrantRole::PATH, vec![("email", "rezident@exemplu.ro"), ("role", "admin"), ("scope", "")]),
            (RevokeRole::PATH, vec![("role_id", "1")]),
        ] {
            let res = s.call(&resident, path, &form).await;
            assert_eq!(error_of(res).await, Problem::Forbidden, "{path}");
        }

        let admin = client();
        register(&s, &admin, "admin@exemplu.ro").await;
        let id = app::accounts::db::find_user_by_email(&s.db, "admin@exemplu.ro").await.unwrap().unwrap().id;
        app::accounts::db::grant_role(&s.db, id, rules::RoleKind::Admin, 0, id).await.unwrap();
        verify_and_login(&s, &admin, "admin@exemplu.ro", "parola-buna-7").await;
        let orgs = app::accounts::db::scope_options(&s.db).await.unwrap();
        let dizabil = orgs.iter().find(|o| o.name.contains("DizAbil")).expect("demo organisation");
        let scope = format!("org:{}", dizabil.id);
        let res = s
            .call(
                &admin,
                GrantRole::PATH,
                &[("email", "rezident@exemplu.ro"), ("role", "org_admin"), ("scope", &scope)],
            )
            .await;
        redirected(&res);
        // A role that needs an organisation is refused without one.
        let res = s
            .call(&admin, GrantRole::PATH, &[("email", "rezident@exemplu.ro"), ("role", "official"), ("scope", &scope)])
            .await;
        assert_eq!(error_of(res).await.form().unwrap().errors[0].field, "scope");
        let users: Vec<AdminUserRow> =
            s.call(&admin, AdminListUsers::PATH, &[("q", "rezident")]).await.json().await.unwrap();
        assert_eq!(users.len(), 1);
        assert_eq!(users[0].roles[0].kind, rules::RoleKind::OrgAdmin);
        assert_eq!(users[0].roles[0].scope_name.as_deref(), Some(dizabil.name.as_str()));
        // The last admin cannot be removed.
        let admin_role = app::accounts::db::roles_of(&s.db, id).await.unwrap()[0].id.to_string();
        let res = s.call(&admin, RevokeRole::PATH, &[("role_id", &admin_role)]).await;
        assert_eq!(error_of(res).await, Problem::Refused(K::err_last_admin));
    }
}

#[tokio::test]
async fn pages_speak_romanian_first_and_remember_english() {
    let s = spawn(app::ssr::DbKind::Sqlite).await;
    let c = client();
    let res = s.get(&c, "/").await;
    assert_eq!(res.status(), 200);
    let csp = res.headers()["content-security-policy"].to_str().unwrap().to_string();
    for h in ["x-content-type-options", "referrer-policy", "x-request-id"] {
        assert!(res.headers().contains_key(h), "{h}");
    }
    let html = res.text().await.unwrap();
    assert!(html.contains("<html lang=\"ro\""));
    assert!(html.contains("Participare publică"));
    // Inline scripts carry the nonce the policy names; nothing else may run.
    let nonce = csp.split("'nonce-").nth(1).unwrap().split('\'').next().unwrap();
    assert!(html.contains(&format!("nonce=\"{nonce}\"")), "hydration script has the CSP nonce");
    assert!(csp.contains("frame-ancestors 'none'"));

    let res = s.call(&c, SetLanguage::PATH, &[("lang", "en"), ("next", "/about")]).await;
    assert_eq!(redirected(&res), "/about");
    let html = s.get(&c, "/about").await.text().await.unwrap();
    assert!(html.contains("<html lang=\"en\""));
    assert!(html.contains("About Participa"));
    // An open redirect is not possible through `next`.
    let res = s.call(&c, SetLanguage::PATH, &[("lang", "ro"), ("next", "//evil.example")]).await;
    assert_eq!(redirected(&res), "/account");

    assert_eq!(s.get(&c, "/healthz").await.status(), 200);
    assert_eq!(s.get(&c, "/no-such-page").await.status(), 404);
}

#[tokio::test]
async fn password_reset_signs_out_other_devices() {
    for kind in backends() {
        let s = spawn(kind).await;
        let phone = client();
        register(&s, &phone, "maria@exemplu.ro").await;
        verify_and_login(&s, &phone, "maria@exemplu.ro", "parola-buna-7").await;
        let laptop = client();
        let res = s.call(&laptop, ForgotPassword::PATH, &[("email", "maria@exemplu.ro")]).await;
        redirected(&res);
        // An unknown address gets the same answer, so the form reveals nobody.
        let res = s.call(&laptop, ForgotPassword::PATH, &[("email", "nimeni@exemplu.ro")]).await;
        redirected(&res);
        let token = s.token_for("maria@exemplu.ro").await;
        let res = s.call(&laptop, ResetPassword::PATH, &[("token", &token), ("password", "alta-parola-9")]).await;
        redirected(&res);
        let me: Option<SessionUser> = s.call(&phone, GetMe::PATH, &[]).await.json().await.unwrap();
        assert!(me.is_none(), "the phone was signed out");
        let me: Option<SessionUser> = s.call(&laptop, GetMe::PATH, &[]).await.json().await.unwrap();
        assert!(me.is_some(), "the laptop is signed in");
        // The link works once.
        let res = s.call(&laptop, ResetPassword::PATH, &[("token", &token), ("password", "alta-parola-10")]).await;
        assert_eq!(error_of(res).await, Problem::Refused(K::err_link_invalid));
    }
}

#[tokio::test]
async fn changing_the_email_needs_the_password_and_a_click_in_the_new_mailbox() {
    for kind in backends() {
        let s = spawn(kind).await;
        let c = client();
        register(&s, &c, "vechi@exemplu.ro").await;
        verify_and_login(&s, &c, "vechi@exemplu.ro", "parola-buna-7").await;
        let res = s.call(&c, ChangeEmail::PATH, &[("email", "nou@exemplu.ro"), ("password", "gresita-000")]).await;
        assert_eq!(error_of(res).await.form().unwrap().errors[0].field, "password");
        let res = s.call(&c, ChangeEmail::PATH, &[("email", "nou@exemplu.ro"), ("password", "parola-buna-7")]).await;
        assert_eq!(redirected(&res), "/account?saved=email");
        // Nothing changes until the new address confirms.
        let me: Option<SessionUser> = s.call(&c, GetMe::PATH, &[]).await.json().await.unwrap();
        assert_eq!(me.unwrap().email, "vechi@exemplu.ro");
        let token = s.token_for("nou@exemplu.ro").await;
        let res = s.call(&c, VerifyEmail::PATH, &[("token", &token)]).await;
        assert_eq!(redirected(&res), "/account/verified");
        let me: Option<SessionUser> = s.call(&c, GetMe::PATH, &[]).await.json().await.unwrap();
        assert_eq!(me.unwrap().email, "nou@exemplu.ro");
    }
}
