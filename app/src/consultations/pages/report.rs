//! The synthesis report page and the organiser's page for answering comments.
use super::*;
use crate::consultations::rules::files::FileInfo;
use crate::consultations::rules::report::{author_text, status_text, Counts};
use crate::consultations::rules::{thread_href, Answer, CommentStatus};
use crate::ui::form::textarea_html;

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

#[component]
pub fn ReportPage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.with(|p| p.get("slug").unwrap_or_default());
    let report = Resource::new(slug, get_report);
    let lang = use_lang();
    view! {
        <Transition fallback=|| view! { <p>{t(K::loading)}</p> }>
            {move || Suspend::new(async move {
                match report.await {
                    Err(e) => view! { <PageTitle k=K::consultations_report_title/><h1>{t(K::consultations_report_title)}</h1><p role="alert">{e.0.message(lang)}</p> }.into_any(),
                    Ok(r) => {
                        let slug = r.detail.card.slug.clone();
                        let title = format!("{} · {}", t(K::consultations_report_title), r.detail.card.title);
                        let totals = r.totals.clone();
                        view! {
                            <crate::ui::DataTitle text=title/>
                            <p class="breadcrumb"><a href=format!("/consultations/{slug}")>{r.detail.card.title.clone()}</a></p>
                            <h1>{t(K::consultations_report_title)}</h1>
                            {(!r.published).then(|| view! { <p class="notice" role="status">{t(K::consultations_report_preview)}</p> })}
                            <p>{t(K::consultations_owner)} ": " {r.detail.card.owner_name.clone()}</p>
                            <p class="actions">
                                <a class="button" href=format!("/consultations/{slug}/report.pdf") download>{t(K::consultations_report_pdf)}</a>
                                " "
                                <a class="button secondary" href=format!("/consultations/{slug}/report.csv") download>{t(K::consultations_report_csv)}</a>
                            </p>
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
                                        {r.units.iter().map(|u| {
                                            let label = if u.position < 0 { t(K::consultations_whole_draft).to_string() } else { u.label.clone() };
                                            view! { <CountsRow label c=u.counts.clone()/> }
                                        }).collect_view()}
                                        <CountsRow label=t(K::consultations_report_total).to_string() c=totals/>
                                    </tbody>
                                </table>
                            </div>
                            {r.units.into_iter().map(|u| {
                                let label = if u.position < 0 { t(K::consultations_whole_draft).to_string() } else { u.label.clone() };
                                let slug = slug.clone();
                                view! {
                                    <section class="report-unit">
                                        <h2>{label}</h2>
                                        <ol class="report-rows">
                                            {u.rows.into_iter().map(|r| {
                                                let href = format!("{}#c-{}", thread_href(&slug, r.unit_position), r.id);
                                                let status = status_text(lang, &r);
                                                let who = author_text(lang, &r);
                                                view! {
                                                    <li class="report-row">
                                                        <p class="meta"><a href=href>{r.reg_no.clone()}</a> " · " {who} " · " {t(r.stance.label())}
                                                            {(!r.paragraph.is_empty()).then(|| format!(" · {}", r.paragraph))}
                                                            {(r.depth > 0).then(|| format!(" · {}", t(K::consultations_reply)))}
                                                        </p>
                                                        {if status.is_empty() {
                                                            view! { <p class="report-text">{r.body.clone()}</p> }.into_any()
                                                        } else {
                                                            view! { <p class="muted">{status}</p> }.into_any()
                                                        }}
                                                        {(!r.alternative.is_empty()).then(|| view! { <p class="small"><strong>{t(K::consultations_alternative)} ": "</strong>{r.alternative.clone()}</p> })}
                                                        {r.paper.clone().map(|f| view! { <PaperLink slug=slug.clone() f/> })}
                                                        <p class="answer-line"><strong>{t(K::consultations_answer)} ": "</strong>
                                                            {r.answer.map(|a| t(a.label()).to_string()).unwrap_or_else(|| "—".into())}
                                                            {(!r.answer_text.is_empty()).then(|| format!(" — {}", r.answer_text))}
                                                        </p>
                                                    </li>
                                                }
                                            }).collect_view()}
                                        </ol>
                                    </section>
                                }
                            }).collect_view()}
                        }
                        .into_any()
                    }
                }
            })}
        </Transition>
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
        <PageTitle k=K::consultations_answers_title/>
        {move || q.with(|q| q.get("answered").map(|n| view! { <Notice text=tn(K::consultations_answered_n, &n)/> }))}
        <Transition fallback=|| view! { <p>{t(K::loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <h1>{t(K::consultations_answers_title)}</h1><p role="alert">{e.0.message(lang)}</p> }.into_any(),
                    Ok(a) => {
                        let slug = a.card.slug.clone();
                        let cid = a.card.id;
                        view! {
                            <p class="breadcrumb"><a href=format!("/consultations/{slug}/manage")>{a.card.title.clone()}</a></p>
                            <h1>{t(K::consultations_answers_title)}</h1>
                            <p role="status">{tn(K::consultations_unanswered_n, a.unanswered)}</p>
                            <p>
                                <a href=format!("/consultations/{slug}/answers")>{t(K::consultations_filter_unanswered)}</a> " · "
                                <a href=format!("/consultations/{slug}/answers?filter=all")>{t(K::consultations_filter_all)}</a> " · "
                                <a href=format!("/consultations/{slug}/report")>{t(K::consultations_report_title)}</a>
                            </p>
                            {(!a.can_answer).then(|| view! { <p class="notice">{t(K::consultations_err_answer_phase)}</p> })}
                            <ActionForm action=action attr:class="form answers-form">
                                <ErrorSummary problem=p/>
                                <input type="hidden" name="consultation_id" value=cid/>
                                <fieldset class="field">
                                    <legend>{t(K::consultations_pick_comments)}</legend>
                                    <ul class="answer-items">
                                        {a.items.iter().map(|r| {
                                            let id = format!("pick-{}", r.id);
                                            let who = author_text(lang, r);
                                            view! {
                                                <li class="answer-item">
                                                    <div class="check">
                                                        <input type="checkbox" id=id.clone() name="ids[]" value=r.id/>
                                                        <label for=id>{r.reg_no.clone()} " · " {if r.unit_label.is_empty() { t(K::consultations_whole_draft).to_string() } else { r.unit_label.clone() }} " · " {who} " · " {t(r.stance.label())}</label>
                                                    </div>
                                                    <p class="report-text">{if r.status == CommentStatus::Hidden { status_text(lang, r) } else { r.body.clone() }}</p>
                                                    {(!r.alternative.is_empty()).then(|| view! { <p class="small"><strong>{t(K::consultations_alternative)} ": "</strong>{r.alternative.clone()}</p> })}
                                                    {r.answer.map(|ans| view! { <p class="answer-line"><strong>{t(K::consultations_answer)} ": "</strong>{t(ans.label())} " " {r.answer_text.clone()}</p> })}
                                                </li>
                                            }
                                        }).collect_view()}
                                    </ul>
                                </fieldset>
                                <AnswerFields problem=p/>
                                <button type="submit" class="button">{t(K::consultations_answer_submit)}</button>
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
            {Answer::ALL.into_iter().map(|a| {
                let id = format!("answer-{}", a.code());
                let on = kept("answer") == a.code();
                view! {
                    <div class="check">
                        <input type="radio" id=id.clone() name="answer" value=a.code() checked=on/>
                        <label for=id>{t(a.label())}</label>
                    </div>
                }
            }).collect_view()}
        </fieldset>
        <div class="field" class:has-error=move || err("justification").is_some()>
            <label for="f-justification">{t(K::consultations_justification)}</label>
            <p class="hint" id="f-justification-hint">{t(K::consultations_justification_hint)}</p>
            {move || err("justification").map(|e| view! { <p class="field-error" id="f-justification-err">{e}</p> })}
            <textarea id="f-justification" name="justification" rows="4" aria-describedby="f-justification-hint" inner_html=textarea_html(kept("justification"))></textarea>
        </div>
        {move || err("ids").map(|e| view! { <p class="field-error" id="f-ids">{e}</p> })}
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
            <a href=files::href(&slug, f.id) download>{f.name.clone()}</a>
            " (" <span>"PDF, " {size}</span> ")"
        </p>
    }
}
