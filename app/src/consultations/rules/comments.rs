//! The rules of comments: stances, answers, statuses, depth, the edit window, automatic hiding,
//! register numbers, the text checks, sorting, scopes and the word diff.
use super::{Phase, Status, COMMENTS_PER_MINUTE, EDIT_WINDOW_SECS, MAX_COMMENT_CHARS, MAX_DEPTH};
use crate::i18n::K;
use crate::text::clean_multiline;
use serde::{Deserialize, Serialize};

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

/// Which comments a list shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// On the whole draft.
    General,
    /// Every comment, all articles.
    All,
    Unit(i64),
}

/// The thread a comment is in: its unit's (by position), or the whole draft's (position -1).
pub fn thread_href(slug: &str, position: i64) -> String {
    let scope = if position < 0 { "general".to_string() } else { position.to_string() };
    format!("/consultations/{slug}/comments?scope={scope}")
}

/// `general` (or nothing), `all`, or a unit's position.
pub fn parse_scope(scope: &str) -> Option<Scope> {
    match scope.trim() {
        "" | "general" => Some(Scope::General),
        "all" => Some(Scope::All),
        n => n.parse::<i64>().ok().filter(|p| *p >= 0).map(Scope::Unit),
    }
}

/// A comment's stance; a reply may leave it out (it is then neutral).
pub fn reply_stance(is_reply: bool, raw: &str) -> Result<Stance, K> {
    if is_reply && raw.is_empty() {
        Ok(Stance::Neutral)
    } else {
        Stance::parse(raw)
    }
}

/// The proposed wording: at most as long as a comment.
pub fn check_alternative(raw: &str) -> Result<String, K> {
    let text = clean_multiline(raw, MAX_COMMENT_CHARS + 1);
    if text.chars().count() > MAX_COMMENT_CHARS {
        return Err(K::consultations_err_too_long);
    }
    Ok(text)
}

/// The organisation a comment speaks for: none, or one the person may speak for (`Err`: another).
pub fn pick_org(requested: Option<i64>, speaking_for: &[(i64, String)]) -> Result<Option<i64>, K> {
    match requested.filter(|o| *o > 0) {
        Some(o) if speaking_for.iter().any(|(id, _)| *id == o) => Ok(Some(o)),
        Some(_) => Err(K::err_forbidden),
        None => Ok(None),
    }
}

/// The rate limits of posting, as (counter key, limit, window in seconds): per person and per address.
pub fn comment_limits(user_id: i64, ip: &str) -> [(String, i64, i64); 2] {
    [
        (format!("consult-comment:u:{user_id}"), COMMENTS_PER_MINUTE, 60),
        (format!("consult-comment:ip:{ip}"), COMMENTS_PER_MINUTE * 3, 60),
    ]
}

/// Whether a comment's text is shown: hidden ones to moderators only, deleted ones to nobody.
pub fn shows_text(status: CommentStatus, moderator: bool) -> bool {
    match status {
        CommentStatus::Visible | CommentStatus::Pending => true,
        CommentStatus::Hidden => moderator,
        CommentStatus::Deleted => false,
    }
}

/// Why a moderator's step was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ModerationRefusal {
    /// Hiding says why, in at least 5 characters (the reason is public).
    Reason,
    /// The step does not apply to the comment as it is.
    Transition,
}

/// The status a moderator's step leaves a comment in: `hide` (with its public reason), `restore` a
/// hidden one, `approve` a pending one, or `dismiss` the reports (the comment stays as it is).
pub fn moderated_status(
    action: &str,
    current: CommentStatus,
    reason: &str,
) -> Result<CommentStatus, ModerationRefusal> {
    match (action, current) {
        ("hide", CommentStatus::Visible | CommentStatus::Pending | CommentStatus::Hidden) => {
            if reason.chars().count() < 5 {
                return Err(ModerationRefusal::Reason);
            }
            Ok(CommentStatus::Hidden)
        }
        ("restore", CommentStatus::Hidden) | ("approve", CommentStatus::Pending) => Ok(CommentStatus::Visible),
        ("dismiss", s @ (CommentStatus::Visible | CommentStatus::Hidden)) => Ok(s),
        _ => Err(ModerationRefusal::Transition),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::consultations::rules::{clean_topics, parse_threshold, DEFAULT_REPORT_THRESHOLD};

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
    fn scopes_replies_and_the_organisation_spoken_for() {
        assert_eq!(parse_scope(" "), Some(Scope::General));
        assert_eq!(parse_scope("general"), Some(Scope::General));
        assert_eq!(parse_scope("all"), Some(Scope::All));
        assert_eq!(parse_scope("3"), Some(Scope::Unit(3)));
        assert_eq!(parse_scope("-1"), None);
        assert_eq!(parse_scope("x"), None);
        assert_eq!(thread_href("plan", -1), "/consultations/plan/comments?scope=general");
        assert_eq!(thread_href("plan", 0), "/consultations/plan/comments?scope=0");
        assert_eq!(reply_stance(true, ""), Ok(Stance::Neutral));
        assert_eq!(reply_stance(true, "for"), Ok(Stance::For));
        assert_eq!(reply_stance(false, ""), Err(K::consultations_err_stance));
        let mine = [(5, "Asociația".to_string())];
        assert_eq!(pick_org(None, &mine), Ok(None));
        assert_eq!(pick_org(Some(0), &mine), Ok(None), "0 = as myself");
        assert_eq!(pick_org(Some(5), &mine), Ok(Some(5)));
        assert!(pick_org(Some(6), &mine).is_err(), "not theirs");
        assert_eq!(check_alternative(" Art. 1\r\nnou "), Ok("Art. 1\nnou".to_string()));
        assert_eq!(check_alternative(&"a".repeat(MAX_COMMENT_CHARS + 1)), Err(K::consultations_err_too_long));
        let [person, address] = comment_limits(7, "10.0.0.1");
        assert_eq!(person, ("consult-comment:u:7".to_string(), COMMENTS_PER_MINUTE, 60));
        assert_eq!(address, ("consult-comment:ip:10.0.0.1".to_string(), COMMENTS_PER_MINUTE * 3, 60));
    }

    #[test]
    fn moderators_see_hidden_text_and_take_only_steps_that_apply() {
        assert!(shows_text(CommentStatus::Pending, false));
        assert!(!shows_text(CommentStatus::Hidden, false));
        assert!(shows_text(CommentStatus::Hidden, true));
        assert!(!shows_text(CommentStatus::Deleted, true));
        use CommentStatus::*;
        assert_eq!(moderated_status("hide", Visible, "Limbaj jignitor"), Ok(Hidden));
        assert_eq!(moderated_status("hide", Pending, "spam"), Err(ModerationRefusal::Reason));
        assert_eq!(moderated_status("restore", Hidden, ""), Ok(Visible));
        assert_eq!(moderated_status("approve", Pending, ""), Ok(Visible));
        assert_eq!(moderated_status("dismiss", Hidden, ""), Ok(Hidden));
        assert_eq!(moderated_status("dismiss", Visible, ""), Ok(Visible));
        for (a, s) in
            [("restore", Visible), ("approve", Hidden), ("dismiss", Pending), ("hide", Deleted), ("x", Visible)]
        {
            assert_eq!(moderated_status(a, s, "motiv valabil"), Err(ModerationRefusal::Transition), "{a} {s:?}");
        }
    }
}
