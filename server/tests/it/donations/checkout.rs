//! One-time gifts through the test provider: success, decline, cancel, pay later, a delayed payment that fails.
use super::*;

#[tokio::test]
async fn one_time_gift_through_the_test_provider() {
    for kind in backends() {
        let s = spawn(kind).await;
        let (cid, slug) = live_campaign(&s.db, "o-data").await;
        // The client never sends an amount to the provider: a preset travels in bani and is checked.
        let c = client();
        let res = s
            .call(&c, Donate::PATH, &donate_form(&slug, "attempt-forged-amount-000001", "4999", false, "a@exemplu.ro"))
            .await;
        let body = res.text().await.unwrap();
        let err: DonationsError = serde_json::from_str(&body).unwrap();
        assert_eq!(err.0.form().unwrap_or_else(|| panic!("{body}")).errors[0].field, "amount");

        let form = donate_form(&slug, "attempt-one-time-0000000001", "other", false, "ana@exemplu.ro");
        let checkout = start(&s, &form).await;
        assert!(checkout.starts_with(&format!("{}/payments/test/checkout/", s.base)), "{checkout}");
        // A double submit of the same page lands on the same checkout, with one donation.
        assert_eq!(start(&s, &form).await, checkout);
        let id = id_from(&checkout);
        assert_eq!(
            count(&s.db, "SELECT COUNT(*) FROM donations WHERE idempotency_key = $1", "attempt-one-time-0000000001")
                .await,
            1
        );
        let d = ddb::donation_by_public(&s.db, &id).await.unwrap().unwrap();
        assert_eq!((d.amount_bani, d.fee_bani, d.total_bani, d.status.as_str()), (7_550, 0, 7_550, "pending"));

        let back = choose(&s, &checkout, "success", &[]).await;
        assert_eq!(back, format!("/donate/return/{id}"));
        wait_status(&s.db, &id, "paid").await;
        assert_eq!(ddb::raised(&s.db, cid).await.unwrap(), 7_550);
        let ledger = ddb::ledger(&s.db, cid, 10).await.unwrap();
        assert_eq!(ledger.len(), 1);
        assert_eq!(ledger[0].name, None, "anonymous unless the donor chose to show the name");
        // The receipt, in the donor's language, with the signed PDF link.
        for _ in 0..50 {
            if count(&s.db, "SELECT COUNT(*) FROM mail_outbox WHERE to_addr = $1", "ana@exemplu.ro").await > 0 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let body: String =
            sqlx::query("SELECT body_text FROM mail_outbox WHERE to_addr = $1 AND kind = 'donations.receipt'")
                .bind("ana@exemplu.ro")
                .fetch_one(&s.db.pool)
                .await
                .unwrap()
                .get(0);
        assert!(body.contains("75,50 lei") && body.contains("/donate/receipt/"), "{body}");
        // The signed link serves the PDF receipt; a forged one does not.
        let link = body[body.find("/donate/receipt/").unwrap()..].split_whitespace().next().unwrap().to_string();
        let pdf = s.get(&s.client, &link).await;
        assert_eq!(pdf.headers()["content-type"], "application/pdf");
        let bytes = pdf.bytes().await.unwrap();
        assert!(app::ssr::pdf::is_pdf(&bytes));
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            text.contains(&app::donations::rules::reference(&id)) && text.contains("Grupul DizAbil"),
            "reference and organisation on the receipt"
        );
        let forged = format!("{}{}", &link[..link.len() - 1], if link.ends_with('0') { "1" } else { "0" });
        assert_eq!(s.get(&s.client, &forged).await.status(), 404);
        // The return page shows the thanks.
        let page = s.get(&s.client, &back).await.text().await.unwrap();
        assert!(page.contains("status-paid"), "return page");
        // And the campaign page shows the ledger and the accessible progress bar.
        let page = s.get(&s.client, &format!("/campaigns/{slug}")).await.text().await.unwrap();
        assert!(page.contains("<progress") && page.contains("75,50 lei"), "campaign page");
        assert!(page.contains("og:title"), "OpenGraph card");
    }
}

#[tokio::test]
async fn decline_cancel_and_pay_later() {
    for kind in backends() {
        let s = spawn(kind).await;
        let (cid, slug) = live_campaign(&s.db, "refuz").await;
        let checkout =
            start(&s, &donate_form(&slug, "attempt-decline-000000000001", "5000", false, "d@exemplu.ro")).await;
        let id = id_from(&checkout);
        let back = choose(&s, &checkout, "decline", &[]).await;
        assert!(back.contains("cancelled=1"));
        wait_status(&s.db, &id, "failed").await;
        // The retry keeps the form filled.
        let res = s.call(&client(), RetryPrefill::PATH, &[("id", &id)]).await;
        let pre: Option<DonorPrefill> = serde_json::from_str(&res.text().await.unwrap()).unwrap();
        let pre = pre.unwrap();
        assert_eq!((pre.amount.as_str(), pre.name.as_str(), pre.email.as_str()), ("50", "Ana Popescu", "d@exemplu.ro"));
        let page = s.get(&s.client, &format!("/campaigns/{slug}/donate?retry={id}")).await.text().await.unwrap();
        assert!(page.contains("value=\"d@exemplu.ro\""), "donate form prefilled");

        let checkout =
            start(&s, &donate_form(&slug, "attempt-cancel-0000000000001", "5000", false, "c@exemplu.ro")).await;
        let cancel_id = id_from(&checkout);
        choose(&s, &checkout, "cancel", &[]).await;
        wait_status(&s.db, &cancel_id, "cancelled").await;

        let checkout =
            start(&s, &donate_form(&slug, "attempt-later-00000000000001", "10000", false, "l@exemplu.ro")).await;
        let later = id_from(&checkout);
        choose(&s, &checkout, "later", &[]).await;
        wait_status(&s.db, &later, "processing").await;
        wait_status(&s.db, &later, "paid").await;
        assert_eq!(ddb::raised(&s.db, cid).await.unwrap(), 10_000, "only the paid gift counts");
    }
}

#[tokio::test]
async fn an_async_payment_that_fails_ends_failed_and_changes_no_total() {
    for kind in backends() {
        let s = spawn(kind).await;
        let (cid, _) = live_campaign(&s.db, "plata-amanata").await;
        let secret = server::payments::test_provider::webhook_secret(&s.settings);
        let url = format!("{}/webhooks/test", s.base);
        let send = |body: String| {
            let (c, url, secret) = (s.client.clone(), url.clone(), secret.clone());
            async move { server::payments::test_provider::deliver(&c, &url, &secret, &body).await }
        };
        // One gift already counts.
        let paid = pending_donation(&s.db, cid, 1, 3_000).await;
        assert!(send(completed("evt_paid_1", &paid, 3_000)).await);
        assert_eq!(ddb::raised(&s.db, cid).await.unwrap(), 3_000);
        // A bank debit: checkout finishes unpaid, then the money never arrives.
        let d = pending_donation(&s.db, cid, 2, 5_000).await;
        let unpaid =
            serde_json::json!({"id": "evt_async_done", "type": "checkout.session.completed", "data": {"object": {
            "id": format!("cs_{d}"), "amount_total": 5_000, "currency": "ron", "payment_status": "unpaid",
            "metadata": {"donation_id": d}, "payment_intent": format!("pi_{d}")}}})
            .to_string();
        assert!(send(unpaid).await);
        assert_eq!(status_of(&s.db, &d).await, "processing");
        let failed = serde_json::json!({"id": "evt_async_failed", "type": "checkout.session.async_payment_failed", "data": {"object": {
            "id": format!("cs_{d}"), "amount_total": 5_000, "currency": "ron", "payment_status": "unpaid",
            "metadata": {"donation_id": d}, "payment_intent": format!("pi_{d}")}}})
        .to_string();
        for _ in 0..2 {
            assert!(send(failed.clone()).await, "signed and acknowledged");
        }
        assert_eq!(status_of(&s.db, &d).await, "failed", "{kind:?}");
        assert_eq!(
            count(&s.db, "SELECT COUNT(*) FROM payment_events WHERE event_id = $1", "evt_async_failed").await,
            1
        );
        assert_eq!(ddb::raised(&s.db, cid).await.unwrap(), 3_000, "totals unchanged");
        let ledger = ddb::ledger(&s.db, cid, 10).await.unwrap();
        assert_eq!(ledger.iter().map(|e| e.amount_bani).collect::<Vec<_>>(), vec![3_000]);
    }
}
