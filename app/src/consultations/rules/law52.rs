//! Legea 52/2003 (transparența decizională) deadlines, counted on Bucharest calendar days, with the
//! Romanian public holidays of the Labour Code (art. 139), Orthodox Easter and Pentecost computed.
pub use crate::calendar::is_working_day;
use crate::fmt::{bucharest_parts, days_from_civil};
use serde::{Deserialize, Serialize};

/// At least 10 calendar days for comments (art. 7 (4)).
pub const MIN_COMMENT_DAYS: i64 = 10;
/// The draft is announced at least 30 working days before it is adopted (art. 7 (2)).
pub const MIN_NOTICE_WORKING_DAYS: i64 = 30;

/// The Bucharest calendar day of a UTC instant, as days since 1970-01-01.
pub fn local_day(utc: i64) -> i64 {
    let (y, m, d, _, _) = bucharest_parts(utc);
    days_from_civil(y, m, d)
}

/// Working days strictly between two calendar days (neither end counts).
pub fn working_days_between(from_day: i64, to_day: i64) -> i64 {
    ((from_day + 1)..to_day).filter(|d| is_working_day(*d)).count() as i64
}

/// Calendar days of the comment window, counting the opening day and the closing day.
pub fn comment_days(opens_at: i64, closes_at: i64) -> i64 {
    local_day(closes_at) - local_day(opens_at) + 1
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Check {
    /// The comment window is at least 10 calendar days.
    CommentWindow,
    /// Announced at least 30 working days before the planned adoption.
    Notice,
    /// The urgency exception is used and carries its reason.
    Urgency,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckResult {
    pub check: Check,
    pub ok: bool,
    /// Days counted (calendar days for the window, working days for the notice).
    pub days: i64,
    pub required: i64,
}

/// The Law 52 checks for a consultation announced at `announced_at` (publication), with its
/// comment window and planned adoption date. `urgency_reason` non-empty = the urgency exception.
pub fn checks(
    announced_at: i64,
    opens_at: i64,
    closes_at: i64,
    adoption_at: Option<i64>,
    urgency_reason: &str,
) -> Vec<CheckResult> {
    let urgent = !urgency_reason.trim().is_empty();
    let window = comment_days(opens_at, closes_at);
    let mut out = vec![CheckResult {
        check: Check::CommentWindow,
        ok: window >= MIN_COMMENT_DAYS || urgent,
        days: window,
        required: MIN_COMMENT_DAYS,
    }];
    let notice = adoption_at.map(|a| working_days_between(local_day(announced_at), local_day(a))).unwrap_or(0);
    out.push(CheckResult {
        check: Check::Notice,
        ok: adoption_at.is_some() && (notice >= MIN_NOTICE_WORKING_DAYS || urgent),
        days: notice,
        required: MIN_NOTICE_WORKING_DAYS,
    });
    if urgent {
        out.push(CheckResult {
            check: Check::Urgency,
            ok: urgency_reason.trim().chars().count() >= 20,
            days: 0,
            required: 0,
        });
    }
    out
}

/// The earliest adoption day that satisfies the notice rule for an announcement on `announced_day`.
pub fn earliest_adoption_day(announced_day: i64) -> i64 {
    let mut day = announced_day;
    let mut counted = 0;
    while counted < MIN_NOTICE_WORKING_DAYS {
        day += 1;
        if is_working_day(day) {
            counted += 1;
        }
    }
    day + 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fmt::civil_from_days;

    fn day(y: i64, m: u32, d: u32) -> i64 {
        days_from_civil(y, m, d)
    }

    #[test]
    fn working_days_skip_weekends_and_holidays() {
        // Mon 23 Nov 2026 → Thu 3 Dec: 24, 25, 26, 27 (Tue-Fri), then Mon 30 Nov and Tue 1 Dec are holidays, Wed 2 Dec.
        assert_eq!(working_days_between(day(2026, 11, 23), day(2026, 12, 3)), 5);
        assert_eq!(working_days_between(day(2026, 11, 23), day(2026, 11, 24)), 0);
        // Christmas to New Year 2026: 28, 29, 30, 31 Dec (Mon-Thu) are working days.
        assert_eq!(working_days_between(day(2026, 12, 24), day(2027, 1, 3)), 4);
    }

    #[test]
    fn the_earliest_adoption_day_is_exactly_enough() {
        let announced = day(2026, 11, 23);
        let earliest = earliest_adoption_day(announced);
        assert_eq!(working_days_between(announced, earliest), MIN_NOTICE_WORKING_DAYS);
        assert_eq!(working_days_between(announced, earliest - 1), MIN_NOTICE_WORKING_DAYS - 1);
        // 30 working days from 23 Nov 2026, with 30 Nov, 1 Dec, 25-26 Dec, 1-2, 6-7 Jan off.
        assert_eq!(civil_from_days(earliest), (2027, 1, 13));
    }

    #[test]
    fn checks_for_a_regular_and_an_urgent_consultation() {
        let noon = |d: i64| d * 86_400 + 10 * 3_600;
        let announced = noon(day(2026, 11, 23));
        let ok = checks(announced, announced, noon(day(2026, 12, 2)), Some(noon(day(2027, 1, 13))), "");
        assert!(ok.iter().all(|c| c.ok), "{ok:?}");
        assert_eq!(ok[0].days, 10);
        let short = checks(announced, announced, noon(day(2026, 12, 1)), Some(noon(day(2027, 1, 12))), "");
        assert!(!short[0].ok && !short[1].ok, "{short:?}");
        assert_eq!(short[1].days, 29);
        let no_date = checks(announced, announced, noon(day(2026, 12, 2)), None, "");
        assert!(!no_date[1].ok);
        // Urgency needs a real reason; with one, the short deadlines are allowed.
        let urgent = checks(announced, announced, noon(day(2026, 11, 26)), Some(noon(day(2026, 11, 27))), "prea scurt");
        assert!(!urgent[2].ok);
        let urgent = checks(
            announced,
            announced,
            noon(day(2026, 11, 26)),
            Some(noon(day(2026, 11, 27))),
            "Risc iminent pentru siguranța elevilor după cutremur.",
        );
        assert!(urgent.iter().all(|c| c.ok), "{urgent:?}");
    }

    #[test]
    fn the_window_is_counted_on_bucharest_days() {
        // 21:30 UTC on 23 Nov is 23:30 in Bucharest: still the 23rd; 22:30 UTC is the 24th.
        let d = day(2026, 11, 23) * 86_400;
        assert_eq!(local_day(d + 21 * 3_600 + 1_800), day(2026, 11, 23));
        assert_eq!(local_day(d + 22 * 3_600 + 1_800), day(2026, 11, 24));
    }
}
