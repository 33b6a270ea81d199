//! The receipt mail with its PDF, the organisation's notice, the newsletter box.
use super::*;

/// The decoded bytes of the first `content_type` part of a MIME message (base64 transfer encoding).
fn mime_part(message: &str, content_type: &str) -> Option<(String, Vec<u8>)> {
    use base64::Engine;
    let at = message.find(&format!("Content-Type: {content_type}"))?;
    // The part's headers start after its boundary line.
    let start = message[..at].rfind("\n--").map(|i| i + 1).unwrap_or(0);
    let (headers, body) = message[start..].split_once("\n\n")?;
    assert!(headers.contains("Content-Transfer-Encoding: base64"), "{headers}");
    let b64: String = body.lines().take_while(|l| !l.starts_with("--") && !l.is_empty()).collect();
    Some((headers.to_string(), base64::engine::general_purpose::STANDARD.decode(b64).ok()?))
}

#[tokio::test]
async fn the_receipt_mail_carries_the_pdf_the_org_is_told_and_the_newsletter_box_asks_for_confirmation() {
    for kind in backends() {
        let s = spawn(kind).await;
        let (cid, slug) = live_campaign(&s.db, "chitanta").await;
        sqlx::query("UPDATE organisations SET cui = 'RO40982154' WHERE slug = 'grupul-dizabil-eu-vrancea'")
            .execute(&s.db.pool)
            .await
            .unwrap();
        org_admin(&s, "grupul-dizabil-eu-vrancea", "admin@dizabil.ro").await;
        // A donor who reads English ticks the newsletter box.
        let mut form = donate_form(&slug, "attempt-receipt-pdf-00000001", "other", false, "nl@exemplu.ro");
        form.push(("newsletter", "1"));
        let en = client();
        let res = en
            .post(format!("{}{}", s.base, Donate::PATH))
            .header("origin", &s.base)
            .header("cookie", "lang=en")
            .form(&form)
            .send()
            .await
            .unwrap();
        let checkout = res.headers()["location"].to_str().unwrap().to_string();
        let id = id_from(&checkout);
        // Nothing is subscribed, nor asked, before the gift is paid.
        assert_eq!(
            count(&s.db, "SELECT COUNT(*) FROM newsletter_subscribers WHERE email = $1", "nl@exemplu.ro").await,
            0
        );
        choose(&s, &checkout, "success", &[]).await;
        wait_status(&s.db, &id, "paid").await;
        // A second donor leaves the box unticked.
        let plain =
            start(&s, &donate_form(&slug, "attempt-receipt-pdf-00000002", "5000", false, "fara@exemplu.ro")).await;
        choose(&s, &plain, "success", &[]).await;
        wait_status(&s.db, &id_from(&plain), "paid").await;
        assert_eq!(ddb::raised(&s.db, cid).await.unwrap(), 7_550 + 5_000);

        // The receipt waits in the outbox with its PDF attached.
        let q = "SELECT COUNT(*) FROM mail_attachments a JOIN mail_outbox m ON m.id = a.mail_id
                 WHERE m.to_addr = $1 AND m.kind = 'donations.receipt' AND a.content_type = 'application/pdf'";
        assert_eq!(wait_count(&s.db, q, "nl@exemplu.ro", 1).await, 1);
        assert_eq!(wait_count(&s.db, q, "fara@exemplu.ro", 1).await, 1);
        // The organisation is told of each gift.
        assert_eq!(
            wait_count(
                &s.db,
                "SELECT COUNT(*) FROM mail_outbox WHERE kind = 'donations.org_received' AND to_addr = $1",
                "admin@dizabil.ro",
                2
            )
            .await,
            2
        );
        wait_count(&s.db, "SELECT COUNT(*) FROM newsletter_subscribers WHERE email = $1", "nl@exemplu.ro", 1).await;
        let confirm_mail = "SELECT COUNT(*) FROM mail_outbox WHERE to_addr = $1 AND kind = 'newsletter_confirm'";
        wait_count(&s.db, confirm_mail, "nl@exemplu.ro", 1).await;
        // The ticked box started the double opt-in: pending, with consent evidence, and a confirmation mail.
        let r =
            sqlx::query("SELECT status, topics, consent_version, lang FROM newsletter_subscribers WHERE email = $1")
                .bind("nl@exemplu.ro")
                .fetch_one(&s.db.pool)
                .await
                .unwrap();
        assert_eq!(
            (r.get::<String, _>(0), r.get::<String, _>(1), r.get::<String, _>(2), r.get::<String, _>(3)),
            (
                "pending".into(),
                "campaigns".into(),
                app::donations::rules::NEWSLETTER_CONSENT_VERSION.into(),
                "en".into()
            )
        );
        assert_eq!(
            count(&s.db, "SELECT COUNT(*) FROM newsletter_subscribers WHERE email = $1", "fara@exemplu.ro").await,
            0
        );
        let confirm: String =
            sqlx::query("SELECT body_text FROM mail_outbox WHERE to_addr = $1 AND kind = 'newsletter_confirm'")
                .bind("nl@exemplu.ro")
                .fetch_one(&s.db.pool)
                .await
                .unwrap()
                .get(0);
        let token = confirm[confirm.find("token=").unwrap() + 6..].split_whitespace().next().unwrap().to_string();
        let res = s.call(&client(), app::orgs::newsletter::ConfirmSubscription::PATH, &[("token", &token)]).await;
        assert!(res.headers().contains_key("location"), "confirmed by the link");
        let status: String = sqlx::query("SELECT status FROM newsletter_subscribers WHERE email = $1")
            .bind("nl@exemplu.ro")
            .fetch_one(&s.db.pool)
            .await
            .unwrap()
            .get(0);
        assert_eq!(status, "confirmed");

        // Delivered over real SMTP: multipart/mixed with the readable mail and the PDF.
        let (port, mut rx) = crate::common::smtp::sink().await;
        let smtp = server::mail::Transport::from_config(
            Some(&format!("smtp://127.0.0.1:{port}")),
            "Participa <no-reply@exemplu.ro>",
        )
        .unwrap();
        while server::mail::deliver_due(&s.db, &smtp).await.unwrap() > 0 {}
        let mut receipt = None;
        while let Ok(m) = rx.try_recv() {
            if m.contains("To: nl@exemplu.ro") && m.contains("application/pdf") {
                receipt = Some(m);
            }
        }
        let receipt = receipt.expect("the receipt reached the SMTP server");
        assert!(receipt.contains("multipart/mixed"), "{receipt}");
        assert!(receipt.contains("multipart/alternative"), "text and HTML kept");
        let (headers, pdf) = mime_part(&receipt, "application/pdf").expect("a PDF part");
        let reference = app::donations::rules::reference(&id);
        assert!(headers.contains("attachment") && headers.contains(&format!("{reference}.pdf")), "{headers}");
        assert!(app::ssr::pdf::is_pdf(&pdf), "a real PDF");
        let text = String::from_utf8_lossy(&pdf);
        let amount = app::fmt::lei(app::i18n::Lang::En, 7_550);
        for want in ["RO40982154", amount.as_str(), reference.as_str(), "Grupul DizAbil", "Donation receipt"] {
            assert!(text.contains(want), "{want} on the PDF receipt");
        }
        // Delivered, the files leave the outbox.
        assert_eq!(
            count(&s.db, "SELECT COUNT(*) FROM mail_attachments WHERE content_type = $1", "application/pdf").await,
            0
        );
    }
}
