//! Periodic work, called from the server's job loop.
use super::super::{db, rules};
use super::today;
use crate::i18n::{Lang, K};

/// Finds reports whose OG 27 deadline passed without an answer and mails their organisation once.
pub async fn notify_overdue(db: &crate::ssr::Db, public_url: &str) -> Result<usize, sqlx::Error> {
    let today = today();
    let due = db::newly_overdue(db, today).await?;
    let mut sent = 0;
    for o in &due {
        if !o.org_email.is_empty() {
            let link = format!("{}/map/reports/{}", public_url.trim_end_matches('/'), o.report_id);
            // The organisation's contact is an address, not a person: when a member signs in with
            // it, their language; otherwise Romanian (an authority-facing workflow).
            let lang = db::email_lang(db, &o.org_email).await?.unwrap_or(Lang::Ro);
            let para = lang.tf(
                K::map_mail_overdue_body,
                &[("place", &o.place_name), ("no", &o.registration_no), ("due", &rules::day_text(lang, o.due_day))],
            );
            let mail = crate::ssr::mail::compose(
                lang,
                &o.org_email,
                "map.report_overdue",
                K::map_mail_overdue_subject,
                &[para],
                Some((K::map_mail_open_report, &link)),
            );
            crate::ssr::mail::enqueue(db, &mail).await?;
            sent += 1;
        }
        db::mark_overdue_notified(db, o.report_id).await?;
        super::places::refresh(db, o.place_id, today).await?;
    }
    Ok(sent)
}
