//! A monthly gift: duplicates and out-of-order events, renewals, management from the link.
use super::*;

#[tokio::test]
async fn monthly_gift_with_duplicates_out_of_order_then_managed_and_cancelled() {
    for kind in backends() {
        let s = spawn(kind).await;
        let (cid, slug) = live_campaign(&s.db, "lunar").await;
        let mut form = donate_form(&slug, "attempt-monthly-000000000001", "5000", true, "m@exemplu.ro");
        form.push(("cover_fee", "1"));
        let checkout = start(&s, &form).await;
        let id = id_from(&checkout);
        choose(&s, &checkout, "success", &[("twice", "1"), ("reversed", "1")]).await;
        wait_status(&s.db, &id, "paid").await;
        tokio::time::sleep(Duration::from_millis(500)).await;
        let d = ddb::donation_by_public(&s.db, &id).await.unwrap().unwrap();
        assert_eq!((d.amount_bani, d.fee_bani), (5_000, 178), "the fee rule: 1,5 % + 1 leu, covered");
        assert_eq!(ddb::raised(&s.db, cid).await.unwrap(), 5_178, "four deliveries, one gift");
        assert_eq!(
            count(&s.db, "SELECT COUNT(*) FROM payment_events WHERE provider = 'test' AND outcome = $1", "paid").await,
            1
        );
        let gift = ddb::gift_by_id(&s.db, d.gift_id.unwrap()).await.unwrap().unwrap();
        assert_eq!(gift.status, "active");
        assert_eq!(gift.provider_ref.as_deref(), Some(format!("sub_test_{id}").as_str()));

        // A renewal arrives (signed like the provider signs it) and adds one ledger entry, once.
        let secret = server::payments::test_provider::webhook_secret(&s.settings);
        let renewal = serde_json::json!({"id": "evt_renewal_1", "type": "invoice.paid", "data": {"object": {
            "id": "in_renewal_1", "subscription": format!("sub_test_{id}"), "billing_reason": "subscription_cycle",
            "amount_paid": 5_178, "currency": "ron"}}})
        .to_string();
        for _ in 0..3 {
            assert!(
                server::payments::test_provider::deliver(
                    &s.client,
                    &format!("{}/webhooks/test", s.base),
                    &secret,
                    &renewal
                )
                .await
            );
        }
        assert_eq!(ddb::raised(&s.db, cid).await.unwrap(), 2 * 5_178);
        // A failed renewal warns the donor.
        let failed = serde_json::json!({"id": "evt_failed_1", "type": "invoice.payment_failed", "data": {"object": {
            "id": "in_renewal_2", "subscription": format!("sub_test_{id}"), "amount_due": 5_178, "currency": "ron"}}})
        .to_string();
        assert!(
            server::payments::test_provider::deliver(&s.client, &format!("{}/webhooks/test", s.base), &secret, &failed)
                .await
        );
        assert_eq!(
            count(
                &s.db,
                "SELECT COUNT(*) FROM mail_outbox WHERE kind = 'donations.renewal_failed' AND to_addr = $1",
                "m@exemplu.ro"
            )
            .await,
            1,
            "the donor is told"
        );

        // The receipt carries the manage link: change the amount, pause, cancel — no account.
        let token = sqlx::query("SELECT body_text FROM mail_outbox WHERE to_addr = 'm@exemplu.ro' AND kind = 'donations.receipt' ORDER BY id LIMIT 1")
            .fetch_one(&s.db.pool)
            .await
            .unwrap()
            .get::<String, _>(0);
        let token = token[token.find("token=").unwrap() + 6..].split_whitespace().next().unwrap().to_string();
        let anon = client();
        let res = s.call(&anon, app::donations::GetGift::PATH, &[("token", &token)]).await;
        let view: app::donations::GiftView = serde_json::from_str(&res.text().await.unwrap()).unwrap();
        assert_eq!(view.status, "past_due");
        let forged = token.replace(&token[token.len() - 4..], "0000");
        let res = s.call(&anon, app::donations::GetGift::PATH, &[("token", &forged)]).await;
        assert!(res.text().await.unwrap().contains("Refused"), "a forged link opens nothing");
        // The link lowers the amount (raising would start a new checkout); each change makes a new
        // link, mails it to the donor, and the one used stops working.
        let res = s.call(&anon, app::donations::ChangeGiftAmount::PATH, &[("token", &token), ("amount", "30")]).await;
        let next = |res: &reqwest::Response| {
            let l = res.headers()["location"].to_str().unwrap().to_string();
            l[l.find("token=").unwrap() + 6..].split('&').next().unwrap().to_string()
        };
        let token2 = next(&res);
        assert_ne!(token2, token);
        assert_eq!(ddb::gift_by_id(&s.db, gift.id).await.unwrap().unwrap().amount_bani, 3_000);
        let res = s.call(&anon, app::donations::GetGift::PATH, &[("token", &token)]).await;
        assert!(res.text().await.unwrap().contains("Refused"), "the old link stopped working");
        let res = s.call(&anon, app::donations::GiftAction::PATH, &[("token", &token2), ("action", "pause")]).await;
        let token3 = next(&res);
        let res = s.call(&anon, app::donations::GiftAction::PATH, &[("token", &token3), ("action", "cancel")]).await;
        let token = next(&res);
        assert_eq!(ddb::gift_by_id(&s.db, gift.id).await.unwrap().unwrap().status, "cancelled");
        // A renewal after the cancel (out of order) is not taken as a renewal of a cancelled gift's status.
        let res = s.call(&anon, app::donations::GiftAction::PATH, &[("token", &token), ("action", "resume")]).await;
        assert!(res.text().await.unwrap().contains("Refused"));
    }
}
