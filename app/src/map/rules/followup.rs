//! "Has it been fixed?": when the reporter is asked (four weeks after the authority answered),
//! what their signed link carries and how long it works, and what each answer records.
use super::{Action, ReportState};
use crate::i18n::K;

/// Days between the authority's answer and the question to the reporter.
pub const FOLLOWUP_AFTER_DAYS: i64 = 28;
/// How long the mailed link works.
pub const FOLLOWUP_LINK_DAYS: i64 = 60;

/// Reports answered at or before this instant are due for their follow-up at `now`.
pub fn followup_cutoff(now: i64) -> i64 {
    now - FOLLOWUP_AFTER_DAYS * 86_400
}

/// Is a report answered at `answered_at` due for its follow-up at `now`?
pub fn followup_due(answered_at: i64, now: i64) -> bool {
    answered_at <= followup_cutoff(now)
}

/// What the link signs: the report, the person asked and when the link stops working. The
/// purpose is bound by the signing key (`Purpose::MapFollowup`).
pub fn followup_payload(report_id: i64, reporter_id: i64, now: i64) -> String {
    format!("{report_id}.{reporter_id}.{}", now + FOLLOWUP_LINK_DAYS * 86_400)
}

/// (report, reporter) of a payload whose signature was checked, if it has not expired.
pub fn read_followup_payload(payload: &str, now: i64) -> Option<(i64, i64)> {
    let mut parts = payload.split('.');
    let report = parts.next()?.parse().ok()?;
    let reporter = parts.next()?.parse().ok()?;
    let expires: i64 = parts.next()?.parse().ok()?;
    (parts.next().is_none() && expires > now).then_some((report, reporter))
}

/// The reporter's answer, from the form's button.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FollowupAnswer {
    Fixed,
    NotYet,
}

impl FollowupAnswer {
    pub fn parse(s: &str) -> Option<FollowupAnswer> {
        match s.trim() {
            "yes" => Some(FollowupAnswer::Fixed),
            "no" => Some(FollowupAnswer::NotYet),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            FollowupAnswer::Fixed => "yes",
            FollowupAnswer::NotYet => "no",
        }
    }

    /// What goes on the timeline. "Fixed" is the resident's proposal the organisation or a
    /// moderator confirms (no photo here: the reporter was asked, by a link only they have).
    pub fn action(self) -> Action {
        match self {
            FollowupAnswer::Fixed => Action::ProposeFixed,
            FollowupAnswer::NotYet => Action::StillBroken,
        }
    }
}

/// Whether an answer is taken: once per report, and only while the report is still answered
/// (closed or reopened meanwhile, the organisation has moved on). The refusal is a notice code.
pub fn may_answer_followup(state: ReportState, already_answered: bool) -> Result<(), &'static str> {
    if already_answered {
        Err("already")
    } else if state != ReportState::Answered {
        Err("moved_on")
    } else {
        Ok(())
    }
}

/// The notice shown on the report page after an answer (`?followup=<code>`).
pub fn followup_notice(code: &str) -> Option<K> {
    match code {
        "yes" => Some(K::map_followup_thanks_fixed),
        "no" => Some(K::map_followup_thanks_not_yet),
        "already" => Some(K::map_followup_already),
        "moved_on" => Some(K::map_followup_moved_on),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_follow_up_is_due_four_weeks_after_the_answer() {
        let answered = 1_800_000_000;
        assert!(!followup_due(answered, answered));
        assert!(!followup_due(answered, answered + 28 * 86_400 - 1), "a second early");
        assert!(followup_due(answered, answered + 28 * 86_400));
        assert!(followup_due(answered, answered + 90 * 86_400));
        assert_eq!(followup_cutoff(answered + 28 * 86_400), answered);
    }

    #[test]
    fn the_link_carries_report_and_reporter_until_it_expires() {
        let now = 1_800_000_000;
        let p = followup_payload(12, 34, now);
        assert_eq!(read_followup_payload(&p, now), Some((12, 34)));
        assert_eq!(read_followup_payload(&p, now + 59 * 86_400), Some((12, 34)));
        assert_eq!(read_followup_payload(&p, now + 60 * 86_400), None, "expired");
        assert_eq!(read_followup_payload("12.34", now), None);
        assert_eq!(read_followup_payload("12.34.x", now), None);
        assert_eq!(read_followup_payload(&format!("{p}.1"), now), None);
        assert_eq!(read_followup_payload("", now), None);
    }

    #[test]
    fn answers_are_taken_once_while_the_report_is_answered() {
        assert_eq!(FollowupAnswer::parse("yes"), Some(FollowupAnswer::Fixed));
        assert_eq!(FollowupAnswer::parse("no"), Some(FollowupAnswer::NotYet));
        assert_eq!(FollowupAnswer::parse("maybe"), None);
        assert_eq!(FollowupAnswer::Fixed.action(), Action::ProposeFixed);
        assert_eq!(FollowupAnswer::NotYet.action().code(), "still_broken");
        assert_eq!(may_answer_followup(ReportState::Answered, false), Ok(()));
        assert_eq!(may_answer_followup(ReportState::Answered, true), Err("already"));
        assert_eq!(may_answer_followup(ReportState::Fixed, false), Err("moved_on"));
        for code in ["yes", "no", "already", "moved_on"] {
            assert!(followup_notice(code).is_some(), "{code}");
        }
        assert_eq!(followup_notice("<script>"), None);
    }

    #[test]
    fn nobody_says_still_broken_from_the_report_page() {
        use super::super::{available_actions, Actor};
        let reporter = Actor { reporter: true, ..Default::default() };
        let staff = Actor { org: true, moderator: true, official: true, ..Default::default() };
        for who in [reporter, staff] {
            assert!(!available_actions(ReportState::Answered, who, false).contains(&Action::StillBroken));
        }
    }
}
