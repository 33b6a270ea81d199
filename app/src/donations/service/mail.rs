//! After a gift: the donor's receipt (mail in their language with the PDF attached and a signed
//! link to it), the newsletter's double opt-in when the donor asked for it, the organisation's
//! notice; the warning when a monthly renewal fails, and the notice of a change made through the
//! gift's link.
use super::super::db;
use super::super::rules::{self, reference};
use super::links::{manage_token, receipt_token};
use crate::i18n::{fill, Lang, K};
use crate::ssr::{mail, Db, Settings};

pub async fn send_paid_mails(db: &Db, settings: &Settings, donation_id: i64) -> Result<(), sqlx::Error> {
    let Some(d) = db::donation_by_id(db, donation_id).await? else { return Ok(()) };
    let lang = Lang::from_code(&d.lang);
    let base = settings.public_url.trim_end_matches('/');
    let keys = &settings.keys;
    let amount = crate::fmt::lei(lang, d.total_bani);
    let mut paragraphs = vec![
        fill(
            lang.t(K::donations_mail_receipt_body),
            &[("amount", &amount), ("campaign", &d.campaign_title), ("org", &d.org_name)],
        ),
        format!("{}: {}", lang.t(K::donations_reference), reference(&d.public_id)),
        format!(
            "{}: {base}/donate/receipt/{}",
            lang.t(K::donations_mail_receipt_pdf),
            receipt_token(keys, &d.public_id)
        ),
    ];
    if !d.thanks.is_empty() {
        paragraphs.insert(1, d.thanks.clone());
    }
    let gift = match d.gift_id {
        Some(g) => db::gift_by_id(db, g).await?,
        None => None,
    };
    let now = crate::ssr::now();
    let manage_url = gift
        .as_ref()
        .map(|g| format!("{base}/donate/manage?token={}", manage_token(keys, &g.public_id, g.link_version, now)));
    if manage_url.is_some() {
        paragraphs.push(lang.t(K::donations_mail_manage_hint).to_string());
    }
    let m = mail::compose(
        lang,
        &d.donor_email,
        "donations.receipt",
        K::donations_mail_receipt_subject,
        &paragraphs,
        manage_url.as_deref().map(|u| (K::donations_manage_title, u)),
    );
    let files = match receipt_pdf(&d) {
        Ok(bytes) => vec![mail::Attachment {
            filename: format!("{}.pdf", reference(&d.public_id)),
            content_type: "application/pdf".into(),
            bytes,
        }],
        Err(e) => {
            // The signed link in the mail still serves the receipt.
            tracing::error!(error = %e, donation = %d.public_id, "receipt pdf for the mail");
            vec![]
        }
    };
    mail::enqueue_with_attachments(db, &m, &files).await?;
    // The newsletter box on the form starts the double opt-in; nothing is subscribed until the
    // donor follows the confirmation link. Only once, for the gift itself (never for renewals).
    if let Some(ip_hash) = db::newsletter_request(db, d.id).await? {
        if let Ok(email) = crate::types::Email::parse(&d.donor_email) {
            crate::orgs::newsletter::request_subscription(
                db,
                settings,
                &email,
                lang,
                &["campaigns"],
                "",
                rules::NEWSLETTER_CONSENT_VERSION,
                &ip_hash,
            )
            .await?;
        }
    }
    let admins = db::org_admin_emails(db, d.org_id).await?;
    let contact = if admins.is_empty() { db::org_contact_email(db, d.org_id).await? } else { None };
    for (to, admin_lang) in rules::notice_recipients(admins, contact) {
        let l = Lang::from_code(&admin_lang);
        let who = if d.show_name { d.donor_name.clone() } else { l.t(K::donations_anonymous).to_string() };
        let body = fill(
            l.t(K::donations_mail_org_body),
            &[("amount", &crate::fmt::lei(l, d.total_bani)), ("campaign", &d.campaign_title), ("donor", &who)],
        );
        let (slug, _) = db::org_by_id(db, d.org_id).await?.unwrap_or_default();
        let link = format!("{base}/organisations/{slug}/donations");
        let m = mail::compose(
            l,
            &to,
            "donations.org_received",
            K::donations_mail_org_subject,
            &[body],
            Some((K::donations_dashboard_title, &link)),
        );
        mail::enqueue(db, &m).await?;
    }
    Ok(())
}

pub async fn send_renewal_failed(db: &Db, settings: &Settings, gift_id: i64) -> Result<(), sqlx::Error> {
    let Some(g) = db::gift_by_id(db, gift_id).await? else { return Ok(()) };
    let lang = Lang::from_code(&g.lang);
    let base = settings.public_url.trim_end_matches('/');
    let token = manage_token(&settings.keys, &g.public_id, g.link_version, crate::ssr::now());
    let url = format!("{base}/donate/manage?token={token}");
    let body = fill(
        lang.t(K::donations_mail_failed_body),
        &[("amount", &crate::fmt::lei(lang, g.amount_bani + g.fee_bani)), ("campaign", &g.campaign_title)],
    );
    let m = mail::compose(
        lang,
        &g.donor_email,
        "donations.renewal_failed",
        K::donations_mail_failed_subject,
        &[body],
        Some((K::donations_manage_title, &url)),
    );
    mail::enqueue(db, &m).await.map(|_| ())
}

/// The receipt as a PDF: organisation, CUI, amount, date, reference, in the donor's language.
pub fn receipt_pdf(d: &db::DonationRow) -> Result<Vec<u8>, crate::ssr::pdf::PdfError> {
    let lang = Lang::from_code(&d.lang);
    let mut doc = crate::ssr::pdf::PdfDoc::new(lang.t(K::donations_receipt_title));
    let date = d.paid_at.unwrap_or(d.created_at);
    let kind = if d.monthly { lang.t(K::donations_monthly) } else { lang.t(K::donations_one_time) };
    let rows = vec![
        vec![lang.t(K::donations_reference).to_string(), reference(&d.public_id)],
        vec![lang.t(K::donations_receipt_org).to_string(), d.org_name.clone()],
        vec![lang.t(K::donations_receipt_cui).to_string(), d.org_cui.clone().unwrap_or_else(|| "—".into())],
        vec![lang.t(K::donations_campaign).to_string(), d.campaign_title.clone()],
        vec![lang.t(K::donations_receipt_donor).to_string(), d.donor_name.clone()],
        vec![lang.t(K::donations_amount).to_string(), format!("{} ({kind})", crate::fmt::lei(lang, d.total_bani))],
        vec![lang.t(K::donations_date).to_string(), crate::fmt::date_time(lang, date)],
    ];
    doc.title(lang.t(K::donations_receipt_title))
        .text(&d.org_name)
        .space(4.0)
        .table(&[55.0, 115.0], &["", ""], &rows)
        .space(6.0);
    if d.status == "refunded" {
        doc.bold(lang.t(K::donations_receipt_refunded));
    }
    doc.small(lang.t(K::donations_receipt_note));
    doc.render()
}

/// Tells the donor what was just done to their monthly gift through its link, with the new link
/// (the old one stopped working): a change they did not make is then noticed at once.
pub async fn send_gift_changed(db: &Db, settings: &Settings, gift_id: i64, what: K) -> Result<(), sqlx::Error> {
    let Some(g) = db::gift_by_id(db, gift_id).await? else { return Ok(()) };
    let lang = Lang::from_code(&g.lang);
    let base = settings.public_url.trim_end_matches('/');
    let token = manage_token(&settings.keys, &g.public_id, g.link_version, crate::ssr::now());
    let url = format!("{base}/donate/manage?token={token}");
    let body = fill(
        lang.t(K::donations_mail_gift_changed_body),
        &[
            ("change", lang.t(what)),
            ("amount", &crate::fmt::lei(lang, g.amount_bani + g.fee_bani)),
            ("campaign", &g.campaign_title),
        ],
    );
    let m = mail::compose(
        lang,
        &g.donor_email,
        "donations.gift_changed",
        K::donations_mail_gift_changed_subject,
        &[body, lang.t(K::donations_mail_gift_changed_not_you).to_string()],
        Some((K::donations_manage_title, &url)),
    );
    mail::enqueue(db, &m).await.map(|_| ())
}
