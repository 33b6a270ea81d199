//! The pages of consultations, one file per page: the list (and the organisation's section), a
//! consultation with its draft, creating one, the organiser's page (and its dates' forms), a thread of comments, the
//! moderation queue and log, the answers and the report. What several pages share is here.
use super::rules::files;
use super::rules::law52::{Check, CheckResult};
use super::rules::split::UnitKind;
use super::rules::{topic_label, Phase, Status, TOPICS};
use super::*;
use crate::i18n::{fill, t, tn, use_lang, K};
use crate::ui::form::{problem_of, ErrorSummary};
use crate::ui::icons::{Icon, IconName};
use crate::ui::{Notice, PageTitle};
use leptos::form::ActionForm;
use leptos_router::hooks::{use_params_map, use_query_map};

mod comment;
mod dates;
mod detail;
mod list;
mod manage;
mod moderation;
mod new;
mod report;
mod thread;

pub use detail::ConsultationDetail;
pub use list::{ConsultationList, OrgConsultations, UnsubscribePage};
pub use manage::ConsultationManage;
pub use moderation::{LogPage, QueuePage};
pub use new::ConsultationNew;
pub use report::{AnswersView, PaperLink, ReportPage};
pub use thread::ThreadView;

fn phase_class(p: Phase) -> &'static str {
    match p {
        Phase::Open => "tag phase-open",
        Phase::Upcoming | Phase::Draft => "tag",
        _ => "tag phase-closed",
    }
}

fn check_text(c: &CheckResult) -> String {
    match c.check {
        Check::CommentWindow => fill(&tn(K::consultations_check_window, c.days), &[("min", &c.required.to_string())]),
        Check::Notice => fill(&tn(K::consultations_check_notice, c.days), &[("min", &c.required.to_string())]),
        Check::Urgency => t(K::consultations_check_urgency).to_string(),
    }
}

#[component]
fn LawBadges(checks: Vec<CheckResult>) -> impl IntoView {
    view! {
        <ul class="law-badges" aria-label=t(K::consultations_law_checks)>
            {checks
                .into_iter()
                .map(|c| {
                    let cls = if c.ok { "tag law-ok" } else { "tag law-bad" };
                    let mark = if c.ok { IconName::Check } else { IconName::Cross };
                    let state = if c.ok { t(K::consultations_check_ok) } else { t(K::consultations_check_bad) };
                    view! {
                        <li class=cls>
                            <Icon name=mark />
                            " "
                            <span class="visually-hidden">{state} ": "</span>
                            {check_text(&c)}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

#[component]
pub fn ConsultationCard(c: Card) -> impl IntoView {
    let lang = use_lang();
    let href = format!("/consultations/{}", c.slug);
    let place =
        [c.locality.clone(), c.county.clone()].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(", ");
    let topics = c.topics.iter().map(|x| t(topic_label(x))).collect::<Vec<_>>().join(" · ");
    let window = format!("{} – {}", crate::fmt::date(lang, c.opens_at), crate::fmt::date(lang, c.closes_at));
    view! {
        <li class="card">
            <h2 class="card-title">
                <a href=href>{c.title}</a>
            </h2>
            <p>
                <span class=phase_class(c.phase)>{t(c.phase.label())}</span>
                {c
                    .is_demo
                    .then(|| {
                        view! {
                            " "
                            <span class="tag">{t(K::demo_badge)}</span>
                        }
                    })}
            </p>
            <p class="muted">{c.owner_name} " · " {place}</p>
            <p>{c.summary}</p>
            <p class="muted small">
                {t(K::consultations_window)} ": " {window} " · " {tn(K::consultations_comment_count, c.comments)}
            </p>
            <p class="muted small">{topics}</p>
        </li>
    }
}

/// The files of a consultation as a list: name (a download link), PDF, size.
#[component]
pub fn FileList(slug: String, files: Vec<files::FileInfo>, #[prop(optional)] remove: bool) -> impl IntoView {
    let lang = use_lang();
    view! {
        <ul class="file-list">
            {files
                .into_iter()
                .map(|f| {
                    let size = files::human_size(f.size, lang);
                    let del = format!("/consultations/{slug}/files/{}/delete", f.id);
                    let label = format!("{} {}", t(K::consultations_remove_file), f.name);
                    view! {
                        <li>
                            <a href=files::href(&slug, f.id) download>
                                {f.name.clone()}
                            </a>
                            " "
                            <span class="muted small">"(PDF, " {size} ")"</span>
                            {remove
                                .then(|| {
                                    view! {
                                        " "
                                        <form method="post" action=del class="inline-form">
                                            <button type="submit" class="link-button danger" aria-label=label>
                                                {t(K::consultations_remove_file)}
                                            </button>
                                        </form>
                                    }
                                })}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

/// A file input of a plain multipart form, with its translated error (from `?error=field:code`).
#[component]
pub fn FileInput(
    name: String,
    /// The input's id when a page holds several forms with the same field name.
    #[prop(optional)]
    id: Option<String>,
    label: K,
    #[prop(optional)] hint: Option<K>,
    #[prop(optional_no_strip)] error: Option<String>,
    #[prop(default = "application/pdf,.pdf")] accept: &'static str,
) -> impl IntoView {
    let id = id.unwrap_or_else(|| format!("f-{name}"));
    let hint_id = format!("{id}-hint");
    let err_id = format!("{id}-err");
    let described = [hint.map(|_| hint_id.clone()), error.as_ref().map(|_| err_id.clone())]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let invalid = error.is_some().then_some("true");
    let has_error = error.is_some();
    view! {
        <div class="field" class:has-error=has_error>
            <label for=id.clone()>{t(label)}</label>
            {hint
                .map(|h| {
                    view! {
                        <p class="hint" id=hint_id.clone()>
                            {t(h)}
                        </p>
                    }
                })}
            {error
                .map(|e| {
                    view! {
                        <p class="field-error" id=err_id.clone()>
                            {e}
                        </p>
                    }
                })}
            <input
                type="file"
                id=id
                name=name
                accept=accept
                aria-describedby=(!described.is_empty()).then_some(described)
                aria-invalid=invalid
            />
        </div>
    }
}

/// The translated problem of `field` in the `error` query value, if any.
pub fn upload_error(q: &leptos_router::params::ParamsMap, field: &str) -> Option<String> {
    crate::ui::form::query_error(q, field).map(|code| t(files::problem_key(&code)).to_string())
}
