//! The organiser's answers to comments (mailed to their authors) and the synthesis report.
use super::notify::send;
use super::{base_url, me, organised, organiser_of, problem, redirect, refuse, signed_in, visible, R};
use crate::consultations::rules::report::{self, Report};
use crate::consultations::rules::report_page::{self as paging, ReportPage};
use crate::consultations::rules::{can_answer, check_answer, is_moderator, thread_href};
use crate::consultations::{db, AnswersPage, Detail};
use crate::error::{FormState, Problem};
use crate::i18n::{Lang, K};
use crate::ssr::state;

/// One answer (kind and justification) for one or many comments; their authors are mailed.
pub async fn answer(cid: i64, ids: &[i64], answer: &str, justification: &str) -> R<()> {
    let st = state();
    let (user, d) = organised(cid).await?;
    if !can_answer(d.card.status, d.card.phase) {
        return Err(refuse(K::consultations_err_answer_phase));
    }
    let mut form = FormState::new().value("answer", answer).value("justification", justification);
    if ids.is_empty() {
        form.add("ids", K::consultations_err_pick_comments);
    }
    let checked = form.check("justification", check_answer(answer, justification));
    let (Some((kind, text)), true) = (checked, form.is_ok()) else { return Err(form.into()) };
    let done = db::answer(&st.db, cid, ids, kind, &text, user.id).await?;
    // The commenters hear about the answer under their comment.
    for row in db::comments_by_ids(&st.db, &done).await? {
        if let Some(uid) = row.user_id {
            if let Some((email, lang)) = db::user_contact(&st.db, uid).await? {
                let l = Lang::from_code(&lang);
                send(
                    &email,
                    &lang,
                    "consultations.answer",
                    K::consultations_mail_answer_subject,
                    &[(
                        K::consultations_mail_answer_body,
                        vec![
                            ("reg", row.view.reg_no.clone()),
                            ("title", d.card.title.clone()),
                            ("answer", l.t(kind.label()).to_string()),
                            ("why", text.clone()),
                        ],
                    )],
                    Some((
                        K::consultations_mail_open,
                        format!(
                            "{}{}#c-{}",
                            base_url(),
                            thread_href(&d.card.slug, row.view.unit_position),
                            row.view.id
                        ),
                    )),
                    None,
                )
                .await?;
            }
        }
    }
    redirect(&format!("/consultations/{}/answers?answered={}", d.card.slug, done.len()));
    Ok(())
}

/// The organiser's page of comments to answer: those still unanswered, or (`filter` "all") every one.
pub async fn answers_page(slug: &str, filter: &str) -> R<AnswersPage> {
    let st = state();
    let user = signed_in().await?;
    let d = db::detail_by_slug(&st.db, slug).await?.ok_or(problem(Problem::NotFound))?;
    if !organiser_of(Some(&user), &d) {
        return Err(problem(Problem::Forbidden));
    }
    let rows = db::report_rows(&st.db, d.card.id, true).await?;
    let only_open = filter != "all";
    let items = report::to_answer(rows, only_open);
    Ok(AnswersPage {
        unanswered: db::unanswered(&st.db, d.card.id).await?,
        can_answer: can_answer(d.card.status, d.card.phase),
        card: d.card,
        items,
        filter: if only_open { "open".into() } else { "all".into() },
    })
}

/// Who reads the report: published reports for everyone, previews for the organiser. Returns the
/// consultation, whether it is published and whether hidden comments' text may be shown (the
/// organiser or a moderator reads).
async fn readable(slug: &str) -> R<(Detail, bool, bool)> {
    let user = me().await?;
    let d = visible(slug, user.as_ref()).await?;
    let published = d.report_published_at.is_some();
    if !published && !organiser_of(user.as_ref(), &d) {
        return Err(refuse(K::consultations_err_report_not_yet));
    }
    let moderator = user.as_ref().is_some_and(|u| is_moderator(u, &d.card.owner_kind, d.card.owner_id));
    Ok((d, published, moderator))
}

/// The whole report, for the PDF and the CSV.
pub async fn report(slug: &str) -> R<Report> {
    let st = state();
    let (d, published, moderator) = readable(slug).await?;
    let units = db::units(&st.db, d.card.id, d.current_version).await?;
    let mut rows = db::report_rows(&st.db, d.card.id, moderator).await?;
    report::attach_papers(&mut rows, db::papers_of(&st.db, d.card.id).await?);
    Ok(report::build(d, units, rows, published))
}

/// One page of the report page (`page` and `article` as the address gave them): the counts come
/// from SQL over every comment, the rows are the page's only.
pub async fn report_page(slug: &str, page: &str, article: &str) -> R<ReportPage> {
    let st = state();
    let (d, published, moderator) = readable(slug).await?;
    let units = db::units(&st.db, d.card.id, d.current_version).await?;
    let summary = paging::summarise(&units, db::report_counts(&st.db, d.card.id).await?);
    let article = paging::parse_article(article);
    let page = paging::clamp_page(paging::parse_page(page), paging::filtered_total(&summary, article));
    let mut rows =
        db::report_page_rows(&st.db, d.card.id, moderator, article, paging::PER_PAGE, paging::offset(page)).await?;
    if !rows.is_empty() {
        report::attach_papers(&mut rows, db::papers_of(&st.db, d.card.id).await?);
    }
    Ok(paging::build_page(d, published, &units, summary, article, page, rows))
}
