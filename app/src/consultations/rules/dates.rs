//! Law 52/2003 after a consultation is created: every check again at publication (counted from the
//! publication moment), extending the comment window, correcting dates with a public reason, and the
//! date of the public debate.
use super::law52::{self, local_day, Check, CheckResult};
use super::Status;
use crate::i18n::K;
use serde::{Deserialize, Serialize};

/// A public reason is at least this long (as for moderation).
pub const MIN_REASON_CHARS: usize = 5;

/// A consultation's three dates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Dates {
    pub opens_at: i64,
    pub closes_at: i64,
    pub adoption_at: Option<i64>,
}

/// Which date a change touched.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DateField {
    Opens,
    Closes,
    Adoption,
}

impl DateField {
    pub fn code(self) -> &'static str {
        match self {
            DateField::Opens => "opens_at",
            DateField::Closes => "closes_at",
            DateField::Adoption => "adoption_at",
        }
    }

    pub fn parse(code: &str) -> Option<DateField> {
        [DateField::Opens, DateField::Closes, DateField::Adoption].into_iter().find(|f| f.code() == code)
    }

    pub fn label(self) -> K {
        match self {
            DateField::Opens => K::consultations_field_opens,
            DateField::Closes => K::consultations_field_closes,
            DateField::Adoption => K::consultations_adoption,
        }
    }
}

/// An extension of the comment window (announced, mailed) or a correction of a date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChangeKind {
    Extension,
    Correction,
}

impl ChangeKind {
    pub fn code(self) -> &'static str {
        match self {
            ChangeKind::Extension => "extension",
            ChangeKind::Correction => "correction",
        }
    }

    pub fn parse(code: &str) -> Option<ChangeKind> {
        match code {
            "extension" => Some(ChangeKind::Extension),
            "correction" => Some(ChangeKind::Correction),
            _ => None,
        }
    }

    pub fn label(self) -> K {
        match self {
            ChangeKind::Extension => K::consultations_change_extension,
            ChangeKind::Correction => K::consultations_change_correction,
        }
    }
}

/// One date changed: which, from what, to what.
pub type Change = (DateField, Option<i64>, Option<i64>);

/// Why a date change is refused: the step is not possible now, or fields are wrong (form field
/// name, message), in the form's order.
#[derive(Debug, PartialEq)]
pub enum DateProblem {
    Refused(K),
    Fields(Vec<(&'static str, K)>),
}

/// The Law 52 checks of a consultation announced at `announced_at`: comments cannot start before the
/// announcement, so the window is counted from whichever comes later.
pub fn checks_from(announced_at: i64, d: Dates, urgency_reason: &str) -> Vec<CheckResult> {
    law52::checks(announced_at, d.opens_at.max(announced_at), d.closes_at, d.adoption_at, urgency_reason)
}

/// Every Law 52 check again at the moment of publication `now`: a draft created weeks ago whose
/// window or notice no longer fits is refused, with the message of the first rule it breaks.
pub fn check_publish(now: i64, d: Dates, urgency_reason: &str) -> Result<(), K> {
    if d.closes_at <= now {
        return Err(K::consultations_err_publish_ended);
    }
    match checks_from(now, d, urgency_reason).into_iter().find(|c| !c.ok).map(|c| c.check) {
        None => Ok(()),
        Some(Check::CommentWindow) => Err(K::consultations_err_publish_window),
        Some(Check::Notice) => Err(K::consultations_err_publish_notice),
        Some(Check::Urgency) => Err(K::consultations_err_publish_urgency),
    }
}

fn clean_reason(reason: &str) -> String {
    crate::text::clean_multiline(reason, 2_000)
}

/// The Law 52 problems of `d` counted from `announced_at`, next to the given fields (the urgency
/// reason is not changed by these forms, so its check is the creation's).
fn law_errors(
    announced_at: i64,
    d: Dates,
    urgency_reason: &str,
    closes_field: &'static str,
    adoption_field: &'static str,
) -> Vec<(&'static str, K)> {
    let mut out = vec![];
    for c in checks_from(announced_at, d, urgency_reason) {
        match c.check {
            _ if c.ok => {}
            Check::CommentWindow => out.push((closes_field, K::consultations_err_law_window)),
            Check::Notice => out.push((adoption_field, K::consultations_err_law_notice)),
            Check::Urgency => {}
        }
    }
    out
}

/// The comment window ends before the day of the planned adoption (the comments must be answered
/// before the decision).
fn ends_before_adoption(d: Dates) -> bool {
    d.adoption_at.is_none_or(|a| local_day(d.closes_at) < local_day(a))
}

/// Extending the comment window of a published, still open consultation: a later last day, a
/// reason, and the planned adoption moved too when the new end would reach it (blank = unchanged).
/// Returns the new dates and what changed.
#[allow(clippy::too_many_arguments)]
pub fn check_extension(
    status: Status,
    published_at: Option<i64>,
    cur: Dates,
    urgency_reason: &str,
    now: i64,
    closes_on: &str,
    adoption_on: &str,
    reason: &str,
) -> Result<(Dates, Vec<Change>), DateProblem> {
    if status != Status::Open || now >= cur.closes_at {
        return Err(DateProblem::Refused(K::consultations_err_not_open));
    }
    let mut errors = vec![];
    let closes = crate::fmt::parse_local(closes_on, "23:59");
    let adoption = if adoption_on.trim().is_empty() {
        Some(cur.adoption_at)
    } else {
        crate::fmt::parse_local(adoption_on, "12:00").map(|a| {
            // The same day as before is no change.
            match cur.adoption_at {
                Some(old) if local_day(old) == local_day(a) => Some(old),
                _ => Some(a),
            }
        })
    };
    match closes {
        None => errors.push(("ext_closes_on", K::consultations_err_date)),
        Some(c) if local_day(c) <= local_day(cur.closes_at) => {
            errors.push(("ext_closes_on", K::consultations_err_extend_later))
        }
        Some(_) => {}
    }
    if adoption.is_none() {
        errors.push(("ext_adoption_on", K::consultations_err_date));
    }
    let reason_ok = clean_reason(reason).chars().count() >= MIN_REASON_CHARS;
    let (Some(closes_at), Some(adoption_at)) = (closes, adoption) else {
        if !reason_ok {
            errors.push(("ext_reason", K::consultations_err_reason));
        }
        return Err(DateProblem::Fields(errors));
    };
    let new = Dates { opens_at: cur.opens_at, closes_at, adoption_at };
    if errors.is_empty() {
        if !ends_before_adoption(new) {
            let field = if adoption_on.trim().is_empty() { "ext_closes_on" } else { "ext_adoption_on" };
            errors.push((field, K::consultations_err_close_after_adoption));
        }
        if adoption_at.is_some_and(|a| cur.adoption_at.is_some_and(|old| a < old)) {
            errors.push(("ext_adoption_on", K::consultations_err_extend_adoption_earlier));
        } else {
            for e in law_errors(published_at.unwrap_or(now), new, urgency_reason, "ext_closes_on", "ext_adoption_on") {
                if !errors.contains(&e) {
                    errors.push(e);
                }
            }
        }
    }
    if !reason_ok {
        errors.push(("ext_reason", K::consultations_err_reason));
    }
    if !errors.is_empty() {
        return Err(DateProblem::Fields(errors));
    }
    Ok((new, changes(cur, new)))
}

/// Correcting the dates, before publication or while the window has not ended, with a reason.
/// A draft's dates keep the creation's rules (counted from today, and checked again at
/// publication); a published consultation's window keeps the Law 52 minimum counted from its
/// publication, cannot end in the past, and its first day cannot move once comments started.
#[allow(clippy::too_many_arguments)]
pub fn check_correction(
    status: Status,
    published_at: Option<i64>,
    cur: Dates,
    urgency_reason: &str,
    now: i64,
    opens_on: &str,
    closes_on: &str,
    adoption_on: &str,
    reason: &str,
) -> Result<(Dates, Vec<Change>), DateProblem> {
    let published = match (status, published_at) {
        (Status::Draft, _) => None,
        (Status::Open, Some(p)) if now < cur.closes_at => Some(p),
        _ => return Err(DateProblem::Refused(K::consultations_err_correct_closed)),
    };
    let mut errors = vec![];
    // A date typed as the same day as before keeps the stored instant.
    let same_day = |typed: Option<i64>, old: i64| typed.map(|t| if local_day(t) == local_day(old) { old } else { t });
    let opens = same_day(crate::fmt::parse_local(opens_on, "00:00"), cur.opens_at);
    let closes = same_day(crate::fmt::parse_local(closes_on, "23:59"), cur.closes_at);
    let adoption = crate::fmt::parse_local(adoption_on, "12:00")
        .map(|a| cur.adoption_at.filter(|old| local_day(*old) == local_day(a)).unwrap_or(a));
    for (value, field) in [(opens, "fix_opens_on"), (closes, "fix_closes_on"), (adoption, "fix_adoption_on")] {
        if value.is_none() {
            errors.push((field, K::consultations_err_date));
        }
    }
    let reason_ok = clean_reason(reason).chars().count() >= MIN_REASON_CHARS;
    if let (Some(opens_at), Some(closes_at), Some(adoption_at)) = (opens, closes, adoption) {
        let new = Dates { opens_at, closes_at, adoption_at: Some(adoption_at) };
        let started = published.is_some() && now >= cur.opens_at;
        if started && opens_at != cur.opens_at {
            errors.push(("fix_opens_on", K::consultations_err_opens_started));
        } else if opens_at != cur.opens_at && opens_at < now - 86_400 {
            errors.push(("fix_opens_on", K::consultations_err_window_order));
        }
        if closes_at <= opens_at {
            errors.push(("fix_closes_on", K::consultations_err_window_order));
        } else if published.is_some() && closes_at <= now {
            errors.push(("fix_closes_on", K::consultations_err_closes_past));
        } else if !ends_before_adoption(new) {
            errors.push(("fix_adoption_on", K::consultations_err_close_after_adoption));
        } else {
            errors.extend(law_errors(
                published.unwrap_or(now),
                new,
                urgency_reason,
                "fix_closes_on",
                "fix_adoption_on",
            ));
        }
        if errors.is_empty() && new == cur {
            errors.push(("fix_opens_on", K::consultations_err_no_change));
        }
        if !reason_ok {
            errors.push(("fix_reason", K::consultations_err_reason));
        }
        if errors.is_empty() {
            return Ok((new, changes(cur, new)));
        }
    } else if !reason_ok {
        errors.push(("fix_reason", K::consultations_err_reason));
    }
    Err(DateProblem::Fields(errors))
}

fn changes(old: Dates, new: Dates) -> Vec<Change> {
    let mut out = vec![];
    if old.opens_at != new.opens_at {
        out.push((DateField::Opens, Some(old.opens_at), Some(new.opens_at)));
    }
    if old.closes_at != new.closes_at {
        out.push((DateField::Closes, Some(old.closes_at), Some(new.closes_at)));
    }
    if old.adoption_at != new.adoption_at {
        out.push((DateField::Adoption, old.adoption_at, new.adoption_at));
    }
    out
}

/// A public debate is held in the future and before the day of the planned adoption (it is there
/// to inform the decision).
pub fn check_debate(now: i64, starts_at: i64, adoption_at: Option<i64>) -> Result<(), K> {
    if starts_at < now {
        return Err(K::consultations_err_debate_past);
    }
    if adoption_at.is_some_and(|a| local_day(starts_at) >= local_day(a)) {
        return Err(K::consultations_err_debate_after_adoption);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fmt::parse_local;

    fn at(date: &str, time: &str) -> i64 {
        parse_local(date, time).unwrap()
    }

    /// A draft created on 2 March 2026 for 2-20 March, adoption on 15 June.
    fn dates() -> Dates {
        Dates {
            opens_at: at("2026-03-02", "00:00"),
            closes_at: at("2026-03-20", "23:59"),
            adoption_at: Some(at("2026-06-15", "12:00")),
        }
    }

    #[test]
    fn publishing_checks_law_52_again_from_the_publication() {
        // Published on the day it opens: fine.
        assert_eq!(check_publish(at("2026-03-02", "09:00"), dates(), ""), Ok(()));
        // Published on 15 March: 6 days of comments are left, the window is counted from publication.
        assert_eq!(check_publish(at("2026-03-15", "09:00"), dates(), ""), Err(K::consultations_err_publish_window));
        // A window that fits, but the adoption is now too close.
        let d = Dates { closes_at: at("2026-05-20", "23:59"), ..dates() };
        assert_eq!(check_publish(at("2026-05-08", "09:00"), d, ""), Err(K::consultations_err_publish_notice));
        // After its end: nothing to comment on.
        assert_eq!(check_publish(at("2026-03-21", "09:00"), dates(), ""), Err(K::consultations_err_publish_ended));
        // The urgency exception with a real reason lifts the deadlines; a short one is refused.
        let late = at("2026-03-15", "09:00");
        assert_eq!(check_publish(late, dates(), "Podul a căzut după inundațiile din martie."), Ok(()));
        assert_eq!(check_publish(late, dates(), "Inundații"), Err(K::consultations_err_publish_urgency));
        // Published before it opens: counted from its first day.
        assert_eq!(check_publish(at("2026-02-20", "09:00"), dates(), ""), Ok(()));
    }

    #[test]
    fn the_window_is_counted_from_publication_when_it_opened_before() {
        let c = checks_from(at("2026-03-12", "10:00"), dates(), "");
        assert_eq!(c[0].days, 9);
        assert!(!c[0].ok);
    }

    fn extend(closes: &str, adoption: &str, reason: &str) -> Result<(Dates, Vec<Change>), DateProblem> {
        check_extension(
            Status::Open,
            Some(at("2026-03-02", "09:00")),
            dates(),
            "",
            at("2026-03-10", "12:00"),
            closes,
            adoption,
            reason,
        )
    }

    #[test]
    fn an_extension_ends_later_keeps_the_adoption_and_says_why() {
        let (new, changed) = extend("2026-03-31", "", "Multe cereri de prelungire.").unwrap();
        assert_eq!(new.closes_at, at("2026-03-31", "23:59"));
        assert_eq!(changed, vec![(DateField::Closes, Some(dates().closes_at), Some(new.closes_at))]);
        let f = |r: Result<(Dates, Vec<Change>), DateProblem>| match r {
            Err(DateProblem::Fields(f)) => f,
            other => panic!("{other:?}"),
        };
        assert_eq!(f(extend("2026-03-20", "", "Motiv bun.")), [("ext_closes_on", K::consultations_err_extend_later)]);
        assert_eq!(f(extend("2026-03-18", "", "Motiv bun.")), [("ext_closes_on", K::consultations_err_extend_later)]);
        assert_eq!(
            f(extend("nu", "", "")),
            [("ext_closes_on", K::consultations_err_date), ("ext_reason", K::consultations_err_reason)]
        );
        assert_eq!(f(extend("2026-03-31", "", "   ")), [("ext_reason", K::consultations_err_reason)]);
        // Reaching the planned adoption: the adoption must move too, and keep its 30 working days.
        assert_eq!(
            f(extend("2026-06-20", "", "Motiv bun.")),
            [("ext_closes_on", K::consultations_err_close_after_adoption)]
        );
        let (new, changed) = extend("2026-06-20", "2026-07-10", "Motiv bun.").unwrap();
        assert_eq!(new.adoption_at, Some(at("2026-07-10", "12:00")));
        assert_eq!(changed.len(), 2);
        assert_eq!(
            f(extend("2026-03-31", "2026-04-01", "Motiv bun.")),
            [("ext_adoption_on", K::consultations_err_extend_adoption_earlier)]
        );
        // Only a published consultation whose window has not ended.
        let closed = check_extension(
            Status::Open,
            Some(0),
            dates(),
            "",
            at("2026-03-21", "00:30"),
            "2026-03-31",
            "",
            "Motiv bun.",
        );
        assert_eq!(closed, Err(DateProblem::Refused(K::consultations_err_not_open)));
        let draft = check_extension(Status::Draft, None, dates(), "", 0, "2026-03-31", "", "Motiv bun.");
        assert_eq!(draft, Err(DateProblem::Refused(K::consultations_err_not_open)));
    }

    fn correct(status: Status, now: &str, o: &str, c: &str, a: &str) -> Result<(Dates, Vec<Change>), DateProblem> {
        check_correction(
            status,
            Some(at("2026-03-02", "09:00")),
            dates(),
            "",
            at(now, "12:00"),
            o,
            c,
            a,
            "Greșeală de redactare.",
        )
    }

    fn fields(r: Result<(Dates, Vec<Change>), DateProblem>) -> Vec<(&'static str, K)> {
        match r {
            Err(DateProblem::Fields(f)) => f,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn corrections_after_publication_keep_the_minimum_from_publication() {
        // Shortening to 11 March keeps 10 days from 2 March; to 10 March it does not.
        let (new, changed) = correct(Status::Open, "2026-03-05", "2026-03-02", "2026-03-11", "2026-06-15").unwrap();
        assert_eq!(changed, vec![(DateField::Closes, Some(dates().closes_at), Some(new.closes_at))]);
        assert_eq!(
            fields(correct(Status::Open, "2026-03-05", "2026-03-02", "2026-03-10", "2026-06-15")),
            [("fix_closes_on", K::consultations_err_law_window)]
        );
        // The first day cannot move once comments started; the end cannot be in the past.
        assert_eq!(
            fields(correct(Status::Open, "2026-03-05", "2026-03-03", "2026-03-20", "2026-06-15")),
            [("fix_opens_on", K::consultations_err_opens_started)]
        );
        assert_eq!(
            fields(correct(Status::Open, "2026-03-15", "2026-03-02", "2026-03-14", "2026-06-15")),
            [("fix_closes_on", K::consultations_err_closes_past)]
        );
        // The adoption keeps its 30 working days from publication, and comes after the window.
        assert_eq!(
            fields(correct(Status::Open, "2026-03-05", "2026-03-02", "2026-03-20", "2026-04-01")),
            [("fix_adoption_on", K::consultations_err_law_notice)]
        );
        assert_eq!(
            fields(correct(Status::Open, "2026-03-05", "2026-03-02", "2026-03-20", "2026-03-20")),
            [("fix_adoption_on", K::consultations_err_close_after_adoption)]
        );
        // Nothing changed, or no reason.
        assert_eq!(
            fields(correct(Status::Open, "2026-03-05", "2026-03-02", "2026-03-20", "2026-06-15")),
            [("fix_opens_on", K::consultations_err_no_change)]
        );
        let no_reason = check_correction(
            Status::Open,
            Some(at("2026-03-02", "09:00")),
            dates(),
            "",
            at("2026-03-05", "12:00"),
            "2026-03-02",
            "2026-03-25",
            "2026-06-15",
            "",
        );
        assert_eq!(fields(no_reason), [("fix_reason", K::consultations_err_reason)]);
        // After the window: no correction.
        assert_eq!(
            correct(Status::Closed, "2026-03-25", "2026-03-02", "2026-03-20", "2026-06-15"),
            Err(DateProblem::Refused(K::consultations_err_correct_closed))
        );
    }

    #[test]
    fn a_draft_is_corrected_from_today() {
        // Created weeks ago: moved to a window starting today.
        let (new, changed) = correct(Status::Draft, "2026-04-01", "2026-04-01", "2026-04-15", "2026-06-15").unwrap();
        assert_eq!(new.opens_at, at("2026-04-01", "00:00"));
        assert_eq!(changed.iter().map(|c| c.0).collect::<Vec<_>>(), [DateField::Opens, DateField::Closes]);
        assert_eq!(check_publish(at("2026-04-01", "12:30"), new, ""), Ok(()));
        assert_eq!(
            fields(correct(Status::Draft, "2026-04-01", "2026-03-25", "2026-04-15", "2026-06-15")),
            [("fix_opens_on", K::consultations_err_window_order)]
        );
        assert_eq!(
            fields(correct(Status::Draft, "2026-04-01", "2026-04-01", "2026-04-05", "2026-06-15")),
            [("fix_closes_on", K::consultations_err_law_window)]
        );
    }

    #[test]
    fn debates_are_held_in_the_future_before_the_adoption() {
        let now = at("2026-03-05", "12:00");
        let adoption = Some(at("2026-06-15", "12:00"));
        assert_eq!(check_debate(now, at("2026-03-12", "17:00"), adoption), Ok(()));
        assert_eq!(check_debate(now, at("2026-03-04", "17:00"), adoption), Err(K::consultations_err_debate_past));
        assert_eq!(
            check_debate(now, at("2026-06-15", "09:00"), adoption),
            Err(K::consultations_err_debate_after_adoption)
        );
        assert_eq!(
            check_debate(now, at("2026-06-20", "17:00"), adoption),
            Err(K::consultations_err_debate_after_adoption)
        );
        assert_eq!(check_debate(now, at("2026-06-14", "17:00"), adoption), Ok(()));
        assert_eq!(check_debate(now, at("2026-09-14", "17:00"), None), Ok(()));
    }

    #[test]
    fn codes_round_trip() {
        for f in [DateField::Opens, DateField::Closes, DateField::Adoption] {
            assert_eq!(DateField::parse(f.code()), Some(f));
        }
        for k in [ChangeKind::Extension, ChangeKind::Correction] {
            assert_eq!(ChangeKind::parse(k.code()), Some(k));
        }
    }
}
