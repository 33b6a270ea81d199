//! Pure rules of campaigns and donations: what a valid campaign is, progress figures, limits.
use super::money::{check_bounds, parse_presets, Bani};
use crate::i18n::{Lang, K};

/// Bumped whenever the consent text changes; each donation keeps the version its donor agreed to.
pub const CONSENT_VERSION: &str = "donations-2026-11-v1";
/// The version of the newsletter box's text on the donation form (kept as the subscriber's consent).
pub const NEWSLETTER_CONSENT_VERSION: &str = "donations-newsletter-2026-11-v1";
/// How long a gift's management link works. Every monthly receipt brings a fresh one, so a
/// donor who keeps giving always has a working link; a link found in an old mailbox does not.
pub const GIFT_LINK_LIFETIME_SECS: i64 = 60 * 86_400;

/// Through the link a donor may lower the monthly amount, never raise it: a link read by someone
/// else must not be able to charge the donor more. Giving more starts a new checkout.
pub fn link_may_set_amount(current_bani: i64, new_bani: i64) -> bool {
    new_bani <= current_bani
}

/// What an organisation admin typed for a campaign, before checking.
#[derive(Clone, Debug, Default)]
pub struct CampaignForm {
    pub title: String,
    pub summary: String,
    pub story: String,
    pub cover_url: String,
    pub cover_alt: String,
    pub goal: String,
    pub ends_on: String,
    pub presets: String,
    pub min: String,
    pub max: String,
    pub allow_monthly: bool,
    pub thanks: String,
}

/// A checked campaign (amounts in bani, end as UTC seconds: the end of that day in Bucharest).
#[derive(Clone, Debug, PartialEq)]
pub struct CheckedCampaign {
    pub title: String,
    pub summary: String,
    pub story: String,
    pub cover_url: String,
    pub cover_alt: String,
    pub goal_bani: Option<i64>,
    pub ends_at: Option<i64>,
    pub presets: Vec<i64>,
    pub min_bani: i64,
    pub max_bani: i64,
    pub allow_monthly: bool,
    pub thanks: String,
}

fn clean(s: &str, max: usize) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ").chars().take(max).collect()
}

/// Checks a campaign form; the errors come back per field.
pub fn check_campaign(f: &CampaignForm, now: i64) -> Result<CheckedCampaign, Vec<(&'static str, K)>> {
    let mut errs = vec![];
    let title = clean(&f.title, 120);
    if title.chars().count() < 5 {
        errs.push(("title", K::donations_err_title));
    }
    let summary = clean(&f.summary, 300);
    if summary.chars().count() < 10 {
        errs.push(("summary", K::donations_err_summary));
    }
    let story: String = f.story.trim().chars().take(20_000).collect();
    let cover_url = f.cover_url.trim().to_string();
    let cover_alt = clean(&f.cover_alt, 200);
    // Same-origin images only: the CSP allows nothing else, and no donor is tracked by a third party.
    if !cover_url.is_empty() && (!cover_url.starts_with('/') || cover_url.starts_with("//") || cover_url.len() > 300) {
        errs.push(("cover_url", K::donations_err_cover_url));
    }
    if !cover_url.is_empty() && cover_alt.is_empty() {
        errs.push(("cover_alt", K::donations_err_cover_alt));
    }
    let goal_bani = if f.goal.trim().is_empty() {
        None
    } else {
        match Bani::parse_lei(&f.goal) {
            Ok(b) => Some(b.0),
            Err(k) => {
                errs.push(("goal", k));
                None
            }
        }
    };
    let ends_at = if f.ends_on.trim().is_empty() {
        None
    } else {
        match crate::fmt::parse_local(&f.ends_on, "23:59") {
            Some(t) if t > now => Some(t + 59),
            Some(_) => {
                errs.push(("ends_on", K::donations_err_end_past));
                None
            }
            None => {
                errs.push(("ends_on", K::donations_err_date));
                None
            }
        }
    };
    let min = Bani::parse_lei(if f.min.trim().is_empty() { "10" } else { &f.min });
    let max = Bani::parse_lei(if f.max.trim().is_empty() { "10000" } else { &f.max });
    let (min_bani, max_bani) = match (min, max) {
        (Ok(a), Ok(b)) if a.0 <= b.0 => (a.0, b.0),
        (Ok(_), Ok(_)) => {
            errs.push(("max", K::donations_err_min_max));
            (0, 0)
        }
        (Err(k), _) => {
            errs.push(("min", k));
            (0, 0)
        }
        (_, Err(k)) => {
            errs.push(("max", k));
            (0, 0)
        }
    };
    let presets = match parse_presets(if f.presets.trim().is_empty() { "25 50 100 250" } else { &f.presets }) {
        Ok(p) if p.iter().all(|b| check_bounds(Bani(*b), min_bani, max_bani).is_ok()) => p,
        Ok(_) => {
            errs.push(("presets", K::donations_err_presets_bounds));
            vec![]
        }
        Err(k) => {
            errs.push(("presets", k));
            vec![]
        }
    };
    let thanks = clean(&f.thanks, 500);
    if !errs.is_empty() {
        return Err(errs);
    }
    Ok(CheckedCampaign {
        title,
        summary,
        story,
        cover_url,
        cover_alt,
        goal_bani,
        ends_at,
        presets,
        min_bani,
        max_bani,
        allow_monthly: f.allow_monthly,
        thanks,
    })
}

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

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> CampaignForm {
        CampaignForm {
            title: "Rampă la bibliotecă".into(),
            summary: "Strângem bani pentru o rampă la intrarea bibliotecii.".into(),
            story: "**Povestea** rampei".into(),
            goal: "5.000".into(),
            ends_on: "2030-12-31".into(),
            presets: "25, 50, 100, 250".into(),
            min: "10".into(),
            max: "5000".into(),
            allow_monthly: true,
            ..Default::default()
        }
    }

    #[test]
    fn a_good_campaign_is_checked_into_bani() {
        let c = check_campaign(&form(), 1_800_000_000).unwrap();
        assert_eq!(c.goal_bani, Some(500_000));
        assert_eq!(c.presets, vec![2_500, 5_000, 10_000, 25_000]);
        assert_eq!((c.min_bani, c.max_bani), (1_000, 500_000));
        assert_eq!(crate::fmt::iso_utc(c.ends_at.unwrap()), "2030-12-31T21:59:59Z", "end of the day in Bucharest");
    }

    #[test]
    fn bad_campaign_fields_are_named() {
        let mut f = form();
        f.title = "Ab".into();
        f.goal = "mult".into();
        f.ends_on = "2020-01-01".into();
        f.presets = "5, 50".into();
        f.cover_url = "https://evil.example/x.jpg".into();
        let errs = check_campaign(&f, 1_800_000_000).unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|e| e.0).collect();
        assert_eq!(fields, vec!["title", "cover_url", "cover_alt", "goal", "ends_on", "presets"]);
        let mut f = form();
        f.min = "100".into();
        f.max = "50".into();
        assert_eq!(check_campaign(&f, 0).unwrap_err()[0], ("max", K::donations_err_min_max));
    }

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
}
