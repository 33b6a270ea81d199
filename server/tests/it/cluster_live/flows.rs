//! The main flows with each step on the other server: a person registers on one, confirms on the
//! other, signs in on the first and comments on the second; what they write is on the other server
//! at once; a photo uploaded through one is the same bytes through both and through the balancer
//! (it lives in S3); every mail arrives once.
use super::*;
use leptos::server_fn::ServerFn;

/// A real 1×1 PNG (re-encoded by the server as JPEG).
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00,
    0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0d, 0x49,
    0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0x64, 0x60, 0xf8, 0x5f, 0x0f, 0x00, 0x02, 0x87, 0x01, 0x80, 0xeb, 0x47, 0xba,
    0x92, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

/// A server function called the way a form without JavaScript does (through `base`).
async fn call(c: &Cluster, who: &reqwest::Client, base: &str, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
    who.post(format!("{base}{path}")).header("origin", &c.url).form(form).send().await.unwrap()
}

async fn text(who: &reqwest::Client, url: String) -> String {
    let res = who.get(&url).send().await.unwrap();
    assert_eq!(res.status(), 200, "{url}");
    res.text().await.unwrap()
}

/// Polls `url` anonymously until it shows `needle`; returns how long that took (at most `within`).
async fn seen_within(url: &str, needle: &str, within: Duration) -> Option<Duration> {
    let started = Instant::now();
    while started.elapsed() <= within {
        if text(&http(), url.to_string()).await.contains(needle) {
            return Some(started.elapsed());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    None
}

fn pcg(res: &reqwest::Response) -> Option<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| c.strip_prefix("pcg=").and_then(|r| r.split(';').next()).map(str::to_string))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs server/scripts/cluster.sh: run by server/scripts/test.sh (see cluster_live/mod.rs)"]
async fn main_flows_alternate_between_the_servers() {
    let c = Cluster::open().await;
    let [one, two] = [c.app[0].clone(), c.app[1].clone()];
    let tag = app::ssr::public_id()[..10].to_string();
    let email = format!("flux-{tag}@cluster.invalid");
    let password = "parola-buna-7-cluster";
    let me = browser();

    // Registered on server 1; the confirmation link arrives over SMTP.
    let form = [("display_name", "Ana Flux"), ("email", email.as_str()), ("password", password), ("website", "")];
    let res = call(&c, &me, &one, app::accounts::Register::PATH, &form).await;
    assert!(succeeded(&res), "register: {}", res.status());
    let mails = c.wait_mails(&email, 1, Duration::from_secs(20)).await;
    assert_eq!(mails.len(), 1, "the confirmation mail");
    let mail = unqp(&mails[0]);
    let start = mail.find("token=").expect("a link with a token") + 6;
    let token: String =
        mail[start..].chars().take_while(|ch| ch.is_ascii_alphanumeric() || *ch == '-' || *ch == '_').collect();

    // Confirmed on server 2, signed in on server 1: the session cookie is good on both.
    let res = call(&c, &me, &two, app::accounts::VerifyEmail::PATH, &[("token", &token)]).await;
    assert!(succeeded(&res), "verify: {}", res.status());
    let res =
        call(&c, &me, &one, app::accounts::Login::PATH, &[("email", &email), ("password", password), ("next", "")])
            .await;
    assert!(succeeded(&res), "login: {}", res.status());
    assert!(text(&me, format!("{two}/account")).await.contains(&email), "signed in on server 2 too");

    // An anonymous reader has server 1 keep the thread; the comment is written on server 2.
    let before = text(&http(), format!("{one}{THREAD}")).await;
    assert!(!before.contains(&tag));
    let body = format!("Rampele noi să aibă balustrade pe ambele părți (cluster {tag}).");
    let form = [
        ("slug", CONSULTATION),
        ("scope", "general"),
        ("stance", "for"),
        ("body", body.as_str()),
        ("form_token", &c.form_token()),
        ("form_key", "new"),
        ("website", ""),
    ];
    let res = call(&c, &me, &two, app::consultations::PostComment::PATH, &form).await;
    assert!(succeeded(&res), "comment: {}", res.status());
    assert!(pcg(&res).is_some(), "a public write names its cache generation");
    // The writer's next page, on server 1, has it at once; anonymous readers there within a second.
    assert!(text(&me, format!("{one}{THREAD}")).await.contains(&tag), "read-your-writes on the other server");
    let after = seen_within(&format!("{one}{THREAD}"), &tag, Duration::from_secs(1)).await;
    assert!(after.is_some(), "an anonymous reader of server 1 sees the comment within 1 s");

    // A public profile change on server 1 (the name that signs the comment), seen on server 2.
    let name = format!("Ana Redenumita {tag}");
    let form = [("display_name", name.as_str()), ("locality", "Focșani"), ("county", "Vrancea")];
    let res = call(&c, &me, &one, app::accounts::UpdateProfile::PATH, &form).await;
    assert!(succeeded(&res), "profile: {}", res.status());
    assert!(text(&me, format!("{two}{THREAD}")).await.contains(&name), "the new name on server 2 at once");
    let renamed = seen_within(&format!("{two}{THREAD}"), &name, Duration::from_secs(1)).await;
    assert!(renamed.is_some(), "and for anonymous readers of server 2 within 1 s");

    // A report with a photo, uploaded through server 2.
    let place: i64 = sqlx::query_scalar("SELECT id FROM map_places WHERE name = 'Muzeul Vrancei'")
        .fetch_one(&c.db.pool)
        .await
        .unwrap();
    let part = reqwest::multipart::Part::bytes(PNG.to_vec()).file_name("rampa.png").mime_str("image/png").unwrap();
    let form = reqwest::multipart::Form::new()
        .text("place_id", place.to_string())
        .text("problem", "entrance")
        .text("description", format!("Trei trepte fără rampă la intrare ({tag})."))
        .part("photo_1", part)
        .text("alt_1", "Trei trepte la intrare");
    let res = me.post(format!("{two}/map/reports")).header("origin", &c.url).multipart(form).send().await.unwrap();
    assert_eq!(res.status(), 303);
    let loc = res.headers()["location"].to_str().unwrap().to_string();
    assert!(loc.starts_with("/map/reports/") && loc.ends_with("?created=1"), "{loc}");
    let report: i64 = loc["/map/reports/".len()..].split('?').next().unwrap().parse().unwrap();
    let keys: Vec<(String, String)> = sqlx::query_as("SELECT key_full, key_thumb FROM map_photos WHERE report_id = $1")
        .bind(report)
        .fetch_all(&c.db.pool)
        .await
        .unwrap();
    assert_eq!(keys.len(), 1);
    for key in [&keys[0].0, &keys[0].1] {
        // In the S3 bucket (asked over S3's API), not on either server's disk.
        let stored = c.s3.get(key).await.unwrap_or_else(|e| panic!("{key} from S3: {e}"));
        let stored = stored.unwrap_or_else(|| panic!("{key} in the S3 bucket"));
        assert!(stored.starts_with(&[0xFF, 0xD8, 0xFF]), "a JPEG");
        for base in [&one, &two, &c.url] {
            let res = http().get(format!("{base}/media/{key}")).send().await.unwrap();
            assert_eq!(res.status(), 200, "{base}/media/{key}");
            assert_eq!(res.bytes().await.unwrap().as_ref(), stored.as_slice(), "{key} byte for byte through {base}");
        }
    }
    for i in 1..=2 {
        let media = c.dir.join(format!("app{i}/media"));
        assert!(!media.exists(), "nothing on server {i}'s disk");
    }

    // A forgotten password asked through the balancer.
    let res = call(&c, &http(), &c.url, app::accounts::ForgotPassword::PATH, &[("email", &email)]).await;
    assert!(succeeded(&res), "forgot password: {}", res.status());

    // Each mail once: the confirmation, the comment's receipt, the reset link.
    c.wait_mails(&email, 3, Duration::from_secs(20)).await;
    c.outbox_settled(Duration::from_secs(30)).await;
    let got = c.mails_to(&email);
    let kinds: Vec<(String, String)> =
        sqlx::query_as("SELECT kind, status FROM mail_outbox WHERE to_addr = $1 ORDER BY id")
            .bind(&email)
            .fetch_all(&c.db.pool)
            .await
            .unwrap();
    assert_eq!(kinds.len(), 3, "{kinds:?}");
    assert!(kinds.iter().all(|(_, s)| s == "sent"), "{kinds:?}");
    assert_eq!(got.len(), 3, "each mail reached the sink once: {kinds:?}");
    c.no_mail_twice().await;
}
