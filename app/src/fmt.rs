//! Times are stored in UTC (unix seconds) and shown in Europe/Bucharest; money is stored in bani.
//! Romania follows the EU summer-time rule, so a few lines here replace a whole tz database in the wasm.
use crate::i18n::Lang;

/// Days since 1970-01-01 → (year, month, day), proleptic Gregorian (H. Hinnant's algorithm).
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// (year, month, day) → days since 1970-01-01.
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// 0 = Monday … 6 = Sunday.
pub fn weekday(days: i64) -> u32 {
    (days + 3).rem_euclid(7) as u32
}

fn last_sunday(year: i64, month: u32) -> i64 {
    let last = days_from_civil(year, month, 31);
    last - i64::from((weekday(last) + 1) % 7)
}

/// Offset of Europe/Bucharest from UTC, in seconds, at a UTC instant.
pub fn bucharest_offset(utc: i64) -> i64 {
    let (year, _, _) = civil_from_days(utc.div_euclid(86_400));
    // Summer time runs from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of October.
    let start = last_sunday(year, 3) * 86_400 + 3_600;
    let end = last_sunday(year, 10) * 86_400 + 3_600;
    if utc >= start && utc < end {
        3 * 3_600
    } else {
        2 * 3_600
    }
}

/// A wall-clock time in Bucharest → UTC seconds. In the autumn hour that happens twice, the earlier
/// (summer-time) instant is chosen; a spring time that never happens is read as winter time.
pub fn bucharest_to_utc(y: i64, m: u32, d: u32, hour: u32, minute: u32) -> i64 {
    let local = days_from_civil(y, m, d) * 86_400 + i64::from(hour) * 3_600 + i64::from(minute) * 60;
    for offset in [3 * 3_600, 2 * 3_600] {
        let utc = local - offset;
        if bucharest_offset(utc) == offset {
            return utc;
        }
    }
    local - 2 * 3_600
}

/// Parses "2026-12-05" and "18:30" as typed in date and time inputs.
pub fn parse_local(date: &str, time: &str) -> Option<i64> {
    let mut dp = date.trim().split('-');
    let (y, m, d) = (dp.next()?.parse().ok()?, dp.next()?.parse().ok()?, dp.next()?.parse().ok()?);
    let (h, mi) = time.trim().split_once(':')?;
    let (h, mi): (u32, u32) = (h.parse().ok()?, mi.parse().ok()?);
    let valid =
        (1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m) && h < 24 && mi < 60 && (1970..=2200).contains(&y);
    valid.then(|| bucharest_to_utc(y, m, d, h, mi))
}

fn days_in_month(y: i64, m: u32) -> u32 {
    let next = if m == 12 { days_from_civil(y + 1, 1, 1) } else { days_from_civil(y, m + 1, 1) };
    (next - days_from_civil(y, m, 1)) as u32
}

/// Local civil time in Bucharest: (year, month, day, hour, minute).
pub fn bucharest_parts(utc: i64) -> (i64, u32, u32, u32, u32) {
    let local = utc + bucharest_offset(utc);
    let (y, m, d) = civil_from_days(local.div_euclid(86_400));
    let secs = local.rem_euclid(86_400);
    (y, m, d, (secs / 3_600) as u32, ((secs % 3_600) / 60) as u32)
}

/// The first instant of the Bucharest calendar month that `utc` falls in.
pub fn bucharest_month_start(utc: i64) -> i64 {
    let (y, m, ..) = bucharest_parts(utc);
    bucharest_to_utc(y, m, 1, 0, 0)
}

const MONTHS_RO: [&str; 12] = [
    "ianuarie",
    "februarie",
    "martie",
    "aprilie",
    "mai",
    "iunie",
    "iulie",
    "august",
    "septembrie",
    "octombrie",
    "noiembrie",
    "decembrie",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// "23 noiembrie 2026" / "23 November 2026".
pub fn date(lang: Lang, utc: i64) -> String {
    let (y, m, d, _, _) = bucharest_parts(utc);
    let month = match lang {
        Lang::Ro => MONTHS_RO[(m - 1) as usize],
        Lang::En => MONTHS_EN[(m - 1) as usize],
    };
    format!("{d} {month} {y}")
}

/// "23 noiembrie 2026, 14:05".
pub fn date_time(lang: Lang, utc: i64) -> String {
    let (_, _, _, h, mi) = bucharest_parts(utc);
    format!("{}, {h:02}:{mi:02}", date(lang, utc))
}

/// ISO 8601 in UTC, for `<time datetime>` and exports.
pub fn iso_utc(utc: i64) -> String {
    let (y, m, d) = civil_from_days(utc.div_euclid(86_400));
    let s = utc.rem_euclid(86_400);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", s / 3_600, (s % 3_600) / 60, s % 60)
}

fn group_thousands(n: u64, sep: char) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(ch);
    }
    out
}

/// An integer in the locale's format: "12.345" / "12,345".
pub fn number(lang: Lang, n: i64) -> String {
    let sep = match lang {
        Lang::Ro => '.',
        Lang::En => ',',
    };
    let sign = if n < 0 { "-" } else { "" };
    format!("{sign}{}", group_thousands(n.unsigned_abs(), sep))
}

/// Bani as lei: "1.234,50 lei" in Romanian, "RON 1,234.50" in English.
pub fn lei(lang: Lang, bani: i64) -> String {
    let sign = if bani < 0 { "-" } else { "" };
    let abs = bani.unsigned_abs();
    let (whole, frac) = (abs / 100, abs % 100);
    match lang {
        Lang::Ro => format!("{sign}{},{frac:02} lei", group_thousands(whole, '.')),
        Lang::En => format!("{sign}RON {}.{frac:02}", group_thousands(whole, ',')),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_start_is_local_midnight_of_the_first() {
        // 2026-12-07 07:00 UTC → 2026-12-01 00:00 in Bucharest (UTC+2) = 2026-11-30 22:00 UTC.
        let at = bucharest_to_utc(2026, 12, 7, 9, 0);
        assert_eq!(bucharest_month_start(at), bucharest_to_utc(2026, 12, 1, 0, 0));
        assert_eq!(bucharest_parts(bucharest_month_start(at)), (2026, 12, 1, 0, 0));
        // Summer time: July starts at 21:00 UTC on 30 June.
        let july = bucharest_to_utc(2026, 7, 15, 12, 0);
        assert_eq!(bucharest_month_start(july) % 86_400, 21 * 3_600);
    }

    #[test]
    fn civil_round_trip() {
        for days in [-1_000, 0, 59, 365 * 30, 20_000, 25_000] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(weekday(0), 3, "1970-01-01 was a Thursday");
    }

    #[test]
    fn bucharest_switches_on_last_sundays() {
        // 2026-03-29 is the last Sunday of March; the switch is at 01:00 UTC.
        let switch = days_from_civil(2026, 3, 29) * 86_400 + 3_600;
        assert_eq!(bucharest_offset(switch - 1), 7_200);
        assert_eq!(bucharest_offset(switch), 10_800);
        // 2026-10-25 is the last Sunday of October.
        let back = days_from_civil(2026, 10, 25) * 86_400 + 3_600;
        assert_eq!(bucharest_offset(back - 1), 10_800);
        assert_eq!(bucharest_offset(back), 7_200);
    }

    #[test]
    fn local_time_crosses_midnight() {
        // 2026-11-23 23:30 UTC is already the 24th in Bucharest (UTC+2).
        let utc = days_from_civil(2026, 11, 23) * 86_400 + 23 * 3_600 + 1_800;
        assert_eq!(bucharest_parts(utc), (2026, 11, 24, 1, 30));
        assert_eq!(date_time(Lang::Ro, utc), "24 noiembrie 2026, 01:30");
        assert_eq!(iso_utc(utc), "2026-11-23T23:30:00Z");
    }

    #[test]
    fn local_times_round_trip_through_utc() {
        let winter = parse_local("2026-12-05", "18:30").unwrap();
        assert_eq!(bucharest_parts(winter), (2026, 12, 5, 18, 30));
        assert_eq!(iso_utc(winter), "2026-12-05T16:30:00Z");
        let summer = parse_local("2026-07-01", "09:00").unwrap();
        assert_eq!(iso_utc(summer), "2026-07-01T06:00:00Z");
        assert_eq!(parse_local("2026-02-30", "10:00"), None);
        assert_eq!(parse_local("2026-02-28", "24:00"), None);
        assert_eq!(parse_local("mâine", "10:00"), None);
    }

    #[test]
    fn money_in_both_locales() {
        assert_eq!(lei(Lang::Ro, 123_450), "1.234,50 lei");
        assert_eq!(lei(Lang::En, 123_450), "RON 1,234.50");
        assert_eq!(lei(Lang::Ro, 5), "0,05 lei");
        assert_eq!(lei(Lang::Ro, -100_000_000), "-1.000.000,00 lei");
        assert_eq!(number(Lang::Ro, 12_345), "12.345");
        assert_eq!(number(Lang::En, 999), "999");
    }
}
