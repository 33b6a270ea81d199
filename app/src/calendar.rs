//! The Romanian public calendar: public holidays of the Labour Code (art. 139), with Orthodox
//! Easter and Pentecost computed, and working days. Legal terms of several features count on it
//! (Legea 52/2003 notice periods, OG 27/2002 petition answers).
use crate::fmt::{civil_from_days, days_from_civil, weekday};

/// Orthodox Easter Sunday (Gregorian date) as days since 1970-01-01: Meeus' Julian computus, moved
/// to the Gregorian calendar (13 days between 1900 and 2099, which is all the platform will see).
pub fn orthodox_easter(year: i64) -> i64 {
    let a = year % 4;
    let b = year % 7;
    let c = year % 19;
    let d = (19 * c + 15) % 30;
    let e = (2 * a + 4 * b - d + 34) % 7;
    let month = (d + e + 114) / 31;
    let day = (d + e + 114) % 31 + 1;
    let julian_offset = year / 100 - year / 400 - 2;
    days_from_civil(year, month as u32, day as u32) + julian_offset
}

/// Every public holiday of `year`, as days since 1970-01-01, sorted.
pub fn public_holidays(year: i64) -> Vec<i64> {
    let mut fixed: Vec<(u32, u32)> =
        vec![(1, 1), (1, 2), (1, 24), (5, 1), (6, 1), (8, 15), (11, 30), (12, 1), (12, 25), (12, 26)];
    // Boboteaza and Sfântul Ion are public holidays from 2024 on (Legea 17/2023).
    if year >= 2024 {
        fixed.extend([(1, 6), (1, 7)]);
    }
    let mut days: Vec<i64> = fixed.into_iter().map(|(m, d)| days_from_civil(year, m, d)).collect();
    let easter = orthodox_easter(year);
    // Good Friday, Easter Sunday and Monday, Pentecost (Rusalii) Sunday and Monday.
    days.extend([easter - 2, easter, easter + 1, easter + 49, easter + 50]);
    days.sort_unstable();
    days.dedup();
    days
}

pub fn is_public_holiday(day: i64) -> bool {
    let (y, _, _) = civil_from_days(day);
    public_holidays(y).binary_search(&day).is_ok()
}

pub fn is_working_day(day: i64) -> bool {
    weekday(day) < 5 && !is_public_holiday(day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i64, m: u32, d: u32) -> i64 {
        days_from_civil(y, m, d)
    }

    #[test]
    fn orthodox_easter_matches_the_calendar() {
        // Known dates of Orthodox Easter (Paștele ortodox).
        for (y, m, d) in [
            (2019, 4, 28),
            (2020, 4, 19),
            (2021, 5, 2),
            (2023, 4, 16),
            (2024, 5, 5),
            (2025, 4, 20),
            (2026, 4, 12),
            (2027, 5, 2),
        ] {
            assert_eq!(orthodox_easter(y), day(y, m, d), "{y}");
        }
        assert_eq!(weekday(orthodox_easter(2026)), 6, "a Sunday");
    }

    #[test]
    fn holidays_include_movable_feasts() {
        let h = public_holidays(2026);
        for (m, d) in [
            (1, 1),
            (1, 2),
            (1, 6),
            (1, 7),
            (1, 24),
            (4, 10),
            (4, 12),
            (4, 13),
            (5, 1),
            (5, 31),
            (6, 1),
            (8, 15),
            (11, 30),
            (12, 1),
            (12, 25),
            (12, 26),
        ] {
            assert!(h.contains(&day(2026, m, d)), "2026-{m}-{d}");
        }
        // Rusalii 2026: Easter 12 April + 49 = 31 May, Monday 1 June (also Children's Day).
        assert_eq!(h.len(), 16, "1 June counted once");
        // Before 2024 Boboteaza was a working day.
        assert!(!public_holidays(2023).contains(&day(2023, 1, 6)));
        assert!(is_public_holiday(day(2025, 4, 21)), "Easter Monday 2025");
        assert!(!is_working_day(day(2026, 12, 1)));
        assert!(is_working_day(day(2026, 12, 2)));
    }
}
