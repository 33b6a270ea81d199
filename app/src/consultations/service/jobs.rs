//! Background work, called from the server's 60-second job loop.
use super::notify::{compose, unsub_link};
use crate::consultations::db;
use crate::consultations::rules::CLOSING_SOON_SECS;
use crate::i18n::{Lang, K};
use crate::ssr::{self, mail, now};

/// Closes consultations whose window ended and mails "closing soon" reminders to followers. Safe
/// with several servers: each reminder is claimed in the transaction that queues its mails, so it
/// goes once, and a failure part-way leaves it unclaimed for the next run rather than half-sent.
pub async fn run_jobs(db_: &ssr::Db, settings: &ssr::Settings) -> Result<(usize, usize), sqlx::Error> {
    let now = now();
    let closed = db::close_due(db_, now).await?;
    let base = settings.public_url.trim_end_matches('/');
    let mut sent = 0;
    for id in db::due_closing_soon(db_, now, CLOSING_SOON_SECS).await? {
        let Some(d) = db::detail_by_id(db_, id).await? else { continue };
        // Composed and filtered by preference before the transaction, which stays short.
        let mut mails = vec![];
        for (fid, _, email, lang) in db::followers(db_, id).await? {
            let l = Lang::from_code(&lang);
            let body = l.tf(
                K::consultations_mail_closing_body,
                &[("title", &d.card.title), ("when", &crate::fmt::date_time(l, d.card.closes_at))],
            );
            let link = format!("{base}/consultations/{}", d.card.slug);
            let m = compose(
                l,
                &email,
                "consultations.closing_soon",
                K::consultations_mail_closing_subject,
                vec![body],
                Some((K::consultations_mail_open, &link)),
                Some(unsub_link(base, &settings.keys, "follow", &fid)),
            );
            if mail::wanted(db_, &m).await? {
                mails.push(m);
            }
        }
        let mut tx = db_.pool.begin().await?;
        if !db::claim_closing_soon(&mut tx, id, now).await? {
            continue;
        }
        for m in &mails {
            mail::insert_in(&mut tx, m).await?;
        }
        tx.commit().await?;
        sent += 1;
    }
    Ok((closed.len(), sent))
}
