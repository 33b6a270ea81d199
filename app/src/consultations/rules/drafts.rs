//! The rules of a new consultation: the form as typed, and its check (owner, title, topics, the draft
//! and its articles, the dates and Law 52's deadlines, the report threshold), and its address.
use super::law52::{self, Check};
use super::split::{self, Unit, UnitKind};
use super::{clean_topics, parse_threshold};
use crate::i18n::K;
use crate::text::{clean_multiline, clean_text};

/// A draft's text is bounded (a long regulation is well under this).
pub const MAX_DRAFT_CHARS: usize = 400_000;

/// The new-consultation form, as typed.
pub struct NewForm {
    pub owner: String,
    pub title: String,
    pub summary: String,
    pub topics: Vec<String>,
    pub locality: String,
    pub county: String,
    pub draft_text: String,
    pub explanatory_note: String,
    pub opens_on: String,
    pub closes_on: String,
    pub adoption_on: String,
    pub urgency_reason: String,
    pub officer_contact: String,
    /// A code of [`super::initiator::Initiator`].
    pub initiator: String,
    pub premoderation: bool,
    pub report_threshold: String,
}

/// The form checked: clean values, the draft split, the dates as instants.
#[derive(Debug)]
pub struct CheckedDraft {
    pub owner_kind: String,
    pub owner_id: i64,
    pub title: String,
    pub summary: String,
    pub topics: Vec<String>,
    pub locality: String,
    pub county: String,
    pub draft: String,
    pub units: Vec<Unit>,
    pub explanatory_note: String,
    pub opens_at: i64,
    pub closes_at: i64,
    pub adoption_at: Option<i64>,
    pub urgency_reason: String,
    pub officer_contact: String,
    pub initiator: String,
    pub premoderation: bool,
    pub report_threshold: i64,
}

/// "authority:3" or "org:5".
pub fn parse_owner(raw: &str) -> Option<(String, i64)> {
    let (kind, id) = raw.split_once(':')?;
    let id: i64 = id.parse().ok()?;
    matches!(kind, "authority" | "org").then(|| (kind.to_string(), id))
}

/// A draft people can comment on has at least one article.
pub fn has_articles(units: &[Unit]) -> bool {
    units.iter().any(|u| u.kind == UnitKind::Article)
}

/// Checks the form at `now`; every problem comes back as (field, message), in the form's order.
/// Whether the person organises for the owner is the caller's question (it needs the person).
pub fn check_new(f: &NewForm, now: i64) -> Result<CheckedDraft, Vec<(&'static str, K)>> {
    let mut errors = vec![];
    let owner = parse_owner(&f.owner);
    if owner.is_none() {
        errors.push(("owner", K::err_choose));
    }
    let initiator = super::initiator::Initiator::from_code(&f.initiator);
    if initiator.is_none() {
        errors.push(("initiator", K::err_choose));
    }
    let title = clean_text(&f.title, 200);
    if title.chars().count() < 5 {
        errors.push(("title", K::consultations_err_title));
    }
    let topics: Vec<String> = clean_topics(&f.topics).into_iter().map(str::to_string).collect();
    if topics.is_empty() {
        errors.push(("topics", K::consultations_err_topics));
    }
    let draft = clean_multiline(&f.draft_text, MAX_DRAFT_CHARS);
    let units = split::split(&draft);
    // An empty draft is fine here: the organiser uploads the file on the next page.
    if !draft.trim().is_empty() && !has_articles(&units) {
        errors.push(("draft_text", K::consultations_err_no_articles));
    }
    let opens_at = crate::fmt::parse_local(&f.opens_on, "00:00");
    let closes_at = crate::fmt::parse_local(&f.closes_on, "23:59");
    let adoption_at =
        if f.adoption_on.trim().is_empty() { None } else { crate::fmt::parse_local(&f.adoption_on, "12:00") };
    if opens_at.is_none() {
        errors.push(("opens_on", K::consultations_err_date));
    }
    if closes_at.is_none() {
        errors.push(("closes_on", K::consultations_err_date));
    }
    if adoption_at.is_none() {
        errors.push(("adoption_on", K::consultations_err_date));
    }
    let urgency_reason = clean_multiline(&f.urgency_reason, 2_000);
    if let (Some(o), Some(c)) = (opens_at, closes_at) {
        if c <= o || o < now - 86_400 {
            errors.push(("closes_on", K::consultations_err_window_order));
        } else {
            // The law's checks, counted from today (the earliest publication).
            for check in law52::checks(now, o, c, adoption_at, &urgency_reason) {
                if !check.ok {
                    match check.check {
                        Check::CommentWindow => errors.push(("closes_on", K::consultations_err_law_window)),
                        Check::Notice if adoption_at.is_some() => {
                            errors.push(("adoption_on", K::consultations_err_law_notice))
                        }
                        Check::Notice => {}
                        Check::Urgency => errors.push(("urgency_reason", K::consultations_err_urgency)),
                    }
                }
            }
        }
    }
    // 0 turns automatic hiding off; a moderator still sees every report.
    let report_threshold = parse_threshold(&f.report_threshold).unwrap_or_else(|k| {
        errors.push(("report_threshold", k));
        0
    });
    match (owner, opens_at, closes_at) {
        (Some((owner_kind, owner_id)), Some(opens_at), Some(closes_at)) if errors.is_empty() => Ok(CheckedDraft {
            owner_kind,
            owner_id,
            title,
            summary: clean_multiline(&f.summary, 2_000),
            topics,
            locality: clean_text(&f.locality, 80),
            county: clean_text(&f.county, 40),
            draft,
            units,
            explanatory_note: clean_multiline(&f.explanatory_note, 100_000),
            opens_at,
            closes_at,
            adoption_at,
            urgency_reason,
            officer_contact: clean_text(&f.officer_contact, 300),
            initiator: initiator.map(|i| i.code().to_string()).unwrap_or_default(),
            premoderation: f.premoderation,
            report_threshold,
        }),
        _ => Err(errors),
    }
}

/// A consultation's address: its title as a slug (at most 60 characters) and a random tail, so two
/// consultations with the same title never meet.
pub fn slug_for(title: &str, random: &str) -> String {
    let base = crate::types::Slug::from_name(title)
        .map(|s| s.as_str().chars().take(60).collect::<String>())
        .unwrap_or_default();
    format!("{}-{}", base.trim_end_matches('-'), random)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DRAFT: &str = "HOTĂRÂRE privind iluminatul\n\nArt. 1. - Obiect\n(1) Se modernizează iluminatul.\n";

    fn form() -> NewForm {
        NewForm {
            owner: "authority:3".into(),
            title: "  Iluminatul public  ".into(),
            summary: "Becuri noi.".into(),
            topics: vec!["urbanism".into(), "nu-exista".into()],
            locality: "Focșani".into(),
            county: "Vrancea".into(),
            draft_text: DRAFT.into(),
            explanatory_note: String::new(),
            opens_on: "2026-03-02".into(),
            closes_on: "2026-03-20".into(),
            adoption_on: "2026-06-15".into(),
            urgency_reason: String::new(),
            officer_contact: String::new(),
            initiator: "mayor".into(),
            premoderation: false,
            report_threshold: String::new(),
        }
    }

    fn now() -> i64 {
        crate::fmt::parse_local("2026-03-02", "09:00").unwrap()
    }

    fn fields(f: &NewForm) -> Vec<(&'static str, K)> {
        check_new(f, now()).err().unwrap_or_default()
    }

    #[test]
    fn a_good_form_is_checked_and_split() {
        let d = check_new(&form(), now()).unwrap();
        assert_eq!((d.owner_kind.as_str(), d.owner_id), ("authority", 3));
        assert_eq!(d.title, "Iluminatul public");
        assert_eq!(d.topics, ["urbanism"]);
        assert_eq!(d.initiator, "mayor");
        assert!(has_articles(&d.units));
        assert_eq!(d.report_threshold, super::super::DEFAULT_REPORT_THRESHOLD);
        assert!(d.opens_at < d.closes_at && d.adoption_at.is_some_and(|a| a > d.closes_at));
        // An empty draft waits for the file on the organiser's page.
        assert!(check_new(&NewForm { draft_text: String::new(), ..form() }, now()).is_ok());
    }

    #[test]
    fn every_problem_comes_back_next_to_its_field_in_order() {
        let bad = NewForm {
            owner: "user:1".into(),
            initiator: "primarul".into(),
            title: "Ilu".into(),
            topics: vec![],
            draft_text: "Doar un preambul.".into(),
            adoption_on: String::new(),
            report_threshold: "2".into(),
            ..form()
        };
        assert_eq!(
            fields(&bad),
            [
                ("owner", K::err_choose),
                ("initiator", K::err_choose),
                ("title", K::consultations_err_title),
                ("topics", K::consultations_err_topics),
                ("draft_text", K::consultations_err_no_articles),
                ("adoption_on", K::consultations_err_date),
                ("report_threshold", K::consultations_err_threshold),
            ]
        );
        let backwards = NewForm { opens_on: "2026-03-20".into(), closes_on: "2026-03-02".into(), ..form() };
        assert_eq!(fields(&backwards), [("closes_on", K::consultations_err_window_order)]);
        let past = NewForm { opens_on: "2026-02-01".into(), ..form() };
        assert_eq!(fields(&past), [("closes_on", K::consultations_err_window_order)]);
    }

    #[test]
    fn law_52_deadlines_are_checked_from_today() {
        let short = NewForm { closes_on: "2026-03-05".into(), ..form() };
        assert_eq!(fields(&short), [("closes_on", K::consultations_err_law_window)]);
        let soon = NewForm { adoption_on: "2026-03-25".into(), ..form() };
        assert_eq!(fields(&soon), [("adoption_on", K::consultations_err_law_notice)]);
        // The urgency exception lifts both deadlines, and must say why.
        let urgent = NewForm { urgency_reason: "Inundații".into(), ..soon };
        assert_eq!(fields(&urgent), [("urgency_reason", K::consultations_err_urgency)]);
        let urgent = NewForm { urgency_reason: "Inundațiile din martie au distrus podul.".into(), ..urgent };
        assert!(check_new(&urgent, now()).is_ok());
    }

    #[test]
    fn owners_and_slugs() {
        assert_eq!(parse_owner("org:5"), Some(("org".into(), 5)));
        assert_eq!(parse_owner("authority:x"), None);
        assert_eq!(parse_owner("user:5"), None);
        assert_eq!(
            slug_for("Iluminatul public pe strada Cuza Vodă", "ab12cd"),
            "iluminatul-public-pe-strada-cuza-voda-ab12cd"
        );
        let long = slug_for(&"Planul urbanistic zonal ".repeat(10), "ab12cd");
        assert!(long.len() <= 60 + 7 && !long.contains("--"), "{long}");
        assert_eq!(slug_for("!!!", "ab12cd"), "-ab12cd");
    }
}
