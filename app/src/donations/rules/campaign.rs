//! What a valid campaign is: its form checked into bani and a Bucharest end date, who may see a
//! draft, an update for donors, the slug a new campaign starts from.
use super::clean;
use super::money::{check_bounds, parse_presets};
use crate::i18n::K;
use crate::types::money::Bani;

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

/// A draft is shown only to the organisation's managers; every other status is public.
pub fn campaign_visible(status: &str, can_manage: bool) -> bool {
    status != "draft" || can_manage
}

/// An update posted for donors: trimmed, at most 10 000 characters, at least 10.
pub fn check_update_body(raw: &str) -> Result<String, K> {
    let body: String = raw.trim().chars().take(10_000).collect();
    if body.chars().count() < 10 {
        Err(K::donations_err_update)
    } else {
        Ok(body)
    }
}

/// The slug a new campaign is named from (a number is added while it is taken).
pub fn campaign_slug_base(title: &str) -> String {
    crate::types::Slug::from_name(title).map(|s| s.as_str().to_string()).unwrap_or_else(|| "campanie".into())
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
    fn drafts_updates_and_slugs() {
        assert!(campaign_visible("live", false) && campaign_visible("ended", false));
        assert!(!campaign_visible("draft", false) && campaign_visible("draft", true));
        assert_eq!(check_update_body("  scurt    "), Err(K::donations_err_update));
        assert_eq!(check_update_body("  Am cumpărat rampa.  "), Ok("Am cumpărat rampa.".into()));
        assert_eq!(check_update_body(&"x".repeat(20_000)).map(|b| b.len()), Ok(10_000));
        assert_eq!(campaign_slug_base("Rampă la bibliotecă"), "rampa-la-biblioteca");
        assert_eq!(campaign_slug_base("!!!"), "campanie");
    }
}
