//! A consultation's dates after creation: the organiser's forms (extend the comment window, correct
//! the dates), the public announcement of the last extension and the history of changes.
use super::*;
use crate::consultations::rules::dates::{ChangeKind, DateField};
use crate::i18n::Lang;
use crate::ui::form::{Field, TextArea};

/// "2026-03-20": the Bucharest day of an instant, as a date input wants it.
fn input_date(utc: i64) -> String {
    let (y, m, d, _, _) = crate::fmt::bucharest_parts(utc);
    format!("{y:04}-{m:02}-{d:02}")
}

/// A changed value as people read it: the last day with its closing time, the other dates as days.
fn shown(lang: Lang, field: Option<DateField>, value: Option<i64>) -> String {
    match (field, value) {
        (_, None) => "—".into(),
        (Some(DateField::Closes), Some(v)) => crate::fmt::date_time(lang, v),
        (_, Some(v)) => crate::fmt::date(lang, v),
    }
}

/// The organiser's two forms: extending the window (published and still open) and correcting
/// the dates (a draft, or while the window runs). Every field name, so every id, is their own.
#[component]
pub fn DateForms(d: Detail) -> impl IntoView {
    let extend = ServerAction::<ExtendWindow>::new();
    let correct = ServerAction::<CorrectDates>::new();
    let extend_p = problem_of(extend);
    let correct_p = problem_of(correct);
    let c = d.card.clone();
    let running = c.status == Status::Open && matches!(c.phase, Phase::Open | Phase::Upcoming);
    let can_extend = running;
    let can_correct = c.status == Status::Draft || running;
    let id = c.id;
    let (opens, closes) = (input_date(c.opens_at), input_date(c.closes_at));
    let adoption = d.adoption_at.map(input_date).unwrap_or_default();
    (can_extend || can_correct).then(|| {
        view! {
            <section aria-labelledby="dates-h" id="dates">
                {can_extend
                    .then(|| {
                        view! {
                            <h2 id="dates-h">{t(K::consultations_extend)}</h2>
                            <p class="hint">{t(K::consultations_extend_hint)}</p>
                            <ActionForm action=extend attr:class="form" attr:id="extend-form">
                                <ErrorSummary problem=extend_p />
                                <input type="hidden" name="id" value=id />
                                <Field
                                    problem=extend_p
                                    name="ext_closes_on"
                                    label=K::consultations_field_ext_closes
                                    kind="date"
                                    hint=K::consultations_field_closes_hint
                                    required=true
                                />
                                <Field
                                    problem=extend_p
                                    name="ext_adoption_on"
                                    label=K::consultations_field_ext_adoption
                                    kind="date"
                                    hint=K::consultations_field_ext_adoption_hint
                                />
                                <TextArea
                                    problem=extend_p
                                    name="ext_reason"
                                    label=K::consultations_field_change_reason
                                    hint=K::consultations_field_change_reason_hint
                                />
                                <button type="submit" class="button">
                                    {t(K::consultations_extend_submit)}
                                </button>
                            </ActionForm>
                        }
                    })}
                {can_correct
                    .then(|| {
                        let heading = if can_extend { None } else { Some("dates-h") };
                        view! {
                            <h2 id=heading>{t(K::consultations_correct_dates)}</h2>
                            <p class="hint">{t(K::consultations_correct_dates_hint)}</p>
                            <ActionForm action=correct attr:class="form" attr:id="correct-form">
                                <ErrorSummary problem=correct_p />
                                <input type="hidden" name="id" value=id />
                                <Field
                                    problem=correct_p
                                    name="fix_opens_on"
                                    label=K::consultations_field_opens
                                    kind="date"
                                    initial=opens.clone()
                                />
                                <Field
                                    problem=correct_p
                                    name="fix_closes_on"
                                    label=K::consultations_field_closes
                                    kind="date"
                                    hint=K::consultations_field_closes_hint
                                    initial=closes.clone()
                                />
                                <Field
                                    problem=correct_p
                                    name="fix_adoption_on"
                                    label=K::consultations_adoption
                                    kind="date"
                                    hint=K::consultations_field_adoption_hint
                                    initial=adoption.clone()
                                />
                                <TextArea
                                    problem=correct_p
                                    name="fix_reason"
                                    label=K::consultations_field_change_reason
                                    hint=K::consultations_field_change_reason_hint
                                />
                                <button type="submit" class="button secondary">
                                    {t(K::consultations_correct_dates_submit)}
                                </button>
                            </ActionForm>
                        }
                    })}
            </section>
        }
    })
}

/// The announcement of the latest extension of the comment window, if there was one.
#[component]
pub fn ExtensionNotice(changes: Vec<DateChange>) -> impl IntoView {
    let lang = use_lang();
    let last = changes
        .into_iter()
        .rev()
        .find(|c| c.kind == ChangeKind::Extension.code() && c.field == DateField::Closes.code());
    last.and_then(|c| {
        let until = c.new_value?;
        let text = fill(
            t(K::consultations_extended_notice),
            &[("date", &crate::fmt::date_time(lang, until)), ("reason", &c.reason)],
        );
        Some(view! {
            <p class="notice" id="extension-notice">
                {text}
            </p>
        })
    })
}

/// The public history of the dates' changes (nothing when the dates never changed).
#[component]
pub fn DateHistory(changes: Vec<DateChange>) -> impl IntoView {
    let lang = use_lang();
    (!changes.is_empty()).then(|| {
        view! {
            <section aria-labelledby="date-history-h" id="date-history">
                <h2 id="date-history-h">{t(K::consultations_date_history)}</h2>
                <p class="muted">{t(K::consultations_date_history_intro)}</p>
                <ul class="date-history">
                    {changes
                        .into_iter()
                        .map(|c| {
                            let field = DateField::parse(&c.field);
                            let kind = ChangeKind::parse(&c.kind).map(|k| t(k.label())).unwrap_or_default();
                            let label = field.map(|f| t(f.label())).unwrap_or_default();
                            view! {
                                <li>
                                    <time datetime=crate::fmt::iso_utc(
                                        c.created_at,
                                    )>{crate::fmt::date_time(lang, c.created_at)}</time>
                                    " · "
                                    {kind}
                                    " · "
                                    <strong>{label}</strong>
                                    ": "
                                    {shown(lang, field, c.old_value)}
                                    " → "
                                    {shown(lang, field, c.new_value)}
                                    " — "
                                    {t(K::consultations_date_history_reason)}
                                    ": "
                                    {c.reason.clone()}
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </section>
        }
    })
}
