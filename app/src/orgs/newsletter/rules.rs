//! Newsletter rules without a database: the topics, the consent version, what a valid sign-up and
//! a valid issue are.
use crate::i18n::K;
use crate::text::clean_text;
use crate::types::Email;

pub const TOPICS: [&str; 4] = ["consultations", "map", "campaigns", "trainings"];
/// Bumped whenever the consent text changes; each subscriber keeps the version they agreed to.
pub const CONSENT_VERSION: &str = "2026-11-v1";

pub fn topic_label(code: &str) -> K {
    match code {
        "consultations" => K::topic_consultations,
        "map" => K::topic_map,
        "campaigns" => K::topic_campaigns,
        _ => K::topic_trainings,
    }
}

/// Keeps only known topics, in a fixed order, without repeats.
pub fn clean_topics(raw: &[String]) -> Vec<&'static str> {
    TOPICS.into_iter().filter(|t| raw.iter().any(|r| r == t)).collect()
}

/// Each refused field with the reason shown next to it.
type FieldErrors = Vec<(&'static str, K)>;

/// A sign-up needs an address, at least one topic and the consent box ticked.
pub fn check_subscription(
    email: &str,
    topics: &[String],
    consent: Option<&str>,
) -> Result<(Email, Vec<&'static str>), FieldErrors> {
    let mut errs = vec![];
    let email = Email::parse(email).map_err(|k| errs.push(("email", k))).ok();
    let topics = clean_topics(topics);
    if topics.is_empty() {
        errs.push(("topics", K::err_choose_topic));
    }
    if consent != Some("yes") {
        errs.push(("consent", K::err_consent));
    }
    match email {
        Some(email) if errs.is_empty() => Ok((email, topics)),
        _ => Err(errs),
    }
}

/// A checked issue: subject, Markdown body, the segment (topic and county; empty means everyone).
#[derive(Clone, Debug, PartialEq)]
pub struct CheckedIssue {
    pub subject: String,
    pub body: String,
    pub topic: String,
    pub county: String,
}

pub fn check_issue(
    subject: &str,
    body: &str,
    topic: &str,
    county: &str,
) -> Result<CheckedIssue, Vec<(&'static str, K)>> {
    let mut errs = vec![];
    let subject = clean_text(subject, 150);
    if subject.chars().count() < 3 {
        errs.push(("subject", K::err_required));
    }
    if body.trim().chars().count() < 20 {
        errs.push(("body", K::err_story_body));
    }
    if !topic.is_empty() && !TOPICS.contains(&topic) {
        errs.push(("topic", K::err_choose));
    }
    if !errs.is_empty() {
        return Err(errs);
    }
    Ok(CheckedIssue {
        subject,
        body: body.chars().take(50_000).collect(),
        topic: topic.to_string(),
        county: clean_text(county, 40),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topics_are_known_ordered_and_unique() {
        let raw: Vec<String> = ["map", "x", "consultations", "map"].map(String::from).to_vec();
        assert_eq!(clean_topics(&raw), ["consultations", "map"]);
    }

    #[test]
    fn a_sign_up_needs_an_address_a_topic_and_consent() {
        let (email, topics) = check_subscription(" Ana@Exemplu.ro ", &["map".into()], Some("yes")).unwrap();
        assert_eq!((email.as_str(), topics), ("ana@exemplu.ro", vec!["map"]));
        let fields: Vec<&str> = check_subscription("nu", &[], None).unwrap_err().iter().map(|e| e.0).collect();
        assert_eq!(fields, ["email", "topics", "consent"]);
    }

    #[test]
    fn an_issue_needs_a_subject_a_body_and_a_known_topic() {
        let i = check_issue("  Noutăți ", "Text de douăzeci de litere.", "", " Vrancea ").unwrap();
        assert_eq!((i.subject.as_str(), i.topic.as_str(), i.county.as_str()), ("Noutăți", "", "Vrancea"));
        let fields: Vec<&str> = check_issue("N", "scurt", "sport", "").unwrap_err().iter().map(|e| e.0).collect();
        assert_eq!(fields, ["subject", "body", "topic"]);
    }
}
