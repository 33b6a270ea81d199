//! Consultation rules that need no database: the state machine, who may comment when, answers,
//! the edit window, thread depth, registration numbers, automatic hiding, the word diff.
use crate::i18n::K;
use serde::{Deserialize, Serialize};

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

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Stance {
    For,
    Against,
    Neutral,
}

impl Stance {
    pub const ALL: [Stance; 3] = [Stance::For, Stance::Against, Stance::Neutral];

    pub fn code(self) -> &'static str {
        match self {
            Stance::For => "for",
            Stance::Against => "against",
            Stance::Neutral => "neutral",
        }
    }

    pub fn parse(code: &str) -> Result<Stance, K> {
        Stance::ALL.into_iter().find(|s| s.code() == code).ok_or(K::consultations_err_stance)
    }

    pub fn label(self) -> K {
        match self {
            Stance::For => K::consultations_stance_for,
            Stance::Against => K::consultations_stance_against,
            Stance::Neutral => K::consultations_stance_neutral,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Answer {
    Accepted,
    Partial,
    Rejected,
    Noted,
}

impl Answer {
    pub const ALL: [Answer; 4] = [Answer::Accepted, Answer::Partial, Answer::Rejected, Answer::Noted];

    pub fn code(self) -> &'static str {
        match self {
            Answer::Accepted => "accepted",
            Answer::Partial => "partial",
            Answer::Rejected => "rejected",
            Answer::Noted => "noted",
        }
    }

    pub fn parse(code: &str) -> Result<Answer, K> {
        Answer::ALL.into_iter().find(|s| s.code() == code).ok_or(K::consultations_err_answer_kind)
    }

    pub fn label(self) -> K {
        match self {
            Answer::Accepted => K::consultations_answer_accepted,
            Answer::Partial => K::consultations_answer_partial,
            Answer::Rejected => K::consultations_answer_rejected,
            Answer::Noted => K::consultations_answer_noted,
        }
    }

    /// A rejection or a partial acceptance must say why; the law's report shows the reason.
    pub fn needs_justification(self) -> bool {
        matches!(self, Answer::Partial | Answer::Rejected)
    }
}

/// An answer with its justification, checked: the reason is required (≥ 10 letters) for
/// rejected and partly accepted proposals, optional otherwise.
pub fn check_answer(kind: &str, justification: &str) -> Result<(Answer, String), K> {
    let answer = Answer::parse(kind)?;
    let text = clean_multiline(justification, 4_000);
    if answer.needs_justification() && text.chars().filter(|c| c.is_alphanumeric()).count() < 10 {
        return Err(K::consultations_err_justification);
    }
    Ok((answer, text))
}

/// Who can answer comments: only while the window is over and before the report is published.
pub fn can_answer(status: Status, phase: Phase) -> bool {
    status == Status::Closed || (status == Status::Open && phase == Phase::Closed)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CommentStatus {
    Visible,
    /// Waiting for a moderator (pre-moderation, unverified account).
    Pending,
    Hidden,
    Deleted,
}

impl CommentStatus {
    pub fn code(self) -> &'static str {
        match self {
            CommentStatus::Visible => "visible",
            CommentStatus::Pending => "pending",
            CommentStatus::Hidden => "hidden",
            CommentStatus::Deleted => "deleted",
        }
    }

    pub fn parse(code: &str) -> CommentStatus {
        match code {
            "pending" => CommentStatus::Pending,
            "hidden" => CommentStatus::Hidden,
            "deleted" => CommentStatus::Deleted,
            _ => CommentStatus::Visible,
        }
    }
}

/// A new comment waits for a moderator when the consultation is pre-moderated or the account is
/// not verified yet.
pub fn initial_status(premoderated: bool, verified: bool) -> CommentStatus {
    if premoderated || !verified {
        CommentStatus::Pending
    } else {
        CommentStatus::Visible
    }
}

/// The depth of a reply to a comment at `parent_depth`, refused past the third level.
pub fn reply_depth(parent_depth: Option<i64>) -> Result<i64, K> {
    match parent_depth {
        None => Ok(0),
        Some(d) if d < MAX_DEPTH => Ok(d + 1),
        Some(_) => Err(K::consultations_err_depth),
    }
}

/// Own comments, still visible, within 15 minutes, while comments are open.
pub fn can_edit(author: i64, me: i64, created_at: i64, now: i64, status: CommentStatus, open: bool) -> bool {
    author == me
        && open
        && matches!(status, CommentStatus::Visible | CommentStatus::Pending)
        && now - created_at <= EDIT_WINDOW_SECS
}

/// Hidden automatically when the reports reach the threshold (a moderator decides afterwards).
pub fn should_auto_hide(reports: i64, threshold: i64) -> bool {
    threshold > 0 && reports >= threshold
}

pub const REPORT_REASONS: [&str; 4] = ["spam", "offensive", "off_topic", "personal_data"];

pub fn report_reason_label(code: &str) -> K {
    match code {
        "spam" => K::consultations_reason_spam,
        "offensive" => K::consultations_reason_offensive,
        "off_topic" => K::consultations_reason_off_topic,
        _ => K::consultations_reason_personal_data,
    }
}

/// The register number Law 52 asks for: consultation and sequence, e.g. "CP-12/00042".
pub fn registration_number(consultation_id: i64, seq: i64) -> String {
    format!("CP-{consultation_id}/{seq:05}")
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

/// Trims, drops control characters but keeps line breaks, bounds the length.
pub use crate::text::clean_multiline;

/// A comment's text: 3 to 5,000 characters.
pub fn check_comment_body(raw: &str) -> Result<String, K> {
    let text = clean_multiline(raw, MAX_COMMENT_CHARS + 1);
    if text.chars().count() > MAX_COMMENT_CHARS {
        return Err(K::consultations_err_too_long);
    }
    if text.chars().filter(|c| c.is_alphanumeric()).count() < 3 {
        return Err(K::consultations_err_body);
    }
    Ok(text)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Sort {
    Newest,
    Supported,
    /// Article order, then oldest first (the order of the draft).
    Article,
}

impl Sort {
    pub fn parse(code: &str) -> Sort {
        match code {
            "supported" => Sort::Supported,
            "article" => Sort::Article,
            _ => Sort::Newest,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Sort::Newest => "newest",
            Sort::Supported => "supported",
            Sort::Article => "article",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DiffOp {
    Same,
    Removed,
    Added,
}

/// A word-level diff (longest common subsequence) of `old` against `new`, with runs merged.
/// Quadratic, so both sides are bounded by the callers (an article, a proposal).
pub fn diff_words(old: &str, new: &str) -> Vec<(DiffOp, String)> {
    let a: Vec<&str> = old.split_whitespace().take(1_500).collect();
    let b: Vec<&str> = new.split_whitespace().take(1_500).collect();
    let (n, m) = (a.len(), b.len());
    let mut lcs = vec![vec![0u16; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if a[i] == b[j] { lcs[i + 1][j + 1] + 1 } else { lcs[i + 1][j].max(lcs[i][j + 1]) };
        }
    }
    let mut out: Vec<(DiffOp, String)> = vec![];
    let mut push = |op: DiffOp, w: &str| match out.last_mut() {
        Some((last, text)) if *last == op => {
            text.push(' ');
            text.push_str(w);
        }
        _ => out.push((op, w.to_string())),
    };
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            push(DiffOp::Same, a[i]);
            i += 1;
            j += 1;
        } else if i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1]) {
            push(DiffOp::Removed, a[i]);
            i += 1;
        } else {
            push(DiffOp::Added, b[j]);
            j += 1;
        }
    }
    out
}

/// Signed values in forms and links (min fill time, unsubscribe links) — server only.
/// Whether a form served at `served_at` (from a signed token) was filled in at least `min_secs`
/// and at most a day ago: faster is a bot, older is a replayed token.
pub fn filled_in_time(served_at: Option<i64>, now: i64, min_secs: i64) -> bool {
    served_at.is_some_and(|ts| now - ts >= min_secs && now - ts <= 86_400)
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
    fn answers_need_a_reason_when_they_refuse() {
        assert_eq!(check_answer("rejected", "nu"), Err(K::consultations_err_justification));
        assert_eq!(check_answer("partial", "   "), Err(K::consultations_err_justification));
        assert_eq!(check_answer("maybe", "oricum"), Err(K::consultations_err_answer_kind));
        assert_eq!(check_answer("accepted", ""), Ok((Answer::Accepted, String::new())));
        assert_eq!(check_answer("noted", "").map(|a| a.0), Ok(Answer::Noted));
        let (a, text) = check_answer("rejected", "  Bugetul 2027 nu permite lucrarea.\u{7} ").unwrap();
        assert_eq!((a, text.as_str()), (Answer::Rejected, "Bugetul 2027 nu permite lucrarea."));
    }

    #[test]
    fn threads_stop_at_three_levels_and_edits_at_fifteen_minutes() {
        assert_eq!(reply_depth(None), Ok(0));
        assert_eq!(reply_depth(Some(0)), Ok(1));
        assert_eq!(reply_depth(Some(1)), Ok(2));
        assert_eq!(reply_depth(Some(2)), Err(K::consultations_err_depth));
        let v = CommentStatus::Visible;
        assert!(can_edit(1, 1, 1_000, 1_000 + EDIT_WINDOW_SECS, v, true));
        assert!(!can_edit(1, 1, 1_000, 1_001 + EDIT_WINDOW_SECS, v, true));
        assert!(!can_edit(1, 2, 1_000, 1_001, v, true), "someone else's");
        assert!(!can_edit(1, 1, 1_000, 1_001, CommentStatus::Hidden, true));
        assert!(!can_edit(1, 1, 1_000, 1_001, v, false), "window closed");
    }

    #[test]
    fn moderation_thresholds_and_initial_status() {
        assert!(!should_auto_hide(2, 3));
        assert!(should_auto_hide(3, 3));
        assert!(!should_auto_hide(50, 0), "0 turns automatic hiding off");
        assert_eq!(parse_threshold(""), Ok(DEFAULT_REPORT_THRESHOLD));
        assert_eq!(parse_threshold("0"), Ok(0));
        assert_eq!(parse_threshold("5"), Ok(5));
        for low in ["1", "2", "-1", "101", "x"] {
            assert_eq!(parse_threshold(low), Err(K::consultations_err_threshold), "{low}");
        }
        assert_eq!(initial_status(false, true), CommentStatus::Visible);
        assert_eq!(initial_status(true, true), CommentStatus::Pending);
        assert_eq!(initial_status(false, false), CommentStatus::Pending);
    }

    #[test]
    fn comment_text_and_numbers() {
        assert_eq!(check_comment_body(" ?! "), Err(K::consultations_err_body));
        assert_eq!(check_comment_body(&"a".repeat(MAX_COMMENT_CHARS + 1)), Err(K::consultations_err_too_long));
        assert_eq!(check_comment_body("Da,\r\nsunt de acord.").as_deref(), Ok("Da,\nsunt de acord."));
        assert_eq!(registration_number(12, 42), "CP-12/00042");
        assert_eq!(Stance::parse("against"), Ok(Stance::Against));
        assert!(Stance::parse("").is_err());
        assert_eq!(clean_topics(&["budget".into(), "x".into(), "accessibility".into()]), ["accessibility", "budget"]);
    }

    #[test]
    fn the_diff_shows_what_a_proposal_changes() {
        let d = diff_words("Lucrările încep în anul 2027.", "Lucrările încep în anul 2026, cu trotuarele.");
        assert_eq!(
            d,
            [
                (DiffOp::Same, "Lucrările încep în anul".to_string()),
                (DiffOp::Removed, "2027.".to_string()),
                (DiffOp::Added, "2026, cu trotuarele.".to_string()),
            ]
        );
        assert_eq!(diff_words("", "nou"), [(DiffOp::Added, "nou".to_string())]);
        assert_eq!(diff_words("a b", "a b"), [(DiffOp::Same, "a b".to_string())]);
    }

    #[test]
    fn forms_filled_too_fast_or_too_late_are_refused() {
        assert!(!filled_in_time(Some(1_000), 1_001, MIN_FILL_SECS), "too fast");
        assert!(filled_in_time(Some(1_000), 1_003, MIN_FILL_SECS));
        assert!(!filled_in_time(None, 1_003, MIN_FILL_SECS), "forged or missing");
        assert!(!filled_in_time(Some(1_000), 1_000 + 86_401, MIN_FILL_SECS), "stale");
    }
}
