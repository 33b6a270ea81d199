//! Organisations over real HTTP: catalogue search (same answers on SQLite and PostgreSQL),
//! the registration → verification lifecycle by role, open-data export.

mod catalogue;
mod events;
mod members;
mod newsletter;
mod notifications;
mod officer;
mod officials;
mod stories;

use crate::common::*;
use app::error::Problem;
use app::i18n::K;
use app::orgs::*;
use leptos::server_fn::ServerFn;

async fn error_of(res: reqwest::Response) -> Problem {
    let body = res.text().await.unwrap();
    serde_json::from_str::<OrgsError>(&body).unwrap_or_else(|e| panic!("not an OrgsError ({e}): {body}")).0
}

async fn verified_user(s: &TestServer, email: &str) -> reqwest::Client {
    let c = client();
    let res = s
        .call(
            &c,
            app::accounts::Register::PATH,
            &[("display_name", "Dana"), ("email", email), ("password", "parola-buna-7"), ("website", "")],
        )
        .await;
    assert!(res.headers().contains_key("location"));
    let token = s.token_for(email).await;
    s.call(&c, app::accounts::VerifyEmail::PATH, &[("token", &token)]).await;
    let res =
        s.call(&c, app::accounts::Login::PATH, &[("email", email), ("password", "parola-buna-7"), ("next", "")]).await;
    assert!(res.headers().contains_key("set-cookie"));
    c
}

fn org_form<'a>(name: &'a str, form: &'a str, cui: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("name", name),
        ("legal_form", form),
        ("cui", cui),
        ("registry_number", ""),
        ("locality", "Focșani"),
        ("county", "Vrancea"),
        ("domains[]", "disability"),
        ("domains[]", "mobility"),
        ("short_description", "Cartografiem rampele din Focșani."),
        ("website", "https://exemplu.ro"),
        ("contact_email", "contact@exemplu.ro"),
    ]
}

async fn post(s: &TestServer, c: &reqwest::Client, path: &str, v: &[(&str, String)]) -> reqwest::Response {
    let pairs: Vec<(&str, &str)> = v.iter().map(|(k, v)| (*k, v.as_str())).collect();
    s.call(c, path, &pairs).await
}
