//! The synthesis report as files: a CSV for spreadsheets and a PDF for the record.
use crate::consultations::rules::files::href;
use crate::consultations::rules::report::{author_text, status_text, Report};
use crate::consultations::rules::{thread_href, CommentStatus};
use crate::i18n::{Lang, K};

/// The CSV of the report (UTF-8 with a BOM so spreadsheets read the diacritics).
pub fn csv(report: &Report, base_url: &str, lang: Lang) -> String {
    use crate::ssr::csv::{Cells, Table};
    let header = [
        "reg_no",
        "article",
        "paragraph",
        "version",
        "reply",
        "author",
        "stance",
        "text",
        "alternative",
        "support",
        "status",
        "status_reason",
        "answer",
        "justification",
        "created_at",
        "link",
        "position_paper",
    ];
    let mut table = Table::new(&header, Cells::Neutralise, false, true);
    let slug = &report.detail.card.slug;
    for u in &report.units {
        for r in &u.rows {
            let link = format!("{base_url}{}#c-{}", thread_href(slug, r.unit_position), r.id);
            table.row([
                r.reg_no.clone(),
                if r.unit_position < 0 {
                    lang.t(K::consultations_whole_draft).to_string()
                } else {
                    r.unit_label.clone()
                },
                r.paragraph.clone(),
                r.version.to_string(),
                if r.depth > 0 { "1".into() } else { "0".into() },
                author_text(lang, r),
                r.stance.code().to_string(),
                // A hidden comment's text stays out of the public files; its status and reason stay in.
                if r.status == CommentStatus::Hidden { String::new() } else { r.body.clone() },
                if r.status == CommentStatus::Hidden { String::new() } else { r.alternative.clone() },
                r.support.to_string(),
                r.status.code().to_string(),
                status_text(lang, r),
                r.answer.map(|a| a.code().to_string()).unwrap_or_default(),
                r.answer_text.clone(),
                crate::fmt::iso_utc(r.created_at),
                link,
                r.paper.as_ref().map(|f| format!("{base_url}{}", href(slug, f.id))).unwrap_or_default(),
            ]);
        }
    }
    table.finish()
}

/// The report as a PDF, in Romanian (the language of the record).
pub fn pdf(report: &Report, base_url: &str) -> Result<Vec<u8>, crate::ssr::pdf::PdfError> {
    use crate::ssr::pdf::PdfDoc;
    let lang = Lang::Ro;
    let d = &report.detail;
    let mut doc = PdfDoc::new(&format!("{} — {}", lang.t(K::consultations_report_title), d.card.title));
    doc.title(lang.t(K::consultations_report_title)).heading(&d.card.title).text(&format!(
        "{}: {} – {}: {} – {}",
        lang.t(K::consultations_owner),
        d.card.owner_name,
        lang.t(K::consultations_window),
        crate::fmt::date(lang, d.card.opens_at),
        crate::fmt::date(lang, d.card.closes_at)
    ));
    if let Some(p) = d.report_published_at {
        doc.small(&format!("{}: {}", lang.t(K::consultations_report_published), crate::fmt::date_time(lang, p)));
    }
    doc.space(4.0).heading(lang.t(K::consultations_report_summary));
    let header = [
        lang.t(K::consultations_report_unit),
        lang.t(K::consultations_stance_for),
        lang.t(K::consultations_stance_against),
        lang.t(K::consultations_stance_neutral),
        lang.t(K::consultations_answer_accepted),
        lang.t(K::consultations_answer_partial),
        lang.t(K::consultations_answer_rejected),
        lang.t(K::consultations_answer_noted),
    ];
    let mut rows: Vec<Vec<String>> = report
        .units
        .iter()
        .map(|u| {
            let mut v =
                vec![if u.position < 0 { lang.t(K::consultations_whole_draft).to_string() } else { u.label.clone() }];
            v.extend(u.counts.stance.iter().map(|n| n.to_string()));
            v.extend(u.counts.answers[..4].iter().map(|n| n.to_string()));
            v
        })
        .collect();
    let mut total = vec![lang.t(K::consultations_report_total).to_string()];
    total.extend(report.totals.stance.iter().map(|n| n.to_string()));
    total.extend(report.totals.answers[..4].iter().map(|n| n.to_string()));
    rows.push(total);
    doc.table(&[44.0, 17.0, 17.0, 17.0, 17.0, 17.0, 17.0, 23.0], &header, &rows);
    for u in &report.units {
        doc.space(4.0).heading(&if u.position < 0 {
            lang.t(K::consultations_whole_draft).to_string()
        } else {
            u.label.clone()
        });
        for r in &u.rows {
            let mut head = format!("{} – {} – {}", r.reg_no, author_text(lang, r), lang.t(r.stance.label()));
            if !r.paragraph.is_empty() {
                head.push_str(&format!(" – {}", r.paragraph));
            }
            if r.depth > 0 {
                head.push_str(&format!(" – {}", lang.t(K::consultations_reply)));
            }
            doc.bold(&head);
            match r.status {
                CommentStatus::Hidden | CommentStatus::Deleted => {
                    doc.text(&status_text(lang, r));
                }
                _ => {
                    doc.text(&r.body);
                    if !r.alternative.is_empty() {
                        doc.small(&format!("{}: {}", lang.t(K::consultations_alternative), r.alternative));
                    }
                }
            }
            let answer = match r.answer {
                Some(a) if r.answer_text.is_empty() => {
                    format!("{}: {}", lang.t(K::consultations_answer), lang.t(a.label()))
                }
                Some(a) => format!("{}: {} — {}", lang.t(K::consultations_answer), lang.t(a.label()), r.answer_text),
                None => format!("{}: —", lang.t(K::consultations_answer)),
            };
            doc.text(&answer);
            if let Some(f) = &r.paper {
                doc.small(&format!(
                    "{}: {} – {base_url}{}",
                    lang.t(K::consultations_paper),
                    f.name,
                    href(&d.card.slug, f.id)
                ));
            }
            doc.small(&format!("{base_url}{}#c-{}", thread_href(&d.card.slug, r.unit_position), r.id)).space(2.0);
        }
    }
    doc.render()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::consultations::rules::report::build;
    use crate::consultations::rules::report::tests::{detail, row};
    use crate::consultations::rules::{Answer, Stance};

    #[test]
    fn the_csv_neutralises_formulas_and_links_every_comment() {
        let rows = vec![
            row(1, -1, Stance::For, Some(Answer::Noted)),
            row(2, 3, Stance::Against, Some(Answer::Rejected)),
            row(3, 3, Stance::For, Some(Answer::Accepted)),
            row(4, 5, Stance::Neutral, None),
        ];
        let r = build(detail(), vec![], rows, true);
        let text = csv(&r, "http://x", Lang::Ro);
        assert!(text.starts_with('\u{feff}'), "a BOM, so spreadsheets read the diacritics");
        assert_eq!(text.lines().count(), 5);
        // Formula-looking cells are neutralised and quotes escaped.
        assert!(text.contains("\"'=HYPERLINK(\"\"x\"\"), \"\"citat\"\"\""), "{text}");
        assert!(text.contains("http://x/consultations/plan/comments?scope=3#c-2"));
        assert!(text.contains("http://x/consultations/plan/comments?scope=general#c-1"));
    }
}
