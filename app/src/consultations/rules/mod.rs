//! Consultation rules that need no database: the state machine and its clock, topics, the limits.
//! Comments, drafts and roles have their own files; Law 52's deadlines (and the dates' changes after
//! creation), the splitter, files and the report too.
use crate::i18n::K;
use serde::{Deserialize, Serialize};

mod comments;
pub mod dates;
mod drafts;
pub mod files;
pub mod initiator;
pub mod law52;
pub mod report;
pub mod report_page;
mod roles;
pub mod split;

pub use comments::*;
pub use drafts::*;
pub use roles::*;

/// Comments can be edited for this long after they are posted.
pub const EDIT_WINDOW_SECS: i64 = 15 * 60;
/// Depth of the deepest reply: 0 = comment, 1 = reply, 2 = reply to a reply (three levels).
pub const MAX_DEPTH: i64 = 2;
/// Comments per page in a thread list.
pub const PAGE_SIZE: i64 = 20;
/// Units (articles, chapter and section headings) per page of a consultation's draft.
pub const UNITS_PER_PAGE: i64 = 25;
/// Comments a person may post per minute (and 3× that per IP address).
pub const COMMENTS_PER_MINUTE: i64 = 10;
/// Unverified accounts: comments per day, all of them held for moderation.
pub const UNVERIFIED_PER_DAY: i64 = 3;
/// A form filled faster than this was not filled by a person.
pub const MIN_FILL_SECS: i64 = 3;
/// Reports that hide a comment until a moderator looks, unless the consultation sets its own.
pub const DEFAULT_REPORT_THRESHOLD: i64 = 3;
/// The fewest reports an organiser may let hide a comment: fewer would let the body being
/// consulted silence a critic with one or two accounts.
pub const MIN_REPORT_THRESHOLD: i64 = 3;

/// The organiser's threshold: empty is the default, 0 turns automatic hiding off, otherwise
/// between [`MIN_REPORT_THRESHOLD`] and 100.
pub fn parse_threshold(raw: &str) -> Result<i64, K> {
    match raw.trim() {
        "" => Ok(DEFAULT_REPORT_THRESHOLD),
        n => match n.parse::<i64>() {
            Ok(v) if v == 0 || (MIN_REPORT_THRESHOLD..=100).contains(&v) => Ok(v),
            _ => Err(K::consultations_err_threshold),
        },
    }
}
pub const MAX_COMMENT_CHARS: usize = 5_000;
/// "Closing soon" mails go out this long before the window ends.
pub const CLOSING_SOON_SECS: i64 = 2 * 86_400;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Status {
    Draft,
    Open,
    Closed,
    Answered,
    Adopted,
    Withdrawn,
}

impl Status {
    pub const ALL: [Status; 6] =
        [Status::Draft, Status::Open, Status::Closed, Status::Answered, Status::Adopted, Status::Withdrawn];

    pub fn code(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Open => "open",
            Status::Closed => "closed",
            Status::Answered => "answered",
            Status::Adopted => "adopted",
            Status::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(code: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> K {
        match self {
            Status::Draft => K::consultations_status_draft,
            Status::Open => K::consultations_status_open,
            Status::Closed => K::consultations_status_closed,
            Status::Answered => K::consultations_status_answered,
            Status::Adopted => K::consultations_status_adopted,
            Status::Withdrawn => K::consultations_status_withdrawn,
        }
    }

    /// Seen by the public (a draft is the organiser's alone).
    pub fn is_public(self) -> bool {
        self != Status::Draft
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Action {
    Publish,
    Close,
    PublishReport,
    Adopt,
    Withdraw,
}

impl Action {
    pub fn parse(code: &str) -> Option<Action> {
        match code {
            "publish" => Some(Action::Publish),
            "close" => Some(Action::Close),
            "publish_report" => Some(Action::PublishReport),
            "adopt" => Some(Action::Adopt),
            "withdraw" => Some(Action::Withdraw),
            _ => None,
        }
    }
}

/// draft → open → closed → answered → adopted; withdrawn from any published state before adoption.
/// The report can be published only when every comment has its answer.
pub fn transition(from: Status, action: Action, unanswered: i64) -> Result<Status, K> {
    use Status::*;
    match (from, action) {
        (Draft, Action::Publish) => Ok(Open),
        (Open, Action::Close) => Ok(Closed),
        (Closed, Action::PublishReport) if unanswered == 0 => Ok(Answered),
        (Closed, Action::PublishReport) => Err(K::consultations_err_unanswered),
        (Answered, Action::Adopt) => Ok(Adopted),
        (Open | Closed | Answered, Action::Withdraw) => Ok(Withdrawn),
        _ => Err(K::consultations_err_transition),
    }
}

/// Where a consultation is in time, for badges and for the comment form.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Phase {
    Draft,
    /// Published, the window not yet started.
    Upcoming,
    Open,
    /// The window ended (automatically or by the organiser), answers pending.
    Closed,
    Answered,
    Adopted,
    Withdrawn,
}

/// The stored status read against the clock: an "open" consultation past its end is closed even
/// before the background job writes it, so comments stop at the exact second.
pub fn phase(status: Status, opens_at: i64, closes_at: i64, now: i64) -> Phase {
    match status {
        Status::Draft => Phase::Draft,
        Status::Open if now < opens_at => Phase::Upcoming,
        Status::Open if now >= closes_at => Phase::Closed,
        Status::Open => Phase::Open,
        Status::Closed => Phase::Closed,
        Status::Answered => Phase::Answered,
        Status::Adopted => Phase::Adopted,
        Status::Withdrawn => Phase::Withdrawn,
    }
}

impl Phase {
    pub fn label(self) -> K {
        match self {
            Phase::Draft => K::consultations_status_draft,
            Phase::Upcoming => K::consultations_status_upcoming,
            Phase::Open => K::consultations_status_open,
            Phase::Closed => K::consultations_status_closed,
            Phase::Answered => K::consultations_status_answered,
            Phase::Adopted => K::consultations_status_adopted,
            Phase::Withdrawn => K::consultations_status_withdrawn,
        }
    }
}

pub const TOPICS: [&str; 8] =
    ["accessibility", "urbanism", "transport", "education", "health", "social", "environment", "budget"];

pub fn topic_label(code: &str) -> K {
    match code {
        "accessibility" => K::consultations_topic_accessibility,
        "urbanism" => K::consultations_topic_urbanism,
        "transport" => K::consultations_topic_transport,
        "education" => K::consultations_topic_education,
        "health" => K::consultations_topic_health,
        "social" => K::consultations_topic_social,
        "environment" => K::consultations_topic_environment,
        _ => K::consultations_topic_budget,
    }
}

pub fn clean_topics(raw: &[String]) -> Vec<&'static str> {
    TOPICS.into_iter().filter(|t| raw.iter().any(|r| r == t)).collect()
}

/// Whether a form served at `served_at` (from a signed token) was filled in at least `min_secs`
/// and at most a day ago: faster is a bot, older is a replayed token.
pub fn filled_in_time(served_at: Option<i64>, now: i64, min_secs: i64) -> bool {
    served_at.is_some_and(|ts| now - ts >= min_secs && now - ts <= 86_400)
}

/// The steps an organiser may take from here, as (action code, button label), in the order shown.
/// An open consultation past its window can be closed before the job closes it.
pub fn organiser_actions(status: Status, phase: Phase) -> Vec<(&'static str, K)> {
    match status {
        Status::Draft => vec![("publish", K::consultations_action_publish)],
        Status::Open if phase == Phase::Closed => {
            vec![("close", K::consultations_action_close), ("withdraw", K::consultations_action_withdraw)]
        }
        Status::Open => vec![("withdraw", K::consultations_action_withdraw)],
        Status::Closed => {
            vec![
                ("publish_report", K::consultations_action_publish_report),
                ("withdraw", K::consultations_action_withdraw),
            ]
        }
        Status::Answered => {
            vec![("adopt", K::consultations_action_adopt), ("withdraw", K::consultations_action_withdraw)]
        }
        _ => vec![],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_state_machine_follows_the_law() {
        use Status::*;
        assert_eq!(transition(Draft, Action::Publish, 0), Ok(Open));
        assert_eq!(transition(Open, Action::Close, 0), Ok(Closed));
        assert_eq!(transition(Closed, Action::PublishReport, 2), Err(K::consultations_err_unanswered));
        assert_eq!(transition(Closed, Action::PublishReport, 0), Ok(Answered));
        assert_eq!(transition(Answered, Action::Adopt, 0), Ok(Adopted));
        assert_eq!(transition(Answered, Action::Withdraw, 0), Ok(Withdrawn));
        for bad in [
            (Draft, Action::Close),
            (Open, Action::PublishReport),
            (Open, Action::Adopt),
            (Adopted, Action::Withdraw),
            (Withdrawn, Action::Publish),
            (Draft, Action::Withdraw),
            (Closed, Action::Publish),
        ] {
            assert_eq!(transition(bad.0, bad.1, 0), Err(K::consultations_err_transition), "{bad:?}");
        }
        for s in Status::ALL {
            assert_eq!(Status::parse(s.code()), Some(s));
        }
        assert_eq!(Action::parse("launch"), None);
    }

    #[test]
    fn comments_close_at_the_exact_second() {
        assert_eq!(phase(Status::Open, 100, 200, 99), Phase::Upcoming);
        assert_eq!(phase(Status::Open, 100, 200, 100), Phase::Open);
        assert_eq!(phase(Status::Open, 100, 200, 199), Phase::Open);
        assert_eq!(phase(Status::Open, 100, 200, 200), Phase::Closed);
        assert_eq!(phase(Status::Answered, 100, 200, 150), Phase::Answered);
        assert!(can_answer(Status::Open, Phase::Closed));
        assert!(can_answer(Status::Closed, Phase::Closed));
        assert!(!can_answer(Status::Open, Phase::Open));
        assert!(!can_answer(Status::Answered, Phase::Answered));
    }

    #[test]
    fn organisers_are_offered_only_the_steps_the_state_machine_allows() {
        let codes = |s, p| organiser_actions(s, p).into_iter().map(|(a, _)| a).collect::<Vec<_>>();
        assert_eq!(codes(Status::Draft, Phase::Draft), ["publish"]);
        assert_eq!(codes(Status::Open, Phase::Open), ["withdraw"]);
        assert_eq!(codes(Status::Open, Phase::Closed), ["close", "withdraw"]);
        assert_eq!(codes(Status::Closed, Phase::Closed), ["publish_report", "withdraw"]);
        assert_eq!(codes(Status::Answered, Phase::Answered), ["adopt", "withdraw"]);
        assert!(codes(Status::Adopted, Phase::Adopted).is_empty());
        assert!(codes(Status::Withdrawn, Phase::Withdrawn).is_empty());
        // Every step offered is one the state machine takes (closing waits for the window's end).
        for s in Status::ALL {
            for (a, _) in organiser_actions(s, phase(s, 0, 1, 2)) {
                assert!(transition(s, Action::parse(a).unwrap(), 0).is_ok(), "{s:?} {a}");
            }
        }
    }

    #[test]
    fn forms_filled_too_fast_or_too_late_are_refused() {
        assert!(!filled_in_time(Some(1_000), 1_001, MIN_FILL_SECS), "too fast");
        assert!(filled_in_time(Some(1_000), 1_003, MIN_FILL_SECS));
        assert!(!filled_in_time(None, 1_003, MIN_FILL_SECS), "forged or missing");
        assert!(!filled_in_time(Some(1_000), 1_000 + 86_401, MIN_FILL_SECS), "stale");
    }
}
