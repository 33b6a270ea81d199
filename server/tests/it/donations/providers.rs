//! Stripe's checkout form and Netopia's IPN, against the providers' documented formats.
use super::*;

/// A local stand-in for api.stripe.com that records what it was sent.
async fn fake_stripe() -> (String, Seen) {
    use axum::routing::post;
    let seen: Seen = Arc::default();
    let rec = seen.clone();
    let app = axum::Router::new().route(
        "/v1/checkout/sessions",
        post(move |headers: axum::http::HeaderMap, axum::extract::Form(form): axum::extract::Form<Vec<(String, String)>>| {
            let rec = rec.clone();
            async move {
                let auth = headers.get("authorization").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
                let key = headers.get("idempotency-key").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
                let ct = headers.get("content-type").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
                assert_eq!(ct, "application/x-www-form-urlencoded");
                rec.lock().unwrap().push((auth, key, form));
                axum::Json(serde_json::json!({"id": "cs_test_a1", "object": "checkout.session", "url": "https://checkout.stripe.com/c/pay/cs_test_a1"}))
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}"), seen)
}

#[tokio::test]
async fn stripe_checkout_sessions_are_created_with_the_documented_form() {
    use app::ssr::payments::{CheckoutRequest, PaymentProvider};
    let (base, seen) = fake_stripe().await;
    let stripe = server::payments::stripe::StripeProvider::new(
        base.clone(),
        base.clone(),
        "sk_test_123".into(),
        "whsec_1".into(),
    );
    for monthly in [false, true] {
        let req = CheckoutRequest {
            donation_id: "don1".into(),
            idempotency_key: format!("idem-{monthly}"),
            title: "Rampe în Focșani".into(),
            amount: 5_178,
            currency: "RON".into(),
            monthly,
            donor_email: "ana@exemplu.ro".into(),
            donor_name: "Ana".into(),
            lang: app::i18n::Lang::Ro,
            success_url: "https://participa.ro/donate/return/don1".into(),
            cancel_url: "https://participa.ro/donate/return/don1?cancelled=1".into(),
            notify_url: String::new(),
        };
        let c = stripe.create_checkout(&req).await.unwrap();
        assert_eq!(c.session_ref, "cs_test_a1");
        assert_eq!(c.redirect_url, "https://checkout.stripe.com/c/pay/cs_test_a1");
        let (auth, key, form) = seen.lock().unwrap().pop().unwrap();
        assert_eq!(auth, "Bearer sk_test_123");
        assert_eq!(key, format!("idem-{monthly}"));
        let get = |k: &str| form.iter().find(|(a, _)| a == k).map(|(_, v)| v.clone());
        assert_eq!(get("mode").as_deref(), Some(if monthly { "subscription" } else { "payment" }));
        assert_eq!(get("line_items[0][price_data][unit_amount]").as_deref(), Some("5178"));
        assert_eq!(get("line_items[0][price_data][currency]").as_deref(), Some("ron"));
        assert_eq!(get("line_items[0][quantity]").as_deref(), Some("1"));
        assert_eq!(get("line_items[0][price_data][product_data][name]").as_deref(), Some("Rampe în Focșani"));
        assert_eq!(get("metadata[donation_id]").as_deref(), Some("don1"));
        assert_eq!(get("client_reference_id").as_deref(), Some("don1"));
        assert_eq!(get("customer_email").as_deref(), Some("ana@exemplu.ro"));
        assert_eq!(get("success_url").as_deref(), Some("https://participa.ro/donate/return/don1"));
        assert_eq!(get("line_items[0][price_data][recurring][interval]").is_some(), monthly);
        assert_eq!(get("subscription_data[metadata][donation_id]").is_some(), monthly);
        assert_eq!(get("payment_intent_data[metadata][donation_id]").is_some(), !monthly);
    }
}

fn netopia_payments(public_pem: &str) -> app::ssr::payments::Payments {
    let provider = server::payments::netopia::NetopiaProvider::new(
        "http://127.0.0.1:9".into(),
        "http://127.0.0.1:9".into(),
        "api-key".into(),
        "POS-SIG-1".into(),
        public_pem.as_bytes().to_vec(),
    );
    app::ssr::payments::Payments { provider: Arc::new(provider), limits: Default::default() }
}

/// A Participa server whose provider is Netopia, verifying IPNs with `public_pem`.
async fn spawn_netopia(public_pem: &str) -> TestServer {
    spawn_paying(DbKind::Sqlite, false, |_| netopia_payments(public_pem)).await
}

#[tokio::test]
async fn netopia_ipn_is_pinned_to_rs512_and_bound_to_the_body() {
    use base64::Engine;
    use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
    use rsa::pkcs1::{EncodeRsaPrivateKey, EncodeRsaPublicKey};
    use sha2::{Digest, Sha512};
    let private = rsa::RsaPrivateKey::new(&mut rand::thread_rng(), 2048).unwrap();
    let private_pem = private.to_pkcs1_pem(rsa::pkcs8::LineEnding::LF).unwrap().to_string();
    let public_pem = private.to_public_key().to_pkcs1_pem(rsa::pkcs8::LineEnding::LF).unwrap();
    let s = spawn_netopia(&public_pem).await;
    let (cid, _) = live_campaign(&s.db, "netopia").await;
    let public_id = "netopia000001".to_string();
    netopia_donation(&s.db, cid, &public_id, 5_178, "n@exemplu.ro").await;
    let body = format!(
        r#"{{"order":{{"orderID":"{public_id}"}},"payment":{{"amount":51.78,"currency":"RON","ntpID":"ntp-1","status":3}}}}"#
    );
    let sub = |b: &str| base64::engine::general_purpose::STANDARD.encode(Sha512::digest(b.as_bytes()));
    let claims = |aud: &str, sub: String| serde_json::json!({"iss": "NETOPIA Payments", "aud": aud, "sub": sub, "iat": app::ssr::now(), "exp": app::ssr::now() + 300});
    let rs512 = |c: &serde_json::Value| {
        encode(&Header::new(Algorithm::RS512), c, &EncodingKey::from_rsa_pem(private_pem.as_bytes()).unwrap()).unwrap()
    };
    let post = |token: String, body: String| {
        let (c, url) = (s.client.clone(), format!("{}/webhooks/netopia", s.base));
        async move { c.post(url).header("Verification-token", token).body(body).send().await.unwrap().status().as_u16() }
    };
    // HS512 signed with the public key as the secret (algorithm confusion) is refused.
    let hs = encode(
        &Header::new(Algorithm::HS512),
        &claims("POS-SIG-1", sub(&body)),
        &EncodingKey::from_secret(public_pem.as_bytes()),
    )
    .unwrap();
    assert_eq!(post(hs, body.clone()).await, 400);
    // An unsigned token ("alg": "none") is refused.
    let b64 = |v: &serde_json::Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string());
    let none = format!(
        "{}.{}.",
        b64(&serde_json::json!({"alg": "none", "typ": "JWT"})),
        b64(&claims("POS-SIG-1", sub(&body)))
    );
    assert_eq!(post(none, body.clone()).await, 400);
    // Another POS, another issuer, a swapped body, a key that is not Netopia's: refused.
    assert_eq!(post(rs512(&claims("OTHER-POS", sub(&body))), body.clone()).await, 400);
    let mut other_issuer = claims("POS-SIG-1", sub(&body));
    other_issuer["iss"] = "Not Netopia".into();
    assert_eq!(post(rs512(&other_issuer), body.clone()).await, 400);
    let mut no_sub = claims("POS-SIG-1", sub(&body));
    no_sub.as_object_mut().unwrap().remove("sub");
    assert_eq!(post(rs512(&no_sub), body.clone()).await, 400);
    let tampered = body.replace("51.78", "5178.00");
    assert_eq!(post(rs512(&claims("POS-SIG-1", sub(&body))), tampered).await, 400);
    let other = rsa::RsaPrivateKey::new(&mut rand::thread_rng(), 2048).unwrap();
    let other_pem = other.to_pkcs1_pem(rsa::pkcs8::LineEnding::LF).unwrap().to_string();
    let wrong_key = encode(
        &Header::new(Algorithm::RS512),
        &claims("POS-SIG-1", sub(&body)),
        &EncodingKey::from_rsa_pem(other_pem.as_bytes()).unwrap(),
    )
    .unwrap();
    assert_eq!(post(wrong_key, body.clone()).await, 400);
    assert_eq!(status_of(&s.db, &public_id).await, "pending");
    // The genuine IPN pays the donation, once.
    for _ in 0..2 {
        assert_eq!(post(rs512(&claims("POS-SIG-1", sub(&body))), body.clone()).await, 200);
    }
    assert_eq!(status_of(&s.db, &public_id).await, "paid");
    assert_eq!(ddb::raised(&s.db, cid).await.unwrap(), 5_178);

    // Every status Netopia's API v2 sends, each as its own signed IPN.
    let ipn = |order: &str, status: i64, lei: &str| {
        format!(
            r#"{{"order":{{"orderID":"{order}"}},"payment":{{"amount":{lei},"currency":"RON","ntpID":"ntp-{order}","status":{status}}}}}"#
        )
    };
    let send = |order: String, status: i64, lei: &'static str| {
        let b = ipn(&order, status, lei);
        let token = rs512(&claims("POS-SIG-1", sub(&b)));
        post(token, b)
    };
    let mut ids = vec![];
    for n in 2..=6 {
        let id = format!("netopia00000{n}");
        netopia_donation(&s.db, cid, &id, 2_500, &format!("n{n}@exemplu.ro")).await;
        ids.push(id);
    }
    let [confirmed, cancelled, declined, secure3d, errored] = [0, 1, 2, 3, 4].map(|i| ids[i].clone());
    // 15 (3-D Secure under way) changes nothing yet; 5 confirmed pays; a later 3 (paid) is late.
    assert_eq!(send(secure3d.clone(), 15, "25").await, 200);
    assert_eq!(status_of(&s.db, &secure3d).await, "pending");
    assert_eq!(send(confirmed.clone(), 5, "25.00").await, 200);
    assert_eq!(send(confirmed.clone(), 3, "25.00").await, 200);
    assert_eq!(status_of(&s.db, &confirmed).await, "paid");
    // 4 canceled, 12 declined, 11 error.
    assert_eq!(send(cancelled.clone(), 4, "25").await, 200);
    assert_eq!(status_of(&s.db, &cancelled).await, "cancelled");
    assert_eq!(send(declined.clone(), 12, "25").await, 200);
    assert_eq!(status_of(&s.db, &declined).await, "failed");
    assert_eq!(send(errored.clone(), 11, "25").await, 200);
    assert_eq!(status_of(&s.db, &errored).await, "failed");
    assert_eq!(ddb::raised(&s.db, cid).await.unwrap(), 5_178 + 2_500);
    // 8 credit (refunded) and 10 chargeback accepted reverse the ledger.
    assert_eq!(send(public_id.clone(), 8, "51.78").await, 200);
    assert_eq!(status_of(&s.db, &public_id).await, "refunded");
    assert_eq!(ddb::raised(&s.db, cid).await.unwrap(), 2_500);
    assert_eq!(send(confirmed.clone(), 10, "25").await, 200);
    assert_eq!(status_of(&s.db, &confirmed).await, "refunded");
    assert_eq!(ddb::raised(&s.db, cid).await.unwrap(), 0);
    let entries = ddb::ledger(&s.db, cid, 10).await.unwrap();
    assert_eq!(entries.iter().map(|e| e.amount_bani).sum::<i64>(), 0);
    assert_eq!(entries.len(), 4, "two gifts, two reversals");
    // A paid IPN for an amount that is not the donation's is not credited.
    assert_eq!(send(secure3d.clone(), 3, "2500").await, 200);
    assert_eq!(status_of(&s.db, &secure3d).await, "pending");
    // An expired token is refused, even when everything else is right.
    let b = ipn(&secure3d, 3, "25");
    let old = serde_json::json!({"iss": "NETOPIA Payments", "aud": "POS-SIG-1", "sub": sub(&b), "iat": app::ssr::now() - 7_200, "exp": app::ssr::now() - 3_600});
    assert_eq!(post(rs512(&old), b).await, 400);
    assert_eq!(status_of(&s.db, &secure3d).await, "pending");
}

#[tokio::test]
async fn netopia_payments_are_refunded_in_netopia_not_from_the_dashboard() {
    for kind in backends() {
        // Refunds are not called on Netopia, so its key is never used here.
        let s = spawn_paying(kind, false, |_| netopia_payments("")).await;
        let (cid, _) = live_campaign(&s.db, "netopia-rambursare").await;
        let admin = org_admin(&s, "grupul-dizabil-eu-vrancea", "admin@dizabil.ro").await;
        let public_id = "netopiarefund1".to_string();
        netopia_donation(&s.db, cid, &public_id, 2_500, "nr@exemplu.ro").await;
        // Paid through the IPN path (its signature is tested in the RS512 test above).
        let ipn = format!(
            r#"{{"order":{{"orderID":"{public_id}"}},"payment":{{"amount":25,"currency":"RON","ntpID":"ntp-r1","status":3}}}}"#
        );
        let ev = server::payments::netopia::parse_ipn(ipn.as_bytes()).unwrap();
        app::donations::service::events::apply_event(&s.db, "netopia", &ev).await.unwrap();
        assert_eq!(status_of(&s.db, &public_id).await, "paid");

        // The dashboard offers no refund button, and says where the refund is made.
        let filter = [
            ("org", "grupul-dizabil-eu-vrancea"),
            ("filter[campaign]", "netopia-rambursare"),
            ("filter[status]", ""),
            ("filter[kind]", ""),
            ("filter[q]", ""),
        ];
        let res = s.call(&admin, app::donations::OrgDashboard::PATH, &filter).await;
        let dash: Dashboard = serde_json::from_str(&res.text().await.unwrap()).unwrap();
        assert_eq!(dash.rows.len(), 1);
        assert!(!dash.rows[0].refundable, "{kind:?}");
        assert!(dash.rows[0].refund_elsewhere);
        let page = s
            .get(&admin, "/organisations/grupul-dizabil-eu-vrancea/donations?campaign=netopia-rambursare")
            .await
            .text()
            .await
            .unwrap();
        let lang = app::i18n::Lang::Ro;
        assert!(page.contains(lang.t(app::i18n::K::donations_refund_elsewhere)), "the note is on the page");
        assert!(
            !page.contains(app::donations::RefundDonation::PATH) && !page.contains("name=\"donation_id\""),
            "no refund button"
        );
        // The action itself refuses with the translated reason; nothing changes.
        let row = dash.rows[0].id.to_string();
        let res = s.call(&admin, app::donations::RefundDonation::PATH, &[("donation_id", &row)]).await;
        assert!(!res.headers().contains_key("location"));
        let err: DonationsError = serde_json::from_str(&res.text().await.unwrap()).unwrap();
        assert_eq!(err.0, app::error::Problem::Refused(app::i18n::K::donations_err_refund_elsewhere));
        assert_eq!(status_of(&s.db, &public_id).await, "paid");
        assert_eq!(ddb::raised(&s.db, cid).await.unwrap(), 2_500);
    }
}
