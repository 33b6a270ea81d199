//! The anonymous page micro-cache over real HTTP: what is kept, for whom, and when it is dropped.

use crate::common::*;
use app::accounts::SetLanguage;
use leptos::server_fn::ServerFn;

pub const PAGE: &str = "/organisations/grupul-dizabil-eu-vrancea";

/// These tests take turns. Run side by side (each on its own runtime in one process) a render now
/// and then never finished: about 1 run in 8 hung, against 0 in 25 run one at a time. Production has
/// one runtime; the cause inside the several-runtimes harness is not found yet.
pub static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

pub async fn page(t: &TestServer, client: &reqwest::Client) -> (String, String) {
    let res = t.get(client, PAGE).await;
    assert_eq!(res.status(), 200);
    let csp = res.headers().get("content-security-policy").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let nonce = csp.split("'nonce-").nth(1).and_then(|r| r.split('\'').next()).unwrap_or("").to_string();
    (res.text().await.unwrap(), nonce)
}

/// A write through the server that changes what public pages show: a person renames themselves
/// (their name signs their public comments).
async fn shared_write(t: &TestServer) {
    use app::ssr::{now, sha256_hex};
    let email = format!("scriitor{}@exemplu.ro", app::ssr::public_id());
    let id = app::accounts::db::create_user(&t.db, &email, "!", "Scriitor", "ro").await.unwrap();
    let token = app::ssr::public_id();
    app::accounts::db::create_session(&t.db, &sha256_hex(&token), id, now() + 3600, "test").await.unwrap();
    let res = reqwest::Client::new()
        .post(format!("{}{}", t.base, app::accounts::UpdateProfile::PATH))
        .header("origin", &t.base)
        .header("cookie", format!("sid={token}"))
        .form(&[("display_name", "Scriitor Nou"), ("locality", ""), ("county", "")])
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success() || res.status().is_redirection(), "{}", res.status());
}

pub async fn rename(t: &TestServer, name: &str) {
    sqlx::query("UPDATE organisations SET name = $1 WHERE slug = 'grupul-dizabil-eu-vrancea'")
        .bind(name)
        .execute(&t.db.pool)
        .await
        .unwrap();
}

#[tokio::test]
async fn anonymous_pages_are_kept_briefly_with_fresh_nonces_and_dropped_on_writes() {
    let _turn = ONE_AT_A_TIME.lock().await;
    for kind in backends() {
        let t = spawn_with(kind, |s| s.page_cache_ms = 60_000).await;
        let anon = client();

        let (first, nonce1) = page(&t, &anon).await;
        let (second, nonce2) = page(&t, &anon).await;
        assert!(!nonce1.is_empty() && nonce1 != nonce2, "every response has its own nonce");
        assert!(second.contains(&format!("nonce=\"{nonce2}\"")), "the kept page carries this response's nonce");
        assert!(!second.contains(&nonce1), "no trace of the nonce it was rendered with");
        assert_eq!(first.replace(&nonce1, "N"), second.replace(&nonce2, "N"), "same page");

        // A change made behind the server's back is not seen by anonymous readers until a write...
        rename(&t, "Grup redenumit pentru cache").await;
        let (kept, _) = page(&t, &anon).await;
        assert!(!kept.contains("Grup redenumit pentru cache"), "{kind:?}: the kept copy is served");

        // ...while anyone with a session cookie always gets a fresh render.
        let signed = reqwest::Client::new();
        let res = signed.get(format!("{}{PAGE}", t.base)).header("cookie", "sid=not-a-session").send().await.unwrap();
        assert!(res.text().await.unwrap().contains("Grup redenumit pentru cache"));

        // Other languages are kept apart.
        let res = signed.get(format!("{}{PAGE}", t.base)).header("cookie", "lang=en").send().await.unwrap();
        let en = res.text().await.unwrap();
        assert!(en.contains("lang=\"en\"") && en.contains("Grup redenumit pentru cache"));

        // Writing one's own rows (switching language, here anonymously) leaves the kept pages...
        let res = t.call(&anon, SetLanguage::PATH, &[("lang", "ro"), ("next", "/")]).await;
        assert!(res.status().is_success() || res.status().is_redirection(), "{}", res.status());
        let (kept, _) = page(&t, &client()).await;
        assert!(!kept.contains("Grup redenumit pentru cache"), "{kind:?}: nobody empties the cache at will");
        // ...a write that may change public pages drops every kept page.
        shared_write(&t).await;
        let (fresh, _) = page(&t, &client()).await;
        assert!(fresh.contains("Grup redenumit pentru cache"), "{kind:?}: a write drops the kept pages");

        // A refused write drops nothing.
        rename(&t, "Alt nume").await;
        let res = reqwest::Client::new()
            .post(format!("{}{}", t.base, SetLanguage::PATH))
            .header("origin", "https://evil.example")
            .form(&[("lang", "en")])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 403);
        let (kept, _) = page(&t, &client()).await;
        assert!(kept.contains("Grup redenumit pentru cache") && !kept.contains("Alt nume"));
    }
}

#[tokio::test]
async fn expired_pages_are_refreshed_and_private_pages_never_kept() {
    let _turn = ONE_AT_A_TIME.lock().await;
    for kind in backends() {
        let t = spawn_with(kind, |s| s.page_cache_ms = 200).await;
        let anon = client();
        page(&t, &anon).await;
        rename(&t, "Dupa expirare").await;
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        // The first reader after expiry renders afresh (the others meanwhile get the old copy).
        let (fresh, _) = page(&t, &anon).await;
        assert!(fresh.contains("Dupa expirare"), "{kind:?}");

        // The sign-in page is not a public reading page: never kept.
        let before = t.get(&anon, "/account/login").await.text().await.unwrap();
        let after = t.get(&anon, "/account/login").await.text().await.unwrap();
        assert!(before.contains("<form") && after.contains("<form"));
    }
}

/// The shared-reads cache: rows every reader sees alike are reused for signed-in readers too, each
/// still getting their own render, until a write on this server.
#[tokio::test]
async fn shared_reads_serve_signed_in_readers_their_own_page_until_a_write() {
    let _turn = ONE_AT_A_TIME.lock().await;
    use app::ssr::{now, sha256_hex};
    const CONSULTATION: &str = "/consultations/planul-local-de-accesibilitate-focsani";
    for kind in backends() {
        let t = spawn_with(kind, |s| s.data_cache_ms = 60_000).await;
        let id =
            app::accounts::db::create_user(&t.db, "cititor@exemplu.ro", "!", "Cititoarea Ilinca", "ro").await.unwrap();
        app::accounts::db::create_session(&t.db, &sha256_hex("sesiune-cititor"), id, now() + 3600, "test")
            .await
            .unwrap();
        let signed = reqwest::Client::new();
        let read = |path: &'static str| {
            let (signed, base) = (signed.clone(), t.base.clone());
            async move {
                let res = signed.get(format!("{base}{path}")).header("cookie", "sid=sesiune-cititor").send().await;
                let res = res.unwrap();
                assert_eq!(res.status(), 200, "{path}");
                res.text().await.unwrap()
            }
        };
        // A signed-in page carries the sign-out form; the consultation page the person's follow button.
        let signed_out_form = app::accounts::Logout::PATH;
        let first = read(CONSULTATION).await;
        assert!(first.contains(signed_out_form), "{kind:?}: the signed-in reader's own page");
        assert!(first.contains("aria-pressed=\"false\""), "{kind:?}: not following yet");
        let map_first = read("/map?q=Prim%C4%83ria").await;

        sqlx::query("UPDATE consultations SET title = 'Titlu schimbat pe la spate' WHERE slug = 'planul-local-de-accesibilitate-focsani'")
            .execute(&t.db.pool)
            .await
            .unwrap();
        sqlx::query("UPDATE map_places SET name = 'Primăria schimbată pe la spate' WHERE name LIKE 'Primăria%'")
            .execute(&t.db.pool)
            .await
            .unwrap();
        // Following the consultation is this person's own: read beside the kept rows, so it shows at once.
        let cid: i64 =
            sqlx::query("SELECT id FROM consultations WHERE slug = 'planul-local-de-accesibilitate-focsani'")
                .fetch_one(&t.db.pool)
                .await
                .map(|r| sqlx::Row::get(&r, 0))
                .unwrap();
        app::consultations::db::follow(&t.db, cid, id).await.unwrap();

        let kept = read(CONSULTATION).await;
        assert!(!kept.contains("Titlu schimbat pe la spate"), "{kind:?}: the kept rows are reused");
        assert!(
            kept.contains(signed_out_form) && kept.contains("aria-pressed=\"true\""),
            "{kind:?}: per-person parts are fresh"
        );
        assert!(!read("/map?q=Prim%C4%83ria").await.contains("schimbată pe la spate"), "{kind:?}: the map list too");
        assert!(!map_first.contains("schimbată pe la spate"));

        // A write through this server that may change public pages drops them.
        shared_write(&t).await;
        assert!(read(CONSULTATION).await.contains("Titlu schimbat pe la spate"), "{kind:?}");
        assert!(read("/map?q=Prim%C4%83ria").await.contains("schimbată pe la spate"), "{kind:?}");
    }
}
