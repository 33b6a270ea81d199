//! The SMTP server away for a while: mail waits in the outbox (retried with backoff, here from
//! 1 s: `MAIL_RETRY_SECS=1`) and is delivered once when it returns.
use super::*;
use leptos::server_fn::ServerFn;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs server/scripts/cluster.sh: run by server/scripts/test.sh (see cluster_live/mod.rs)"]
async fn mail_waits_for_the_smtp_server_and_is_delivered_once() {
    let c = Cluster::open().await;
    c.outbox_settled(Duration::from_secs(60)).await;
    let p = c.person("parola-uitata").await;
    c.script(&["stop-smtp"]).await;

    let res = http()
        .post(format!("{}{}", c.url, app::accounts::ForgotPassword::PATH))
        .header("origin", &c.url)
        .form(&[("email", p.email.as_str())])
        .send()
        .await
        .unwrap();
    assert!(succeeded(&res), "{}", res.status());

    // Tried and kept: queued, at least one attempt, the reason noted.
    let row = || async {
        sqlx::query_as::<_, (String, i64, Option<String>)>(
            "SELECT status, attempts, last_error FROM mail_outbox WHERE to_addr = $1",
        )
        .bind(&p.email)
        .fetch_all(&c.db.pool)
        .await
        .unwrap()
    };
    let until = Instant::now() + Duration::from_secs(10);
    while row().await.first().is_none_or(|r| r.1 < 1) {
        assert!(Instant::now() < until, "a delivery attempt within 10 s: {:?}", row().await);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let rows = row().await;
    assert_eq!(rows.len(), 1, "one mail");
    let (status, attempts, error) = &rows[0];
    assert_eq!(status, "queued", "waiting, not given up");
    assert!(*attempts >= 1 && error.is_some(), "{rows:?}");
    assert!(c.mails_to(&p.email).is_empty());

    // The sink returns: the mail arrives, once.
    c.script(&["start-smtp"]).await;
    let got = c.wait_mails(&p.email, 1, Duration::from_secs(30)).await;
    assert_eq!(got.len(), 1, "delivered after the outage");
    c.outbox_settled(Duration::from_secs(30)).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(c.mails_to(&p.email).len(), 1, "and only once");
    let rows = row().await;
    assert_eq!(rows[0].0, "sent", "{rows:?}");
    println!("delivered after {} attempts", rows[0].1);
    assert!(unqp(&got[0]).contains("/account/reset?token="), "the reset link");
    c.no_mail_twice().await;
}
