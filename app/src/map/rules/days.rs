//! Calendar days as the map counts them: days since 1970-01-01 in Bucharest (legal terms count
//! local calendar days), read from and written as `YYYY-MM-DD`.

/// The Bucharest calendar day of a UTC instant.
pub fn day_of(utc: i64) -> i64 {
    (utc + crate::fmt::bucharest_offset(utc)).div_euclid(86_400)
}

/// `YYYY-MM-DD` → days since 1970-01-01.
pub fn parse_day(s: &str) -> Option<i64> {
    let mut it = s.trim().splitn(3, '-');
    let y: i64 = it.next()?.parse().ok()?;
    let m: u32 = it.next()?.parse().ok()?;
    let d: u32 = it.next()?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || !(1900..=2200).contains(&y) {
        return None;
    }
    let days = crate::fmt::days_from_civil(y, m, d);
    (crate::fmt::civil_from_days(days) == (y, m, d)).then_some(days)
}

pub fn day_iso(day: i64) -> String {
    let (y, m, d) = crate::fmt::civil_from_days(day);
    format!("{y:04}-{m:02}-{d:02}")
}

pub fn day_text(lang: crate::i18n::Lang, day: i64) -> String {
    crate::fmt::date(lang, day * 86_400 + 12 * 3600)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fmt::days_from_civil;

    #[test]
    fn days_round_trip_and_bad_dates_are_refused() {
        let d = days_from_civil(2026, 2, 28);
        assert_eq!(parse_day(" 2026-02-28 "), Some(d));
        assert_eq!(day_iso(d), "2026-02-28");
        assert_eq!(parse_day("2026-02-29"), None, "not a leap year");
        assert_eq!(parse_day("2026-13-01"), None);
        assert_eq!(parse_day("1800-01-01"), None);
        assert_eq!(parse_day("ieri"), None);
    }

    #[test]
    fn a_day_is_the_bucharest_calendar_day() {
        // 23:30 UTC on 1 Jul 2026 is already 2 Jul in Bucharest (UTC+3 in summer).
        let utc = days_from_civil(2026, 7, 1) * 86_400 + 23 * 3600 + 1800;
        assert_eq!(day_of(utc), days_from_civil(2026, 7, 2));
        // 21:30 UTC on 1 Dec 2026 is 23:30 the same day (UTC+2 in winter).
        let utc = days_from_civil(2026, 12, 1) * 86_400 + 21 * 3600 + 1800;
        assert_eq!(day_of(utc), days_from_civil(2026, 12, 1));
    }
}
