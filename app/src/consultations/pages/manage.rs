//! The organiser's page.
use super::dates::DateForms;
use super::*;
use crate::ui::form::textarea_html;
use crate::ui::form::Field;

/// The organiser's page: Law 52 checks, the split to review and correct, state changes,
/// new versions, the public debate.
#[component]
pub fn ConsultationManage() -> impl IntoView {
    let params = use_params_map();
    let q = use_query_map();
    let slug = move || params.with(|p| p.get("slug").unwrap_or_default());
    let data = Resource::new(slug, |slug| get_consultation(slug, 0));
    let status = ServerAction::<ChangeStatus>::new();
    let resplit = ServerAction::<UpdateDraft>::new();
    let version = ServerAction::<NewVersion>::new();
    let debate = ServerAction::<ScheduleDebate>::new();
    let status_p = problem_of(status);
    let resplit_p = problem_of(resplit);
    let version_p = problem_of(version);
    let debate_p = problem_of(debate);
    let lang = use_lang();
    view! {
        <PageTitle k=K::consultations_manage />
        {move || q.with(|q| q.get("created").is_some()).then(|| view! { <Notice text=t(K::consultations_created) /> })}
        {move || {
            q.with(|q| q.get("split").is_some() || q.get("status").is_some() || q.get("debate").is_some())
                .then(|| view! { <Notice text=t(K::admin_saved) /> })
        }}
        {move || {
            q.with(|q| q.get("extended").is_some()).then(|| view! { <Notice text=t(K::consultations_extended) /> })
        }}
        {move || {
            q.with(|q| q.get("corrected").is_some()).then(|| view! { <Notice text=t(K::consultations_corrected) /> })
        }}
        {move || {
            q.with(|q| q.get("uploaded").is_some()).then(|| view! { <Notice text=t(K::consultations_file_uploaded) /> })
        }}
        {move || {
            q.with(|q| q.get("removed").is_some()).then(|| view! { <Notice text=t(K::consultations_file_removed) /> })
        }}
        <Transition fallback=|| {
            view! { <p>{t(K::loading)}</p> }
        }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => {
                        view! {
                            <h1>{t(K::consultations_manage)}</h1>
                            <p role="alert">{e.0.message(lang)}</p>
                        }
                            .into_any()
                    }
                    Ok(pg) if !pg.viewer.organiser => {
                        let _ = pg;
                        view! {
                            <h1>{t(K::consultations_manage)}</h1>
                            <p role="alert">{t(K::err_forbidden)}</p>
                        }
                            .into_any()
                    }
                    Ok(pg) => {
                        let d = pg.detail.clone();
                        let c = d.card.clone();
                        let slug = c.slug.clone();
                        let id = c.id;
                        let actions = rules::organiser_actions(c.status, c.phase);
                        let articles = pg.units.iter().filter(|u| u.kind == UnitKind::Article).count();
                        let is_draft = c.status == Status::Draft;
                        let can_version = matches!(c.phase, Phase::Open | Phase::Upcoming);
                        let draft_text = d.draft_text.clone();
                        let draft_text2 = d.draft_text.clone();
                        let qm = q.get_untracked();
                        let kept_title = qm.get("title").unwrap_or_default();
                        let kept_minutes_title = qm.get("minutes_title").unwrap_or_default();
                        let attachments: Vec<files::FileInfo> = pg
                            .files
                            .iter()
                            .filter(|f| f.kind == files::FileKind::Attachment)
                            .cloned()
                            .collect();
                        let minutes: Vec<files::FileInfo> = pg
                            .files
                            .iter()
                            .filter(|f| f.kind == files::FileKind::Minutes)
                            .cloned()
                            .collect();
                        let title_err = upload_error(&qm, "title");
                        let minutes_title_err = upload_error(&qm, "minutes_title");
                        view! {
                            <p class="breadcrumb">
                                <a href=format!("/consultations/{slug}")>{c.title.clone()}</a>
                            </p>
                            <h1>{t(K::consultations_manage)}</h1>
                            <p>
                                <span class=phase_class(c.phase)>{t(c.phase.label())}</span>
                            </p>
                            <h2>{t(K::consultations_law_checks)}</h2>
                            <LawBadges checks=pg.checks.clone() />
                            <p>
                                {tn(K::consultations_unanswered_n, pg.unanswered)} " · "
                                <a href=format!("/consultations/{slug}/answers")>{t(K::consultations_answers_title)}</a>
                                " · "
                                <a href=format!(
                                    "/consultations/moderation?consultation={slug}",
                                )>{t(K::consultations_queue_title)}</a> " · "
                                <a href=format!("/consultations/{slug}/report")>{t(K::consultations_report_title)}</a>
                            </p>
                            <ErrorSummary problem=status_p />
                            <div class="actions">
                                {actions
                                    .into_iter()
                                    .map(|(a, k)| {
                                        view! {
                                            <ActionForm action=status attr:class="inline-form">
                                                <input type="hidden" name="id" value=id />
                                                <input type="hidden" name="action" value=a />
                                                <button
                                                    type="submit"
                                                    class=if a == "withdraw" { "button danger" } else { "button" }
                                                >
                                                    {t(k)}
                                                </button>
                                            </ActionForm>
                                            " "
                                        }
                                    })
                                    .collect_view()}
                            </div>
                            <DateForms d=d.clone() />
                            <section aria-labelledby="files-h" id="files">
                                <h2 id="files-h">{t(K::consultations_attachments)}</h2>
                                {if attachments.is_empty() {
                                    view! { <p class="muted">{t(K::consultations_attachments_none)}</p> }.into_any()
                                } else {
                                    view! { <FileList slug=slug.clone() files=attachments remove=true /> }.into_any()
                                }}
                                <form
                                    method="post"
                                    action=format!("/consultations/{slug}/files")
                                    enctype="multipart/form-data"
                                    class="form"
                                    aria-labelledby="attach-h"
                                >
                                    <h3 id="attach-h">{t(K::consultations_attachment_add)}</h3>
                                    <input type="hidden" name="kind" value="attachment" />
                                    <div class="field" class:has-error=title_err.is_some()>
                                        <label for="f-file-title">{t(K::consultations_field_file_title)}</label>
                                        {title_err
                                            .clone()
                                            .map(|e| {
                                                view! {
                                                    <p class="field-error" id="f-file-title-err">
                                                        {e}
                                                    </p>
                                                }
                                            })}
                                        <input
                                            type="text"
                                            id="f-file-title"
                                            name="title"
                                            maxlength="116"
                                            value=kept_title
                                            aria-describedby=title_err.is_some().then_some("f-file-title-err")
                                        />
                                    </div>
                                    <FileInput
                                        name="file".to_string()
                                        label=K::consultations_field_pdf
                                        error=upload_error(&qm, "file")
                                    />
                                    <button type="submit" class="button secondary">
                                        {t(K::consultations_upload)}
                                    </button>
                                </form>
                            </section>
                            <h2 id="split">{t(K::consultations_split_review)}</h2>
                            <p role="status">{tn(K::consultations_split_count, articles)}</p>
                            <ol class="split-preview">
                                {pg
                                    .units
                                    .iter()
                                    .map(|u| {
                                        let kind = match u.kind {
                                            UnitKind::Preamble => t(K::consultations_preamble),
                                            UnitKind::Chapter => t(K::consultations_kind_chapter),
                                            UnitKind::Section => t(K::consultations_kind_section),
                                            UnitKind::Article => t(K::consultations_kind_article),
                                        };
                                        view! {
                                            <li>
                                                <strong>{kind} " " {u.label.clone()}</strong>
                                                " "
                                                {u.title.clone()}
                                                " — "
                                                {tn(K::consultations_paragraphs_n, u.paragraphs.len())}
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ol>
                            {is_draft
                                .then(|| {
                                    view! {
                                        <ActionForm action=resplit attr:class="form">
                                            <ErrorSummary problem=resplit_p />
                                            <input type="hidden" name="id" value=id />
                                            <div class="field">
                                                <label for="f-draft_text">{t(K::consultations_field_draft)}</label>
                                                <p class="hint" id="f-draft-hint">
                                                    {t(K::consultations_correct_hint)}
                                                </p>
                                                <textarea
                                                    id="f-draft_text"
                                                    name="draft_text"
                                                    rows="16"
                                                    aria-describedby="f-draft-hint"
                                                    inner_html=textarea_html(draft_text.clone())
                                                ></textarea>
                                            </div>
                                            <button type="submit" class="button secondary">
                                                {t(K::consultations_resplit)}
                                            </button>
                                        </ActionForm>
                                        <form
                                            method="post"
                                            action=format!("/consultations/{slug}/draft-file")
                                            enctype="multipart/form-data"
                                            class="form"
                                        >
                                            <FileInput
                                                name="draft_file".to_string()
                                                label=K::consultations_draft_file
                                                hint=K::consultations_draft_file_hint
                                                error=upload_error(&qm, "draft_file")
                                                accept=".txt,.md,.docx,text/plain,text/markdown,application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                                            />
                                            <button type="submit" class="button secondary">
                                                {t(K::consultations_draft_upload)}
                                            </button>
                                        </form>
                                    }
                                })}
                            {can_version
                                .then(|| {
                                    view! {
                                        <h2>{t(K::consultations_new_version)}</h2>
                                        <ActionForm action=version attr:class="form">
                                            <ErrorSummary problem=version_p />
                                            <input type="hidden" name="id" value=id />
                                            <div class="field">
                                                <label for="f-version-text">{t(K::consultations_field_draft)}</label>
                                                <textarea
                                                    id="f-version-text"
                                                    name="draft_text"
                                                    rows="12"
                                                    inner_html=textarea_html(draft_text2.clone())
                                                ></textarea>
                                            </div>
                                            <div class="field">
                                                <label for="f-changelog">{t(K::consultations_changelog)}</label>
                                                <textarea id="f-changelog" name="changelog" rows="3"></textarea>
                                            </div>
                                            <button type="submit" class="button secondary">
                                                {t(K::consultations_new_version)}
                                            </button>
                                        </ActionForm>
                                    }
                                })}
                            <h2>{t(K::consultations_debate)}</h2>
                            {(!pg.debate.requests.is_empty())
                                .then(|| {
                                    view! {
                                        <ul>
                                            {pg
                                                .debate
                                                .requests
                                                .iter()
                                                .map(|(o, r)| {
                                                    view! {
                                                        <li>
                                                            <strong>{o.clone()}</strong>
                                                            ": "
                                                            {r.clone()}
                                                        </li>
                                                    }
                                                })
                                                .collect_view()}
                                        </ul>
                                    }
                                })}
                            <ActionForm action=debate attr:class="form">
                                <ErrorSummary problem=debate_p />
                                <input type="hidden" name="id" value=id />
                                <Field problem=debate_p name="date" label=K::consultations_debate_date kind="date" />
                                <Field problem=debate_p name="time" label=K::consultations_debate_time kind="time" />
                                <Field
                                    problem=debate_p
                                    name="place"
                                    label=K::consultations_debate_place
                                    initial=pg.debate.place.clone()
                                />
                                <Field
                                    problem=debate_p
                                    name="online_url"
                                    label=K::consultations_debate_url
                                    kind="url"
                                    initial=pg.debate.online_url.clone()
                                />
                                <div class="field">
                                    <label for="f-minutes">{t(K::consultations_debate_minutes)}</label>
                                    <textarea
                                        id="f-minutes"
                                        name="minutes"
                                        rows="4"
                                        inner_html=textarea_html(pg.debate.minutes.clone())
                                    ></textarea>
                                </div>
                                <button type="submit" class="button secondary">
                                    {t(K::consultations_debate_save)}
                                </button>
                            </ActionForm>
                            <section aria-labelledby="minutes-h" id="minutes">
                                <h3 id="minutes-h">{t(K::consultations_minutes_file)}</h3>
                                {(!minutes.is_empty())
                                    .then(|| view! { <FileList slug=slug.clone() files=minutes remove=true /> })}
                                <form
                                    method="post"
                                    action=format!("/consultations/{slug}/files")
                                    enctype="multipart/form-data"
                                    class="form"
                                >
                                    <input type="hidden" name="kind" value="minutes" />
                                    <div class="field" class:has-error=minutes_title_err.is_some()>
                                        <label for="f-minutes-title">{t(K::consultations_field_file_title)}</label>
                                        {minutes_title_err
                                            .clone()
                                            .map(|e| {
                                                view! {
                                                    <p class="field-error" id="f-minutes-title-err">
                                                        {e}
                                                    </p>
                                                }
                                            })}
                                        <input
                                            type="text"
                                            id="f-minutes-title"
                                            name="title"
                                            maxlength="116"
                                            value=kept_minutes_title
                                            aria-describedby=minutes_title_err
                                                .is_some()
                                                .then_some("f-minutes-title-err")
                                        />
                                    </div>
                                    <FileInput
                                        name="minutes_file".to_string()
                                        label=K::consultations_field_pdf
                                        error=upload_error(&qm, "minutes_file")
                                    />
                                    <button type="submit" class="button secondary">
                                        {t(K::consultations_minutes_upload)}
                                    </button>
                                </form>
                            </section>
                        }
                            .into_any()
                    }
                }
            })}
        </Transition>
    }
}
