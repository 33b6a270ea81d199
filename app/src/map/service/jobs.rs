//! Periodic work, called from the server's job loop.
use super::super::{db, rules};
use super::today;
use crate::i18n::{Lang, K};

/// Finds reports whose OG 27 deadline passed without an answer and mails their organisation once,
/// whichever server runs it: the flag and the mail are one transaction. Returns how many reports
/// this server flagged.
pub async fn notify_overdue(db: &crate::ssr::Db, public_url: &str) -> Result<usize, sqlx::Error> {
    let today = today();
    let due = db::newly_overdue(db, today).await?;
    let mut flagged = 0;
    for o in &due {
        let mut mail = None;
        if !o.org_email.is_empty() {
            let link = format!("{}/map/reports/{}", public_url.trim_end_matches('/'), o.report_id);
            // The organisation's contact is an address, not a person: when a member signs in with
            // it, their language; otherwise Romanian (an authority-facing workflow).
            let lang = db::email_lang(db, &o.org_email).await?.unwrap_or(Lang::Ro);
            let para = lang.tf(
                K::map_mail_overdue_body,
                &[("place", &o.place_name), ("no", &o.registration_no), ("due", &rules::day_text(lang, o.due_day))],
            );
            let m = crate::ssr::mail::compose(
                lang,
                &o.org_email,
                "map.report_overdue",
                K::map_mail_overdue_subject,
                &[para],
                Some((K::map_mail_open_report, &link)),
            );
            if crate::ssr::mail::wanted(db, &m).await? {
                mail = Some(m);
            }
        }
        let mut tx = db.pool.begin().await?;
        if !db::claim_overdue(&mut tx, o.report_id).await? {
            continue;
        }
        if let Some(m) = &mail {
            crate::ssr::mail::insert_in(&mut tx, m).await?;
        }
        tx.commit().await?;
        flagged += 1;
        super::places::refresh(db, o.place_id, today).await?;
    }
    Ok(flagged)
}

/// Four weeks after the authority answered, asks the reporter once "has it been fixed?" with a
/// signed link. Safe on any number of servers: each report is claimed and its mail queued in one
/// transaction (as `notify_overdue`). Returns how many reports this server claimed.
pub async fn send_followups(db: &crate::ssr::Db, settings: &crate::ssr::Settings) -> Result<usize, sqlx::Error> {
    let now = crate::ssr::now();
    let base = settings.public_url.trim_end_matches('/');
    let mut claimed = 0;
    for d in db::due_followups(db, rules::followup_cutoff(now)).await? {
        let lang = db::user_lang(db, d.reporter_id).await?;
        let token = super::followups::followup_token(&settings.keys, d.report_id, d.reporter_id, now);
        let link = format!("{base}/map/reports/{}/follow-up?token={token}", d.report_id);
        let para = lang.tf(
            K::map_mail_followup_body,
            &[("place", &d.place_name), ("problem", lang.t(super::super::problem_label(&d.problem)))],
        );
        let m = crate::ssr::mail::compose(
            lang,
            &d.email,
            "map.report_followup",
            K::map_mail_followup_subject,
            &[para, lang.t(K::map_mail_followup_how).to_string()],
            Some((K::map_mail_followup_answer, &link)),
        );
        let wanted = crate::ssr::mail::wanted(db, &m).await?;
        // Claimed even when the person switched these mails off: asked (or not) once, either way.
        let mut tx = db.pool.begin().await?;
        if !db::claim_followup(&mut tx, d.report_id, now).await? {
            continue;
        }
        if wanted {
            crate::ssr::mail::insert_in(&mut tx, &m).await?;
        }
        tx.commit().await?;
        claimed += 1;
    }
    Ok(claimed)
}
