//! Helpers shared by the go-live security tests (`security_links.rs`, `security_limits.rs`).
use crate::common::TestServer;
use app::accounts::rules::RoleKind;
use leptos::server_fn::ServerFn;
use sqlx::Row;
use std::time::Duration;

/// A client like the harness's, with a timeout: a request that hangs fails the test instead.
pub fn client_t() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

/// A registered, verified, signed-in person, with a role if asked: (client, user id).
pub async fn person(s: &TestServer, email: &str, role: Option<(RoleKind, i64)>) -> (reqwest::Client, i64) {
    let c = client_t();
    let res = s
        .call(
            &c,
            app::accounts::Register::PATH,
            &[("display_name", "Dana Test"), ("email", email), ("password", "parola-buna-7"), ("website", "")],
        )
        .await;
    assert!(res.headers().contains_key("location"), "registered: {}", res.text().await.unwrap());
    let token = s.token_for(email).await;
    s.call(&c, app::accounts::VerifyEmail::PATH, &[("token", &token)]).await;
    let id = app::accounts::db::find_user_by_email(&s.db, email).await.unwrap().unwrap().id;
    if let Some((kind, scope)) = role {
        app::accounts::db::grant_role(&s.db, id, kind, scope, id).await.unwrap();
    }
    let res =
        s.call(&c, app::accounts::Login::PATH, &[("email", email), ("password", "parola-buna-7"), ("next", "")]).await;
    assert!(res.headers().contains_key("set-cookie"), "signed in");
    (c, id)
}

/// The id of the row of `table` with this slug.
pub async fn id_by_slug(s: &TestServer, table: &str, slug: &str) -> i64 {
    sqlx::query(&format!("SELECT id FROM {table} WHERE slug = $1"))
        .bind(slug)
        .fetch_one(&s.db.pool)
        .await
        .unwrap_or_else(|e| panic!("{table} {slug}: {e}"))
        .get(0)
}

/// The id of a demo map place, by its name.
pub async fn place_id(s: &TestServer, name: &str) -> i64 {
    sqlx::query("SELECT id FROM map_places WHERE name = $1")
        .bind(name)
        .fetch_one(&s.db.pool)
        .await
        .unwrap_or_else(|e| panic!("place {name}: {e}"))
        .get(0)
}

/// Where a response redirects to ("" when it does not).
pub fn location(res: &reqwest::Response) -> String {
    res.headers().get("location").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default()
}
