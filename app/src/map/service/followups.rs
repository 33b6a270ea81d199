//! "Has it been fixed?" answered through the signed link in the reporter's mail, no sign-in: the
//! link's token, the page's facts, and the answer (recorded once, the organisation told of a "yes").
use super::super::db;
use super::super::rules::{self, FollowupAnswer};
use super::super::{problem_label, FollowupView};
use super::today;
use crate::i18n::{Lang, K};
use crate::ssr::signing::{Keys, Purpose};
use crate::ssr::Db;

pub fn followup_token(keys: &Keys, report_id: i64, reporter_id: i64, now: i64) -> String {
    keys.sign(Purpose::MapFollowup, &rules::followup_payload(report_id, reporter_id, now))
}

/// (report, reporter) of a token this server signed for follow-ups, if it has not expired.
pub fn verify_followup_token(keys: &Keys, token: &str, now: i64) -> Option<(i64, i64)> {
    rules::read_followup_payload(&keys.verify(Purpose::MapFollowup, token)?, now)
}

/// The report of a link, if its token is ours, unexpired, for this report and still its reporter.
async fn checked(
    db: &Db,
    keys: &Keys,
    report_id: i64,
    token: &str,
    now: i64,
) -> Result<Option<(i64, db::FollowupFacts)>, sqlx::Error> {
    let Some((rid, uid)) = verify_followup_token(keys, token, now) else {
        return Ok(None);
    };
    if rid != report_id {
        return Ok(None);
    }
    Ok(db::followup_facts(db, report_id).await?.filter(|f| f.reporter_id == Some(uid)).map(|f| (uid, f)))
}

/// The page's facts, or `None` for a link that is not valid (tampered, expired, another report).
pub async fn view(db: &Db, keys: &Keys, report_id: i64, token: &str) -> Result<Option<FollowupView>, sqlx::Error> {
    let Some((_, f)) = checked(db, keys, report_id, token, crate::ssr::now()).await? else {
        return Ok(None);
    };
    let open = rules::may_answer_followup(f.state, f.answered).is_ok();
    Ok(Some(FollowupView {
        report_id,
        place_id: f.place_id,
        place_name: f.place_name,
        problem: f.problem,
        description: f.description,
        answered: f.answered,
        open,
    }))
}

/// What became of an answer.
#[derive(Debug, PartialEq, Eq)]
pub enum Answered {
    /// Recorded; the notice code for the report page.
    Done(FollowupAnswer),
    /// Refused politely: "already" answered, or the report "moved_on".
    Refused(&'static str),
    /// Not a valid link.
    Invalid,
}

/// Records the reporter's answer: the first one only (claimed in the transaction that writes the
/// timeline), while the report is still answered. A "yes" is the resident's proposal, and the
/// organisation is mailed to confirm it.
pub async fn answer(
    db: &Db,
    keys: &Keys,
    public_url: &str,
    report_id: i64,
    token: &str,
    answer: FollowupAnswer,
) -> Result<Answered, sqlx::Error> {
    let now = crate::ssr::now();
    let Some((uid, f)) = checked(db, keys, report_id, token, now).await? else {
        return Ok(Answered::Invalid);
    };
    if let Err(code) = rules::may_answer_followup(f.state, f.answered) {
        return Ok(Answered::Refused(code));
    }
    let change = db::StateChange {
        report_id,
        place_id: f.place_id,
        actor_id: uid,
        role: "reporter",
        action: answer.action(),
        next: f.state,
        comment: String::new(),
        send: None,
        extend_due: None,
        photos: vec![],
    };
    let mut tx = db.pool.begin().await?;
    // Two clicks at once: one claims, the other finds it taken.
    if !db::claim_followup_answer(&mut tx, report_id, now).await? {
        return Ok(Answered::Refused("already"));
    }
    db::apply_change_in(&mut tx, &change).await?;
    tx.commit().await?;
    super::places::refresh(db, f.place_id, today()).await?;
    if answer == FollowupAnswer::Fixed && !f.org_email.is_empty() {
        // As the overdue notice: the organisation member's language when the address is one.
        let lang = db::email_lang(db, &f.org_email).await?.unwrap_or(Lang::Ro);
        let link = format!("{}/map/reports/{report_id}", public_url.trim_end_matches('/'));
        let para = lang.tf(
            K::map_mail_followup_fixed_body,
            &[("place", &f.place_name), ("problem", lang.t(problem_label(&f.problem)))],
        );
        let mail = crate::ssr::mail::compose(
            lang,
            &f.org_email,
            "map.followup_fixed",
            K::map_mail_followup_fixed_subject,
            &[para],
            Some((K::map_mail_open_report, &link)),
        );
        crate::ssr::mail::enqueue(db, &mail).await?;
    }
    Ok(Answered::Done(answer))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_bound_to_purpose_report_reporter_and_time() {
        let keys = Keys::derive(&[9u8; 32]);
        let now = 1_800_000_000;
        let t = followup_token(&keys, 5, 7, now);
        assert_eq!(verify_followup_token(&keys, &t, now), Some((5, 7)));
        assert_eq!(verify_followup_token(&keys, &t, now + 61 * 86_400), None, "expired");
        assert_eq!(verify_followup_token(&Keys::derive(&[8u8; 32]), &t, now), None, "another server");
        assert_eq!(verify_followup_token(&keys, &t.replacen("5.7.", "6.7.", 1), now), None, "another report");
        let gift = keys.sign(Purpose::Gift, &rules::followup_payload(5, 7, now));
        assert_eq!(verify_followup_token(&keys, &gift, now), None, "another purpose");
        assert_eq!(verify_followup_token(&keys, "", now), None);
        assert_eq!(verify_followup_token(&keys, "5.7.9999999999.zz", now), None);
    }
}
