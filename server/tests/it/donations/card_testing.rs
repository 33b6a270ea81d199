//! Card-testing limits per IP, e-mail and campaign, answered generically.
use super::*;

/// A server with the test provider and the given card-testing limits, trusting `X-Forwarded-For`.
async fn spawn_limited(kind: DbKind, limits: app::ssr::payments::CheckoutLimits) -> TestServer {
    spawn_paying(kind, true, |settings| app::ssr::payments::Payments {
        provider: Arc::new(server::payments::test_provider::TestProvider::new(settings)),
        limits,
    })
    .await
}

/// Posts the donation form from client address `ip`; `Ok(checkout)` or `Err(the form's first error)`.
async fn donate_from(s: &TestServer, ip: &str, form: &[(&str, &str)]) -> Result<String, (String, app::i18n::K)> {
    let res = client()
        .post(format!("{}{}", s.base, Donate::PATH))
        .header("origin", &s.base)
        .header("x-forwarded-for", ip)
        .form(form)
        .send()
        .await
        .unwrap();
    if let Some(l) = res.headers().get("location") {
        return Ok(l.to_str().unwrap().to_string());
    }
    let body = res.text().await.unwrap();
    let err: DonationsError = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}"));
    let form = err.0.form().unwrap_or_else(|| panic!("a form error: {body}"));
    Err((form.errors[0].field.to_string(), form.errors[0].msg))
}

async fn pending_in(db: &Db, campaign_id: i64) -> i64 {
    sqlx::query("SELECT COUNT(*) FROM donations WHERE campaign_id = $1 AND status = 'pending'")
        .bind(campaign_id)
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .get(0)
}

#[tokio::test]
async fn card_testing_limits_and_honeypot_answer_generically() {
    let s = spawn(DbKind::Sqlite).await;
    let (_, slug) = live_campaign(&s.db, "limite").await;
    let c = client();
    let mut honey = donate_form(&slug, "attempt-honeypot-00000000001", "5000", false, "h@exemplu.ro");
    honey.retain(|(k, _)| *k != "website");
    honey.push(("website", "http://spam"));
    let res = s.call(&c, Donate::PATH, &honey).await;
    let err: DonationsError = serde_json::from_str(&res.text().await.unwrap()).unwrap();
    assert_eq!(err.0.form().unwrap().errors[0].msg, app::i18n::K::donations_err_not_accepted);
    assert_eq!(count(&s.db, "SELECT COUNT(*) FROM donations WHERE donor_email = $1", "h@exemplu.ro").await, 0);
    // Five checkouts per e-mail address per hour; the sixth gets the same generic answer.
    for i in 0..6 {
        let attempt = format!("attempt-limit-{i:016}");
        let res = s.call(&c, Donate::PATH, &donate_form(&slug, &attempt, "5000", false, "t@exemplu.ro")).await;
        if i < 5 {
            assert!(res.headers().contains_key("location"), "checkout {i}");
        } else {
            let err: DonationsError = serde_json::from_str(&res.text().await.unwrap()).unwrap();
            assert_eq!(err.0.form().unwrap().errors[0].msg, app::i18n::K::donations_err_not_accepted);
            assert_eq!(err.0.kept().unwrap().value_of("name").as_deref(), Some("Ana Popescu"), "form kept");
        }
    }
}

#[tokio::test]
async fn card_testing_limit_per_ip_answers_generically() {
    use app::ssr::payments::CheckoutLimits;
    for kind in backends() {
        let s = spawn_limited(kind, CheckoutLimits { per_ip: 3, per_email: 100, per_campaign: 100 }).await;
        let (cid, slug) = live_campaign(&s.db, "limita-ip").await;
        let (other_cid, other) = live_campaign(&s.db, "limita-ip-alta").await;
        // Three checkouts from one address, each with its own e-mail; the fourth is refused.
        for i in 0..3 {
            let (attempt, email) = (format!("attempt-ip-{i:016}"), format!("ip{i}@exemplu.ro"));
            assert!(donate_from(&s, "203.0.113.7", &donate_form(&slug, &attempt, "5000", false, &email)).await.is_ok());
        }
        assert_eq!(pending_in(&s.db, cid).await, 3);
        let generic = Err(("payment".to_string(), app::i18n::K::donations_err_not_accepted));
        let form = donate_form(&slug, "attempt-ip-0000000000000003", "5000", false, "ip3@exemplu.ro");
        assert_eq!(donate_from(&s, "203.0.113.7", &form).await, generic, "{kind:?}");
        assert_eq!(pending_in(&s.db, cid).await, 3, "no donation created");
        // The limit is the address's, whatever the campaign.
        let form = donate_from(
            &s,
            "203.0.113.7",
            &donate_form(&other, "attempt-ip-0000000000000004", "5000", false, "ip4@exemplu.ro"),
        )
        .await;
        assert_eq!(form, generic);
        assert_eq!(pending_in(&s.db, other_cid).await, 0);
        // Another address still gives.
        assert!(donate_from(
            &s,
            "203.0.113.8",
            &donate_form(&slug, "attempt-ip-0000000000000005", "5000", false, "ip5@exemplu.ro")
        )
        .await
        .is_ok());
        assert_eq!(pending_in(&s.db, cid).await, 4);
    }
}

#[tokio::test]
async fn card_testing_limit_per_campaign_answers_generically() {
    use app::ssr::payments::CheckoutLimits;
    for kind in backends() {
        let s = spawn_limited(kind, CheckoutLimits { per_ip: 100, per_email: 100, per_campaign: 3 }).await;
        let (cid, slug) = live_campaign(&s.db, "limita-campanie").await;
        let (other_cid, other) = live_campaign(&s.db, "limita-campanie-alta").await;
        // Three checkouts an hour on the campaign, from three addresses and three e-mails.
        for i in 0..3 {
            let (attempt, email, ip) =
                (format!("attempt-cmp-{i:015}"), format!("c{i}@exemplu.ro"), format!("198.51.100.{i}"));
            assert!(donate_from(&s, &ip, &donate_form(&slug, &attempt, "5000", false, &email)).await.is_ok());
        }
        assert_eq!(pending_in(&s.db, cid).await, 3);
        // A fourth, from a fresh address and e-mail, gets the same generic answer and creates nothing.
        let form = donate_form(&slug, "attempt-cmp-000000000000003", "5000", false, "c3@exemplu.ro");
        assert_eq!(
            donate_from(&s, "198.51.100.3", &form).await,
            Err(("payment".to_string(), app::i18n::K::donations_err_not_accepted)),
            "{kind:?}"
        );
        assert_eq!(pending_in(&s.db, cid).await, 3, "no donation created");
        // Another campaign is not held back.
        let form = donate_form(&other, "attempt-cmp-000000000000004", "5000", false, "c4@exemplu.ro");
        assert!(donate_from(&s, "198.51.100.4", &form).await.is_ok());
        assert_eq!(pending_in(&s.db, other_cid).await, 1);
    }
}
