//! The report page, one page at a time: 100 comments a page in the report's order (article, then
//! register), or only one article's comments. The first page (every article, page 1) carries the
//! counts per article and the totals, counted in SQL over every comment; the PDF and the CSV stay whole.
use super::report::{unit_label, Counts, ReportRow};
use super::{Answer, Stance};
use crate::consultations::{Detail, UnitView};
use serde::{Deserialize, Serialize};

/// Comments on one page of the report.
pub const PER_PAGE: i64 = 100;

/// One row of the counting query: how many comments of an article have this stance and answer.
#[derive(Clone, Debug, PartialEq)]
pub struct CountRow {
    pub unit_position: i64,
    /// The unit's label as the comments recorded it (for units the current version no longer has).
    pub unit_label: String,
    pub stance: Stance,
    pub answer: Option<Answer>,
    pub n: i64,
}

/// An article with its counts over every comment (the summary table and the article chooser).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ArticleCounts {
    /// The unit's position; -1 for the whole draft.
    pub position: i64,
    /// "Art. 3 – Trotuare"; empty for the whole draft (the page says it in the reader's language).
    pub label: String,
    pub counts: Counts,
}

/// The comments of one article on this page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportSection {
    pub position: i64,
    pub label: String,
    pub rows: Vec<ReportRow>,
}

/// The counts per article and the totals: on the first page only.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub articles: Vec<ArticleCounts>,
    pub totals: Counts,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportPage {
    pub detail: Detail,
    pub published: bool,
    /// Every article that has comments, with its count: the chooser's options.
    pub articles: Vec<(i64, String, i64)>,
    /// `Some` on the first page (every article, page 1).
    pub summary: Option<Summary>,
    /// The article shown (`None` = every article).
    pub article: Option<i64>,
    /// The page shown (from 1, within `pages`), how many there are and how many comments they hold.
    pub page: i64,
    pub pages: i64,
    pub total: i64,
    /// Every comment of the report, whatever the filter.
    pub all: i64,
    pub sections: Vec<ReportSection>,
}

/// `?page=`: a page from 1. Empty, zero, negative or not a number is the first page; a number too big
/// to hold is "as far as possible" (the last page, once [`clamp_page`] knows how many there are).
pub fn parse_page(s: &str) -> i64 {
    let s = s.trim();
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse::<i64>().unwrap_or(i64::MAX).max(1);
    }
    1
}

/// `?article=`: a unit's position, or `general` for comments on the whole draft; anything else is
/// every article.
pub fn parse_article(s: &str) -> Option<i64> {
    match s.trim() {
        "general" => Some(-1),
        n => n.parse::<i64>().ok().filter(|p| *p >= 0),
    }
}

/// The `?article=` value of a position (the inverse of [`parse_article`]).
pub fn article_param(position: i64) -> String {
    if position < 0 {
        "general".into()
    } else {
        position.to_string()
    }
}

/// Pages needed for `total` comments (at least one, which may be empty).
pub fn pages(total: i64) -> i64 {
    (total.max(0) as u64).div_ceil(PER_PAGE as u64).max(1) as i64
}

/// The page asked for, within the pages there are.
pub fn clamp_page(page: i64, total: i64) -> i64 {
    page.clamp(1, pages(total))
}

/// The comments before a (clamped) page.
pub fn offset(page: i64) -> i64 {
    (page.max(1) - 1).saturating_mul(PER_PAGE)
}

/// The first and last comment of a page, counted from 1 ("Comments 101–200 of 250").
pub fn range(page: i64, total: i64) -> (i64, i64) {
    if total <= 0 {
        return (0, 0);
    }
    let page = clamp_page(page, total);
    (offset(page) + 1, (offset(page) + PER_PAGE).min(total))
}

/// Folds the counting query's rows into counts per article (in the draft's order, the whole draft
/// first) and the totals.
pub fn summarise(units: &[UnitView], mut rows: Vec<CountRow>) -> Summary {
    let mut totals = Counts::default();
    let mut articles: Vec<ArticleCounts> = vec![];
    rows.sort_by_key(|r| r.unit_position);
    for r in rows {
        totals.add_n(r.stance, r.answer, r.n);
        if articles.last().is_none_or(|a| a.position != r.unit_position) {
            articles.push(ArticleCounts {
                position: r.unit_position,
                label: unit_label(units, r.unit_position, &r.unit_label),
                counts: Counts::default(),
            });
        }
        if let Some(a) = articles.last_mut() {
            a.counts.add_n(r.stance, r.answer, r.n);
        }
    }
    Summary { articles, totals }
}

/// The comments under the filter: every comment, or one article's (none for an article without any).
pub fn filtered_total(summary: &Summary, article: Option<i64>) -> i64 {
    match article {
        None => summary.totals.total(),
        Some(p) => summary.articles.iter().find(|a| a.position == p).map(|a| a.counts.total()).unwrap_or(0),
    }
}

/// Groups a page's rows (already in the report's order) by article.
pub fn sections(units: &[UnitView], rows: Vec<ReportRow>) -> Vec<ReportSection> {
    let mut out: Vec<ReportSection> = vec![];
    for r in rows {
        if out.last().is_none_or(|s| s.position != r.unit_position) {
            out.push(ReportSection {
                position: r.unit_position,
                label: unit_label(units, r.unit_position, &r.unit_label),
                rows: vec![],
            });
        }
        if let Some(s) = out.last_mut() {
            s.rows.push(r);
        }
    }
    out
}

/// The page: the summary only on the first page of every article.
pub fn build_page(
    detail: Detail,
    published: bool,
    units: &[UnitView],
    summary: Summary,
    article: Option<i64>,
    page: i64,
    rows: Vec<ReportRow>,
) -> ReportPage {
    let total = filtered_total(&summary, article);
    let page = clamp_page(page, total);
    let first = article.is_none() && page == 1;
    ReportPage {
        detail,
        published,
        articles: summary.articles.iter().map(|a| (a.position, a.label.clone(), a.counts.total())).collect(),
        all: summary.totals.total(),
        summary: first.then_some(summary),
        article,
        page,
        pages: pages(total),
        total,
        sections: sections(units, rows),
    }
}

#[cfg(test)]
mod tests {
    use super::super::report::tests::{detail, row};
    use super::*;

    #[test]
    fn the_page_number_is_parsed_and_never_fails() {
        assert_eq!(parse_page("3"), 3);
        assert_eq!(parse_page(" 2 "), 2);
        for bad in ["", "0", "-1", "abc", "1.5", "2e3", "+2", "٣", "1 2"] {
            assert_eq!(parse_page(bad), 1, "{bad:?}");
        }
        assert_eq!(parse_page("99999999999999999999999999"), i64::MAX, "too big to hold: as far as possible");
        assert_eq!(clamp_page(parse_page("99999999999999999999999999"), 250), 3);
        assert_eq!(offset(clamp_page(i64::MAX, 250)), 200);
        assert_eq!(offset(i64::MAX), i64::MAX, "saturates rather than overflows");
    }

    #[test]
    fn pages_are_counted_and_clamped() {
        assert_eq!(pages(0), 1, "an empty report still has its first page");
        assert_eq!(pages(1), 1);
        assert_eq!(pages(100), 1);
        assert_eq!(pages(101), 2);
        assert_eq!(pages(250), 3);
        assert_eq!(pages(-5), 1);
        assert_eq!(clamp_page(0, 250), 1);
        assert_eq!(clamp_page(-7, 250), 1);
        assert_eq!(clamp_page(4, 250), 3);
        assert_eq!(clamp_page(999_999, 0), 1);
        assert_eq!(offset(1), 0);
        assert_eq!(offset(3), 200);
        assert_eq!(range(1, 250), (1, 100));
        assert_eq!(range(3, 250), (201, 250));
        assert_eq!(range(9, 250), (201, 250), "clamped to the last page");
        assert_eq!(range(1, 0), (0, 0));
    }

    #[test]
    fn the_article_is_a_position_or_the_whole_draft() {
        assert_eq!(parse_article(""), None);
        assert_eq!(parse_article("general"), Some(-1));
        assert_eq!(parse_article("3"), Some(3));
        assert_eq!(parse_article("0"), Some(0));
        assert_eq!(parse_article("-1"), None);
        assert_eq!(parse_article("all"), None);
        assert_eq!(parse_article("99999999999999999999"), None);
        for p in [-1, 0, 7] {
            assert_eq!(parse_article(&article_param(p)), Some(p));
        }
    }

    fn count(pos: i64, stance: Stance, answer: Option<Answer>, n: i64) -> CountRow {
        CountRow { unit_position: pos, unit_label: format!("Art. {pos}"), stance, answer, n }
    }

    #[test]
    fn the_summary_counts_every_comment_by_article_in_the_drafts_order() {
        let s = summarise(
            &[],
            vec![
                count(3, Stance::Against, Some(Answer::Rejected), 40),
                count(-1, Stance::For, None, 10),
                count(3, Stance::For, Some(Answer::Accepted), 60),
                count(5, Stance::Neutral, None, 140),
            ],
        );
        let positions: Vec<i64> = s.articles.iter().map(|a| a.position).collect();
        assert_eq!(positions, [-1, 3, 5]);
        assert_eq!(s.articles[0].label, "", "the whole draft is named by the page");
        assert_eq!(s.articles[1].label, "Art. 3");
        assert_eq!(s.articles[1].counts.stance, [60, 40, 0]);
        assert_eq!(s.articles[1].counts.answers, [60, 0, 40, 0, 0]);
        assert_eq!(s.totals.total(), 250);
        assert_eq!(s.totals.answers[4], 150);
        assert_eq!(filtered_total(&s, None), 250);
        assert_eq!(filtered_total(&s, Some(5)), 140);
        assert_eq!(filtered_total(&s, Some(9)), 0, "an article without comments");
    }

    #[test]
    fn only_the_first_page_of_every_article_carries_the_summary() {
        let summary = || summarise(&[], vec![count(-1, Stance::For, None, 150), count(3, Stance::For, None, 100)]);
        let rows = vec![row(1, -1, Stance::For, None), row(2, 3, Stance::For, None), row(3, 3, Stance::For, None)];
        let p = build_page(detail(), true, &[], summary(), None, 1, rows.clone());
        assert!(p.summary.is_some());
        assert_eq!((p.page, p.pages, p.total, p.all), (1, 3, 250, 250));
        assert_eq!(p.articles, [(-1, String::new(), 150), (3, "Art. 3".to_string(), 100)]);
        assert_eq!(p.sections.len(), 2);
        assert_eq!(p.sections[1].rows.len(), 2);
        let p = build_page(detail(), true, &[], summary(), None, 7, vec![]);
        assert!(p.summary.is_none());
        assert_eq!(p.page, 3, "clamped");
        let p = build_page(detail(), true, &[], summary(), Some(3), 1, rows);
        assert!(p.summary.is_none(), "an article's page has its summary line only");
        assert_eq!((p.page, p.pages, p.total, p.all), (1, 1, 100, 250));
    }
}
