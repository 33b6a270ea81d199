//! The synthesis report page (one page of 100 comments at a time, or one article's; the totals on
//! the first) and the organiser's page for answering comments.
use super::*;
use crate::consultations::rules::files::FileInfo;
use crate::consultations::rules::report::{author_text, status_text, Counts, ReportRow};
use crate::consultations::rules::report_page::{article_param, range, ReportPage as ReportData, Summary};
use crate::consultations::rules::{thread_href, Answer, CommentStatus};
use crate::ui::form::textarea_html;
use crate::ui::pager::pager;

#[component]
fn CountsRow(label: String, c: Counts) -> impl IntoView {
    view! {
        <tr>
            <th scope="row">{label}</th>
            {c.stance.iter().map(|n| view! { <td>{*n}</td> }).collect_view()}
            {c.answers.iter().map(|n| view! { <td>{*n}</td> }).collect_view()}
        </tr>
    }
}

/// The report page's address for a page of an article (or of every article).
fn report_href(slug: &str, article: Option<i64>, page: i64) -> String {
    let mut q = vec![];
    if let Some(a) = article {
        q.push(format!("article={}", article_param(a)));
    }
    if page > 1 {
        q.push(format!("page={page}"));
    }
    let q = if q.is_empty() { String::new() } else { format!("?{}", q.join("&")) };
    format!("/consultations/{slug}/report{q}")
}

/// An article's name in the reader's language (the whole draft has none of its own).
fn article_name(position: i64, label: &str) -> String {
    if position < 0 {
        t(K::consultations_whole_draft).to_string()
    } else {
        label.to_string()
    }
}

#[component]
pub fn ReportPage() -> impl IntoView {
    let params = use_params_map();
    let q = use_query_map();
    let key = move || {
        (
            params.with(|p| p.get("slug").unwrap_or_default()),
            q.with(|q| q.get("page").unwrap_or_default()),
            q.with(|q| q.get("article").unwrap_or_default()),
        )
    };
    let report = Resource::new(key, |(slug, page, article)| get_report(slug, page, article));
    let lang = use_lang();
    view! {
        <Transition fallback=|| {
            view! { <p>{t(K::loading)}</p> }
        }>
            {move || Suspend::new(async move {
                match report.await {
                    Err(e) => {
                        view! {
                            <PageTitle k=K::consultations_report_title />
                            <h1>{t(K::consultations_report_title)}</h1>
                            <p role="alert">{e.0.message(lang)}</p>
                        }
                            .into_any()
                    }
                    Ok(r) => report_view(r).into_any(),
                }
            })}
        </Transition>
    }
}

fn report_view(r: ReportData) -> impl IntoView {
    let slug = r.detail.card.slug.clone();
    let page_of = fill(t(K::pager_page_of), &[("n", &r.page.to_string()), ("total", &r.pages.to_string())]);
    let shown =
        r.article.and_then(|a| r.articles.iter().find(|(p, _, _)| *p == a)).map(|(p, l, _)| article_name(*p, l));
    let mut title = vec![t(K::consultations_report_title).to_string()];
    title.extend(shown.clone());
    if r.pages > 1 {
        title.push(page_of);
    }
    title.push(r.detail.card.title.clone());
    let (from, to) = range(r.page, r.total);
    let line = if r.total == 0 {
        t(K::consultations_report_none).to_string()
    } else {
        fill(
            t(K::consultations_report_range),
            &[("from", &from.to_string()), ("to", &to.to_string()), ("total", &r.total.to_string())],
        )
    };
    let article = r.article;
    let href = {
        let slug = slug.clone();
        move |p: i64| report_href(&slug, article, p)
    };
    let back = r.summary.is_none().then(|| {
        view! {
            <p>
                <a href=format!("/consultations/{slug}/report")>{t(K::consultations_report_totals_link)}</a>
            </p>
        }
    });
    view! {
        <crate::ui::DataTitle text=title.join(" · ") />
        <p class="breadcrumb">
            <a href=format!("/consultations/{slug}")>{r.detail.card.title.clone()}</a>
        </p>
        <h1>{t(K::consultations_report_title)} {shown.map(|s| format!(" · {s}"))}</h1>
        {(!r.published)
            .then(|| {
                view! {
                    <p class="notice" role="status">
                        {t(K::consultations_report_preview)}
                    </p>
                }
            })}
        <p>{t(K::consultations_owner)} ": " {r.detail.card.owner_name.clone()}</p>
        <p class="actions">
            <a class="button" href=format!("/consultations/{slug}/report.pdf") download>
                {t(K::consultations_report_pdf)}
            </a>
            " "
            <a class="button secondary" href=format!("/consultations/{slug}/report.csv") download>
                {t(K::consultations_report_csv)}
            </a>
        </p>
        {r.summary.map(|s| view! { <SummaryTable s /> })}
        <ArticleChooser slug=slug.clone() articles=r.articles current=r.article all=r.all />
        <p class="report-range">{line}</p>
        {back}
        {r
            .sections
            .into_iter()
            .map(|u| {
                let label = article_name(u.position, &u.label);
                let slug = slug.clone();
                view! {
                    <section class="report-unit">
                        <h2>{label}</h2>
                        <ol class="report-rows">
                            {u.rows.into_iter().map(|r| view! { <ReportItem slug=slug.clone() r /> }).collect_view()}
                        </ol>
                    </section>
                }
            })
            .collect_view()}
        {pager(t(K::consultations_report_pages).to_string(), r.page, r.pages, href)}
    }
}

/// The counts per article and the totals, over every comment (the first page only).
#[component]
fn SummaryTable(s: Summary) -> impl IntoView {
    view! {
        <h2>{t(K::consultations_report_summary)}</h2>
        <div class="table-wrap" tabindex="0" role="region" aria-label=t(K::consultations_report_summary)>
            <table class="data">
                <thead>
                    <tr>
                        <th scope="col">{t(K::consultations_report_unit)}</th>
                        <th scope="col">{t(K::consultations_stance_for)}</th>
                        <th scope="col">{t(K::consultations_stance_against)}</th>
                        <th scope="col">{t(K::consultations_stance_neutral)}</th>
                        <th scope="col">{t(K::consultations_answer_accepted)}</th>
                        <th scope="col">{t(K::consultations_answer_partial)}</th>
                        <th scope="col">{t(K::consultations_answer_rejected)}</th>
                        <th scope="col">{t(K::consultations_answer_noted)}</th>
                        <th scope="col">{t(K::consultations_unanswered)}</th>
                    </tr>
                </thead>
                <tbody>
                    {s
                        .articles
                        .into_iter()
                        .map(|a| {
                            view! { <CountsRow label=article_name(a.position, &a.label) c=a.counts /> }
                        })
                        .collect_view()} <CountsRow label=t(K::consultations_report_total).to_string() c=s.totals />
                </tbody>
            </table>
        </div>
    }
}

/// Which article's comments to read: a plain GET form (it works without JavaScript).
#[component]
fn ArticleChooser(slug: String, articles: Vec<(i64, String, i64)>, current: Option<i64>, all: i64) -> impl IntoView {
    (articles.len() > 1).then(|| {
        view! {
            <form class="report-chooser filters" method="get" action=format!("/consultations/{slug}/report")>
                <div class="field">
                    <label for="report-article">{t(K::consultations_report_article)}</label>
                    <select id="report-article" name="article">
                        <option value="" selected=current.is_none()>
                            {format!("{} ({all})", t(K::consultations_report_all_articles))}
                        </option>
                        {articles
                            .into_iter()
                            .map(|(p, label, n)| {
                                view! {
                                    <option value=article_param(p) selected=current == Some(p)>
                                        {format!("{} ({n})", article_name(p, &label))}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </div>
                <button type="submit" class="button secondary">
                    {t(K::consultations_report_show)}
                </button>
            </form>
        }
    })
}

/// One comment of the report: register number, author, stance, text (or why it is not shown), the
/// alternative wording, the position paper and the answer.
#[component]
fn ReportItem(slug: String, r: ReportRow) -> impl IntoView {
    let lang = use_lang();
    let href = format!("{}#c-{}", thread_href(&slug, r.unit_position), r.id);
    let status = status_text(lang, &r);
    let who = author_text(lang, &r);
    view! {
        <li class="report-row">
            <p class="meta">
                <a href=href>{r.reg_no.clone()}</a>
                " · "
                {who}
                " · "
                {t(r.stance.label())}
                {(!r.paragraph.is_empty()).then(|| format!(" · {}", r.paragraph))}
                {(r.depth > 0).then(|| format!(" · {}", t(K::consultations_reply)))}
            </p>
            {if status.is_empty() {
                view! { <p class="report-text">{r.body.clone()}</p> }.into_any()
            } else {
                view! { <p class="muted">{status}</p> }.into_any()
            }}
            {(!r.alternative.is_empty())
                .then(|| {
                    view! {
                        <p class="small">
                            <strong>{t(K::consultations_alternative)} ": "</strong>
                            {r.alternative.clone()}
                        </p>
                    }
                })}
            {r.paper.clone().map(|f| view! { <PaperLink slug=slug.clone() f /> })}
            <p class="answer-line">
                <strong>{t(K::consultations_answer)} ": "</strong>
                {r.answer.map(|a| t(a.label()).to_string()).unwrap_or_else(|| "—".into())}
                {(!r.answer_text.is_empty()).then(|| format!(" — {}", r.answer_text))}
            </p>
        </li>
    }
}

/// The organiser answers comments one by one or ticks several similar ones and answers them together.
#[component]
pub fn AnswersView() -> impl IntoView {
    let params = use_params_map();
    let q = use_query_map();
    let key =
        move || (params.with(|p| p.get("slug").unwrap_or_default()), q.with(|q| q.get("filter").unwrap_or_default()));
    let data = Resource::new(key, |(slug, filter)| get_answers(slug, filter));
    let action = ServerAction::<AnswerComments>::new();
    let p = problem_of(action);
    let lang = use_lang();
    view! {
        <PageTitle k=K::consultations_answers_title />
        {move || q.with(|q| q.get("answered").map(|n| view! { <Notice text=tn(K::consultations_answered_n, &n) /> }))}
        <Transition fallback=|| {
            view! { <p>{t(K::loading)}</p> }
        }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => {
                        view! {
                            <h1>{t(K::consultations_answers_title)}</h1>
                            <p role="alert">{e.0.message(lang)}</p>
                        }
                            .into_any()
                    }
                    Ok(a) => {
                        let slug = a.card.slug.clone();
                        let cid = a.card.id;
                        view! {
                            <p class="breadcrumb">
                                <a href=format!("/consultations/{slug}/manage")>{a.card.title.clone()}</a>
                            </p>
                            <h1>{t(K::consultations_answers_title)}</h1>
                            <p role="status">{tn(K::consultations_unanswered_n, a.unanswered)}</p>
                            <p>
                                <a href=format!(
                                    "/consultations/{slug}/answers",
                                )>{t(K::consultations_filter_unanswered)}</a>
                                " · "
                                <a href=format!(
                                    "/consultations/{slug}/answers?filter=all",
                                )>{t(K::consultations_filter_all)}</a>
                                " · "
                                <a href=format!("/consultations/{slug}/report")>{t(K::consultations_report_title)}</a>
                            </p>
                            {(!a.can_answer)
                                .then(|| view! { <p class="notice">{t(K::consultations_err_answer_phase)}</p> })}
                            <ActionForm action=action attr:class="form answers-form">
                                <ErrorSummary problem=p />
                                <input type="hidden" name="consultation_id" value=cid />
                                <fieldset class="field">
                                    <legend>{t(K::consultations_pick_comments)}</legend>
                                    <ul class="answer-items">
                                        {a
                                            .items
                                            .iter()
                                            .map(|r| {
                                                let id = format!("pick-{}", r.id);
                                                let who = author_text(lang, r);
                                                view! {
                                                    <li class="answer-item">
                                                        <div class="check">
                                                            <input
                                                                type="checkbox"
                                                                id=id.clone()
                                                                name="ids[]"
                                                                value=r.id
                                                            />
                                                            <label for=id>
                                                                {r.reg_no.clone()} " · "
                                                                {if r.unit_label.is_empty() {
                                                                    t(K::consultations_whole_draft).to_string()
                                                                } else {
                                                                    r.unit_label.clone()
                                                                }} " · " {who} " · " {t(r.stance.label())}
                                                            </label>
                                                        </div>
                                                        <p class="report-text">
                                                            {if r.status == CommentStatus::Hidden {
                                                                status_text(lang, r)
                                                            } else {
                                                                r.body.clone()
                                                            }}
                                                        </p>
                                                        {(!r.alternative.is_empty())
                                                            .then(|| {
                                                                view! {
                                                                    <p class="small">
                                                                        <strong>{t(K::consultations_alternative)} ": "</strong>
                                                                        {r.alternative.clone()}
                                                                    </p>
                                                                }
                                                            })}
                                                        {r
                                                            .answer
                                                            .map(|ans| {
                                                                view! {
                                                                    <p class="answer-line">
                                                                        <strong>{t(K::consultations_answer)} ": "</strong>
                                                                        {t(ans.label())}
                                                                        " "
                                                                        {r.answer_text.clone()}
                                                                    </p>
                                                                }
                                                            })}
                                                    </li>
                                                }
                                            })
                                            .collect_view()}
                                    </ul>
                                </fieldset>
                                <AnswerFields problem=p />
                                <button type="submit" class="button">
                                    {t(K::consultations_answer_submit)}
                                </button>
                            </ActionForm>
                        }
                            .into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// The answer kind and its justification (shared by the bulk form).
#[component]
fn AnswerFields(problem: Signal<Option<crate::error::Problem>>) -> impl IntoView {
    let lang = use_lang();
    let err =
        move |f: &'static str| problem.with(|p| p.as_ref().and_then(|p| p.form()).and_then(|s| s.error_for(f, lang)));
    let kept = move |f: &'static str| {
        problem.with(|p| p.as_ref().and_then(|p| p.kept()).and_then(|s| s.value_of(f))).unwrap_or_default()
    };
    view! {
        <fieldset class="field" id="f-answer">
            <legend>{t(K::consultations_answer)}</legend>
            {move || err("answer").map(|e| view! { <p class="field-error">{e}</p> })}
            {Answer::ALL
                .into_iter()
                .map(|a| {
                    let id = format!("answer-{}", a.code());
                    let on = kept("answer") == a.code();
                    view! {
                        <div class="check">
                            <input type="radio" id=id.clone() name="answer" value=a.code() checked=on />
                            <label for=id>{t(a.label())}</label>
                        </div>
                    }
                })
                .collect_view()}
        </fieldset>
        <div class="field" class:has-error=move || err("justification").is_some()>
            <label for="f-justification">{t(K::consultations_justification)}</label>
            <p class="hint" id="f-justification-hint">
                {t(K::consultations_justification_hint)}
            </p>
            {move || {
                err("justification")
                    .map(|e| {
                        view! {
                            <p class="field-error" id="f-justification-err">
                                {e}
                            </p>
                        }
                    })
            }}
            <textarea
                id="f-justification"
                name="justification"
                rows="4"
                aria-describedby="f-justification-hint"
                inner_html=textarea_html(kept("justification"))
            ></textarea>
        </div>
        {move || {
            err("ids")
                .map(|e| {
                    view! {
                        <p class="field-error" id="f-ids">
                            {e}
                        </p>
                    }
                })
        }}
    }
}

/// "Position paper: <name> (PDF, 1,2 MB)" with the download link.
#[component]
pub fn PaperLink(slug: String, f: FileInfo) -> impl IntoView {
    let lang = use_lang();
    let size = files::human_size(f.size, lang);
    view! {
        <p class="paper-link small">
            <strong>{t(K::consultations_paper)} ": "</strong>
            <a href=files::href(&slug, f.id) download>
                {f.name.clone()}
            </a>
            " ("
            <span>"PDF, " {size}</span>
            ")"
        </p>
    }
}
