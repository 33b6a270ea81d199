//! The synthesis report (raport de consultare): per article, comments by stance and by answer, and
//! every comment with its register number, author, text, answer and justification — as a page,
//! a PDF in Romanian and a CSV. Also the organiser's page for answering comments.
use super::rules::{Answer, CommentStatus, Stance};
use super::*;
use crate::i18n::{fill, t, use_lang, Lang, K};
use crate::ui::form::{problem_of, ErrorSummary};
use crate::ui::{Notice, PageTitle};
use leptos::form::ActionForm;
use leptos_router::hooks::{use_params_map, use_query_map};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportRow {
    pub id: i64,
    pub reg_no: String,
    pub unit_position: i64,
    pub unit_label: String,
    pub paragraph: String,
    pub depth: i64,
    pub version: i64,
    pub author: String,
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
    pub paper: Option<files::FileInfo>,
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
        let s = match r.stance {
            Stance::For => 0,
            Stance::Against => 1,
            Stance::Neutral => 2,
        };
        self.stance[s] += 1;
        let a = match r.answer {
            Some(Answer::Accepted) => 0,
            Some(Answer::Partial) => 1,
            Some(Answer::Rejected) => 2,
            Some(Answer::Noted) => 3,
            None => 4,
        };
        self.answers[a] += 1;
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
            let label = if r.unit_position < 0 {
                String::new()
            } else {
                units
                    .iter()
                    .find(|u| u.position == r.unit_position)
                    .map(|u| if u.title.is_empty() { u.label.clone() } else { format!("{} – {}", u.label, u.title) })
                    .unwrap_or_else(|| r.unit_label.clone())
            };
            out.push(UnitReport { position: r.unit_position, label, counts: Counts::default(), rows: vec![] });
        }
        if let Some(u) = out.last_mut() {
            u.counts.add(&r);
            u.rows.push(r);
        }
    }
    Report { detail, published, totals, units: out }
}

fn status_text(lang: Lang, r: &ReportRow) -> String {
    match r.status {
        CommentStatus::Hidden => fill(lang.t(K::consultations_hidden_by_moderator), &[("reason", &r.status_reason)]),
        CommentStatus::Deleted => lang.t(K::consultations_deleted_by_author).to_string(),
        _ => String::new(),
    }
}

fn author_text(r: &ReportRow) -> String {
    if r.org_name.is_empty() {
        r.author.clone()
    } else {
        format!("{} ({})", r.org_name, r.author)
    }
}

/// The CSV of the report (UTF-8 with a BOM so spreadsheets read the diacritics).
#[cfg(feature = "ssr")]
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
            let scope = if r.unit_position < 0 { "general".to_string() } else { r.unit_position.to_string() };
            let link = format!("{base_url}/consultations/{slug}/comments?scope={scope}#c-{}", r.id);
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
                author_text(r),
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
                r.paper.as_ref().map(|f| format!("{base_url}{}", files::href(slug, f.id))).unwrap_or_default(),
            ]);
        }
    }
    table.finish()
}

#[cfg(feature = "ssr")]
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
            let mut head = format!("{} – {} – {}", r.reg_no, author_text(r), lang.t(r.stance.label()));
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
                    files::href(&d.card.slug, f.id)
                ));
            }
            let scope = if r.unit_position < 0 { "general".to_string() } else { r.unit_position.to_string() };
            doc.small(&format!("{base_url}/consultations/{}/comments?scope={scope}#c-{}", d.card.slug, r.id))
                .space(2.0);
        }
    }
    doc.render()
}

#[cfg(feature = "ssr")]
async fn load_for_download(slug: &str) -> Option<Report> {
    // Same access rule as the page: published reports for everyone, previews for organisers.
    super::server::report(slug).await.ok()
}

/// `GET /consultations/{slug}/report.csv`
#[cfg(feature = "ssr")]
pub async fn csv_file(
    axum::extract::State(st): axum::extract::State<crate::ssr::AppState>,
    axum::extract::Path(slug): axum::extract::Path<String>,
    req: ::http::Request<axum::body::Body>,
) -> axum::response::Response {
    download(st, slug, req, false).await
}

/// `GET /consultations/{slug}/report.pdf`
#[cfg(feature = "ssr")]
pub async fn pdf_file(
    axum::extract::State(st): axum::extract::State<crate::ssr::AppState>,
    axum::extract::Path(slug): axum::extract::Path<String>,
    req: ::http::Request<axum::body::Body>,
) -> axum::response::Response {
    download(st, slug, req, true).await
}

#[cfg(feature = "ssr")]
async fn download(
    st: crate::ssr::AppState,
    slug: String,
    req: ::http::Request<axum::body::Body>,
    as_pdf: bool,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let (parts, _) = req.into_parts();
    let owner = leptos::prelude::Owner::new();
    // The server-function helpers read the state and the session from the reactive context.
    let report = owner
        .with(|| {
            leptos::prelude::provide_context(st.clone());
            leptos::prelude::provide_context(parts);
            leptos::reactive::computed::ScopedFuture::new(async move { load_for_download(&slug).await })
        })
        .await;
    let Some(report) = report else {
        return (::http::StatusCode::NOT_FOUND, "not found").into_response();
    };
    let base = st.settings.public_url.trim_end_matches('/').to_string();
    let name = format!("raport-{}", report.detail.card.slug);
    if as_pdf {
        let bytes = tokio::task::spawn_blocking(move || pdf(&report, &base)).await;
        match bytes {
            Ok(Ok(b)) => (
                [
                    (::http::header::CONTENT_TYPE, "application/pdf".to_string()),
                    (::http::header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}.pdf\"")),
                ],
                b,
            )
                .into_response(),
            _ => ::http::StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        }
    } else {
        let text = csv(&report, &base, Lang::Ro);
        (
            [
                (::http::header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (::http::header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}.csv\"")),
            ],
            text,
        )
            .into_response()
    }
}

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
                                                let scope = if r.unit_position < 0 { "general".to_string() } else { r.unit_position.to_string() };
                                                let href = format!("/consultations/{slug}/comments?scope={scope}#c-{}", r.id);
                                                let status = status_text(lang, &r);
                                                let who = author_text(&r);
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

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AnswersPage {
    pub card: Card,
    pub items: Vec<ReportRow>,
    pub unanswered: i64,
    pub can_answer: bool,
    pub filter: String,
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
        {move || q.with(|q| q.get("answered").map(|n| view! { <Notice text=fill(t(K::consultations_answered_n), &[("n", &n)])/> }))}
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
                            <p role="status">{fill(t(K::consultations_unanswered_n), &[("n", &a.unanswered.to_string())])}</p>
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
                                            let who = author_text(r);
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
            <textarea id="f-justification" name="justification" rows="4" aria-describedby="f-justification-hint">{kept("justification")}</textarea>
        </div>
        {move || err("ids").map(|e| view! { <p class="field-error" id="f-ids">{e}</p> })}
    }
}

/// "Position paper: <name> (PDF, 1,2 MB)" with the download link.
#[component]
pub fn PaperLink(slug: String, f: files::FileInfo) -> impl IntoView {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: i64, pos: i64, stance: Stance, answer: Option<Answer>) -> ReportRow {
        ReportRow {
            id,
            reg_no: format!("CP-1/{id:05}"),
            unit_position: pos,
            unit_label: format!("Art. {pos}"),
            paragraph: String::new(),
            depth: 0,
            version: 1,
            author: "Ana".into(),
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

    fn detail() -> Detail {
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
        let text = csv(&r, "http://x", Lang::Ro);
        assert_eq!(text.lines().count(), 5);
        // Formula-looking cells are neutralised and quotes escaped.
        assert!(text.contains("\"'=HYPERLINK(\"\"x\"\"), \"\"citat\"\"\""), "{text}");
        assert!(text.contains("http://x/consultations/plan/comments?scope=3#c-2"));
    }
}
