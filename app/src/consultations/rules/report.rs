//! The synthesis report (raport de consultare): per article, comments by stance and by answer, and
//! every comment with its register number, author, text, answer and justification.
use super::files::FileInfo;
use super::{Answer, CommentStatus, Stance};
use crate::accounts::rules::Signer;
use crate::consultations::{Detail, UnitView};
use crate::i18n::{fill, Lang, K};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportRow {
    pub id: i64,
    pub reg_no: String,
    pub unit_position: i64,
    pub unit_label: String,
    pub paragraph: String,
    pub depth: i64,
    pub version: i64,
    pub author: Signer,
    pub org_name: String,
    pub stance: Stance,
    pub body: String,
    pub alternative: String,
    pub status: CommentStatus,
    pub status_reason: String,
    pub support: i64,
    pub answer: Option<Answer>,
    pub answer_text: String,
    pub created_at: i64,
    /// The position paper, when the comment is public.
    #[serde(default)]
    pub paper: Option<FileInfo>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Counts {
    /// for, against, neutral
    pub stance: [i64; 3],
    /// accepted, partial, rejected, noted, unanswered
    pub answers: [i64; 5],
}

impl Counts {
    fn add(&mut self, r: &ReportRow) {
        self.add_n(r.stance, r.answer, 1);
    }

    /// `n` comments of one stance and one answer (a row of the report's counting query).
    pub fn add_n(&mut self, stance: Stance, answer: Option<Answer>, n: i64) {
        let s = match stance {
            Stance::For => 0,
            Stance::Against => 1,
            Stance::Neutral => 2,
        };
        self.stance[s] += n;
        let a = match answer {
            Some(Answer::Accepted) => 0,
            Some(Answer::Partial) => 1,
            Some(Answer::Rejected) => 2,
            Some(Answer::Noted) => 3,
            None => 4,
        };
        self.answers[a] += n;
    }

    pub fn total(&self) -> i64 {
        self.stance.iter().sum()
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UnitReport {
    pub position: i64,
    /// "Art. 3 – Trotuare", or the whole draft.
    pub label: String,
    pub counts: Counts,
    pub rows: Vec<ReportRow>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub detail: Detail,
    pub published: bool,
    pub totals: Counts,
    pub units: Vec<UnitReport>,
}

/// Groups the comments by article (the whole draft first), in the draft's order.
pub fn build(detail: Detail, units: Vec<UnitView>, rows: Vec<ReportRow>, published: bool) -> Report {
    let mut totals = Counts::default();
    let mut out: Vec<UnitReport> = vec![];
    for r in rows {
        totals.add(&r);
        if out.last().is_none_or(|u| u.position != r.unit_position) {
            let label = unit_label(&units, r.unit_position, &r.unit_label);
            out.push(UnitReport { position: r.unit_position, label, counts: Counts::default(), rows: vec![] });
        }
        if let Some(u) = out.last_mut() {
            u.counts.add(&r);
            u.rows.push(r);
        }
    }
    Report { detail, published, totals, units: out }
}

/// How the report names an article: "Art. 3 – Trotuare" from the draft's units, the comment's own
/// label for a unit the current version no longer has, empty for the whole draft.
pub fn unit_label(units: &[UnitView], position: i64, fallback: &str) -> String {
    if position < 0 {
        return String::new();
    }
    units
        .iter()
        .find(|u| u.position == position)
        .map(|u| if u.title.is_empty() { u.label.clone() } else { format!("{} – {}", u.label, u.title) })
        .unwrap_or_else(|| fallback.to_string())
}

/// Why a comment's text is not shown (hidden by a moderator, deleted by its author), or nothing.
pub fn status_text(lang: Lang, r: &ReportRow) -> String {
    match r.status {
        CommentStatus::Hidden => fill(lang.t(K::consultations_hidden_by_moderator), &[("reason", &r.status_reason)]),
        CommentStatus::Deleted => lang.t(K::consultations_deleted_by_author).to_string(),
        _ => String::new(),
    }
}

/// The author, with the organisation they wrote for.
pub fn author_text(lang: Lang, r: &ReportRow) -> String {
    signature(lang, &r.org_name, &r.author)
}

/// How a comment is signed everywhere (thread, report, PDF, CSV, moderation queue): the
/// organisation it was written for, then the person ("deleted account" once they deleted it).
pub fn signature(lang: Lang, org_name: &str, author: &Signer) -> String {
    match (org_name.is_empty(), author.display_name_or_deleted(lang)) {
        (true, who) => who.unwrap_or_default(),
        (false, Some(who)) => format!("{org_name} ({who})"),
        (false, None) => org_name.to_string(),
    }
}

/// The comments the organiser answers: top-level ones a reader can see or a moderator hid (replies
/// are answered with their thread); with `only_unanswered`, those still waiting.
pub fn to_answer(rows: Vec<ReportRow>, only_unanswered: bool) -> Vec<ReportRow> {
    rows.into_iter()
        .filter(|r| r.depth == 0 && matches!(r.status, CommentStatus::Visible | CommentStatus::Hidden))
        .filter(|r| !only_unanswered || r.answer.is_none())
        .collect()
}

/// Puts each position paper under its comment, only where the comment is visible (a hidden
/// comment's paper stays out of the public report as its text does).
pub fn attach_papers(rows: &mut [ReportRow], papers: Vec<FileInfo>) {
    let papers: std::collections::HashMap<i64, FileInfo> =
        papers.into_iter().filter_map(|f| f.comment_id.map(|c| (c, f))).collect();
    if papers.is_empty() {
        return;
    }
    for r in rows.iter_mut().filter(|r| r.status == CommentStatus::Visible) {
        r.paper = papers.get(&r.id).cloned();
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::consultations::{rules, Card};

    pub(crate) fn row(id: i64, pos: i64, stance: Stance, answer: Option<Answer>) -> ReportRow {
        ReportRow {
            id,
            reg_no: format!("CP-1/{id:05}"),
            unit_position: pos,
            unit_label: format!("Art. {pos}"),
            paragraph: String::new(),
            depth: 0,
            version: 1,
            author: Signer::Named("Ana".into()),
            org_name: String::new(),
            stance,
            body: "=HYPERLINK(\"x\"), \"citat\"".into(),
            alternative: String::new(),
            status: CommentStatus::Visible,
            status_reason: String::new(),
            support: 0,
            answer,
            answer_text: String::new(),
            created_at: 0,
            paper: None,
        }
    }

    pub(crate) fn detail() -> Detail {
        Detail {
            card: Card {
                id: 1,
                slug: "plan".into(),
                title: "Plan".into(),
                summary: String::new(),
                topics: vec![],
                locality: String::new(),
                county: String::new(),
                owner_kind: "authority".into(),
                owner_id: 1,
                owner_name: "Consiliul Local".into(),
                owner_slug: String::new(),
                status: rules::Status::Answered,
                phase: rules::Phase::Answered,
                opens_at: 0,
                closes_at: 0,
                comments: 3,
                is_demo: false,
            },
            explanatory_note: String::new(),
            adoption_at: None,
            urgency_reason: String::new(),
            officer_contact: String::new(),
            initiator: "mayor".into(),
            authority_officer: Default::default(),
            premoderation: false,
            report_threshold: 3,
            current_version: 1,
            published_at: None,
            report_published_at: None,
            created_at: 0,
            draft_text: String::new(),
        }
    }

    #[test]
    fn the_report_counts_by_article_stance_and_answer() {
        let rows = vec![
            row(1, -1, Stance::For, Some(Answer::Noted)),
            row(2, 3, Stance::Against, Some(Answer::Rejected)),
            row(3, 3, Stance::For, Some(Answer::Accepted)),
            row(4, 5, Stance::Neutral, None),
        ];
        let r = build(detail(), vec![], rows, true);
        assert_eq!(r.units.len(), 3);
        assert_eq!(r.units[1].counts.stance, [1, 1, 0]);
        assert_eq!(r.units[1].counts.answers, [1, 0, 1, 0, 0]);
        assert_eq!(r.totals.answers, [1, 0, 1, 1, 1]);
        assert_eq!(r.totals.total(), 4);
    }

    #[test]
    fn articles_are_named_by_label_and_title_and_the_text_says_why_it_is_missing() {
        let unit = UnitView {
            id: 9,
            position: 3,
            kind: super::super::split::UnitKind::Article,
            label: "Art. 3".into(),
            title: "Trotuare".into(),
            paragraphs: vec![],
            comments: 1,
        };
        let mut hidden = row(2, 3, Stance::Against, None);
        hidden.status = CommentStatus::Hidden;
        hidden.status_reason = "spam".into();
        hidden.org_name = "Asociația".into();
        let r = build(
            detail(),
            vec![unit],
            vec![row(1, -1, Stance::For, None), hidden, row(3, 5, Stance::For, None)],
            false,
        );
        let labels: Vec<&str> = r.units.iter().map(|u| u.label.as_str()).collect();
        assert_eq!(labels, ["", "Art. 3 – Trotuare", "Art. 5"], "the whole draft, a known unit, the row's own label");
        let hidden = &r.units[1].rows[0];
        assert_eq!(author_text(Lang::Ro, hidden), "Asociația (Ana)");
        assert!(status_text(Lang::En, hidden).contains("spam"));
        assert_eq!(status_text(Lang::En, &r.units[0].rows[0]), "");
    }

    #[test]
    fn a_deleted_authors_comment_is_signed_deleted_account() {
        assert_eq!(signature(Lang::Ro, "", &Signer::Deleted), "cont șters");
        assert_eq!(signature(Lang::En, "Asociația", &Signer::Deleted), "Asociația (deleted account)");
        assert_eq!(signature(Lang::Ro, "Asociația", &Signer::Nobody), "Asociația");
        assert_eq!(signature(Lang::Ro, "", &Signer::Named("Ana".into())), "Ana");
    }

    #[test]
    fn organisers_answer_top_level_comments_and_papers_show_under_visible_ones() {
        let mut reply = row(2, 3, Stance::For, None);
        reply.depth = 1;
        let mut deleted = row(3, 3, Stance::For, None);
        deleted.status = CommentStatus::Deleted;
        let mut hidden = row(4, 3, Stance::For, None);
        hidden.status = CommentStatus::Hidden;
        let rows =
            vec![row(1, 3, Stance::For, Some(Answer::Noted)), reply, deleted, hidden, row(5, 3, Stance::For, None)];
        let ids = |rows: Vec<ReportRow>| rows.into_iter().map(|r| r.id).collect::<Vec<_>>();
        assert_eq!(ids(to_answer(rows.clone(), false)), [1, 4, 5]);
        assert_eq!(ids(to_answer(rows.clone(), true)), [4, 5]);
        let paper = |id: i64, comment: i64| FileInfo {
            id,
            comment_id: Some(comment),
            kind: super::super::files::FileKind::Paper,
            name: "poziție.pdf".into(),
            size: 1,
            created_at: 0,
        };
        let mut rows = rows;
        attach_papers(&mut rows, vec![paper(10, 1), paper(11, 4)]);
        assert_eq!(rows[0].paper.as_ref().map(|f| f.id), Some(10));
        assert!(rows[3].paper.is_none(), "a hidden comment's paper stays out");
    }
}
