//! Pure rules of campaigns and donations (compiled for the browser too): what a valid campaign and
//! a valid gift are, what a payment event does, progress figures, plurals and the donor's fields.
pub mod campaign;
pub mod donate;
pub mod erasure;
pub mod gifts;
pub mod housekeeping;
pub mod money;
pub mod payments;
pub mod states;

pub use campaign::*;
pub use donate::*;
pub use gifts::*;
pub use payments::*;

use super::TotalRow;
use crate::i18n::{Lang, K};

/// Bumped whenever the consent text changes; each donation keeps the version its donor agreed to.
pub const CONSENT_VERSION: &str = "donations-2026-11-v1";
/// The version of the newsletter box's text on the donation form (kept as the subscriber's consent).
pub const NEWSLETTER_CONSENT_VERSION: &str = "donations-newsletter-2026-11-v1";
/// How long a gift's management link works. Every monthly receipt brings a fresh one, so a
/// donor who keeps giving always has a working link; a link found in an old mailbox does not.
pub const GIFT_LINK_LIFETIME_SECS: i64 = 60 * 86_400;

/// Progress towards the goal: the percentage shown (may pass 100) and the bar's value (capped).
pub fn progress(raised: i64, goal: Option<i64>) -> Option<(i64, i64)> {
    let goal = goal.filter(|g| *g > 0)?;
    let pct = raised.max(0) * 100 / goal;
    Some((pct, pct.min(100)))
}

/// Whole days left until the end (rounded up), 0 once it has passed.
pub fn days_left(ends_at: Option<i64>, now: i64) -> Option<i64> {
    ends_at.map(|e| if e <= now { 0 } else { (e - now + 86_399) / 86_400 })
}

/// The plural form a count takes. English has one and other; Romanian also says "de" from 20 on
/// ("1 zi", "2 zile", "20 de zile"; again "101 zile", "120 de zile"), so English "few" reads as "other".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Plural {
    One,
    Few,
    Other,
}

pub fn plural(lang: Lang, n: i64) -> Plural {
    match lang {
        _ if n == 1 => Plural::One,
        Lang::En => Plural::Other,
        Lang::Ro if n == 0 || (1..=19).contains(&(n.abs() % 100)) => Plural::Few,
        Lang::Ro => Plural::Other,
    }
}

/// "3 days left" in the page's language.
pub fn days_left_key(lang: Lang, n: i64) -> K {
    match plural(lang, n) {
        Plural::One => K::donations_days_left_one,
        Plural::Few => K::donations_days_left_few,
        Plural::Other => K::donations_days_left_other,
    }
}

/// "3 donors" in the page's language.
pub fn donors_key(lang: Lang, n: i64) -> K {
    match plural(lang, n) {
        Plural::One => K::donations_donors_count_one,
        Plural::Few => K::donations_donors_count_few,
        Plural::Other => K::donations_donors_count_other,
    }
}

/// Trimmed, single spaces, at most `max` characters.
fn clean(s: &str, max: usize) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ").chars().take(max).collect()
}

/// A donor's name as they typed it: trimmed, single spaces, at most 80 characters.
pub fn donor_name(raw: &str) -> Result<String, K> {
    let n = clean(raw, 80);
    if n.chars().count() < 2 {
        Err(K::donations_err_name)
    } else {
        Ok(n)
    }
}

/// The public message: plain text, at most 280 characters.
pub fn donor_message(raw: &str) -> String {
    clean(raw, 280)
}

/// The receipt's reference, printed on the PDF, in the mail and in the organisation's CSV.
pub fn reference(public_id: &str) -> String {
    format!("PD-{}", public_id[..public_id.len().min(12)].to_uppercase())
}

/// Ledger entries (campaign title, UTC seconds, bani) summed per campaign and month, newest month
/// first. The month is taken in UTC so both databases agree (close enough to Bucharest's for totals).
pub fn monthly_totals(entries: impl IntoIterator<Item = (String, i64, i64)>) -> Vec<TotalRow> {
    let mut out: Vec<TotalRow> = vec![];
    for (title, at, amount) in entries {
        let (y, m, _) = crate::fmt::civil_from_days(at.div_euclid(86_400));
        let month = format!("{y:04}-{m:02}");
        match out.iter_mut().find(|t| t.campaign == title && t.month == month) {
            Some(t) => {
                t.total_bani += amount;
                t.entries += 1;
            }
            None => out.push(TotalRow { campaign: title, month, total_bani: amount, entries: 1 }),
        }
    }
    out.sort_by(|a, b| b.month.cmp(&a.month).then(a.campaign.cmp(&b.campaign)));
    out
}

/// Who is told of a new gift: the organisation's admins (e-mail, language), or its public contact
/// address (in Romanian) while nobody administers it on the platform.
pub fn notice_recipients(admins: Vec<(String, String)>, contact: Option<String>) -> Vec<(String, String)> {
    if !admins.is_empty() {
        return admins;
    }
    contact.filter(|e| e.contains('@')).map(|e| (e, "ro".to_string())).into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_and_days_left() {
        assert_eq!(progress(250_000, Some(500_000)), Some((50, 50)));
        assert_eq!(progress(750_000, Some(500_000)), Some((150, 100)));
        assert_eq!(progress(10, None), None);
        assert_eq!(days_left(Some(86_400 * 3), 0), Some(3));
        assert_eq!(days_left(Some(86_400 * 3 + 1), 0), Some(4));
        assert_eq!(days_left(Some(10), 20), Some(0));
        assert_eq!(days_left(None, 0), None);
    }

    #[test]
    fn counts_take_the_right_plural() {
        let days = |lang: Lang, n: i64| crate::i18n::fill(lang.t(days_left_key(lang, n)), &[("n", &n.to_string())]);
        assert_eq!(days(Lang::En, 1), "1 day left");
        assert_eq!(days(Lang::En, 0), "0 days left");
        assert_eq!(days(Lang::En, 2), "2 days left");
        assert_eq!(days(Lang::En, 21), "21 days left");
        assert_eq!(days(Lang::Ro, 1), "1 zi rămasă");
        assert_eq!(days(Lang::Ro, 2), "2 zile rămase");
        assert_eq!(days(Lang::Ro, 19), "19 zile rămase");
        assert_eq!(days(Lang::Ro, 20), "20 de zile rămase");
        assert_eq!(days(Lang::Ro, 101), "101 zile rămase");
        assert_eq!(days(Lang::Ro, 120), "120 de zile rămase");
        assert_eq!(Lang::En.t(donors_key(Lang::En, 1)), "{n} donor");
        assert_eq!(Lang::Ro.t(donors_key(Lang::Ro, 1)), "{n} donator");
        assert_eq!(Lang::Ro.t(donors_key(Lang::Ro, 47)), "{n} de donatori");
    }

    #[test]
    fn donor_fields() {
        assert_eq!(donor_name("  Ana   Pop "), Ok("Ana Pop".into()));
        assert_eq!(donor_name("A"), Err(K::donations_err_name));
        assert_eq!(donor_message(&"x".repeat(400)).len(), 280);
    }

    #[test]
    fn the_reference_is_the_public_ids_start_in_capitals() {
        assert_eq!(reference("abcdef0123456789"), "PD-ABCDEF012345");
        assert_eq!(reference("short"), "PD-SHORT");
    }

    #[test]
    fn totals_per_campaign_and_month() {
        let jan = 1_800_000_000; // 2027-01-15
        let feb = jan + 31 * 86_400;
        let t = monthly_totals([
            ("B".to_string(), jan, 5_000),
            ("A".to_string(), jan, 2_500),
            ("B".to_string(), jan + 60, -1_000),
            ("A".to_string(), feb, 100),
        ]);
        let rows: Vec<(&str, &str, i64, i64)> =
            t.iter().map(|r| (r.campaign.as_str(), r.month.as_str(), r.total_bani, r.entries)).collect();
        assert_eq!(rows, [("A", "2027-02", 100, 1), ("A", "2027-01", 2_500, 1), ("B", "2027-01", 4_000, 2)]);
    }

    #[test]
    fn the_organisation_is_told_through_its_admins_or_its_contact() {
        let admins = vec![("a@b.ro".to_string(), "en".to_string())];
        assert_eq!(notice_recipients(admins.clone(), Some("c@d.ro".into())), admins);
        assert_eq!(notice_recipients(vec![], Some("c@d.ro".into())), [("c@d.ro".to_string(), "ro".to_string())]);
        assert!(notice_recipients(vec![], Some("nu".into())).is_empty());
        assert!(notice_recipients(vec![], None).is_empty());
    }
}
