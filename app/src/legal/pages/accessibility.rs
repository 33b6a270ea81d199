//! `/accessibility`: the statement on the EU model (Implementing Decision (EU) 2018/1523; in
//! Romania OUG 112/2018) — compliance status against WCAG 2.2 AA, known gaps, how it was prepared,
//! the feedback form (a plain form that works without JavaScript) and the enforcement procedure.
use super::{contact, items, paras, rules, OperatorFacts, Part, WithInfo};
use crate::i18n::{t, use_lang, K};
use crate::legal::{PublicInfo, SendAccessibilityFeedback};
use crate::ui::form::{problem_of, ErrorSummary, Field, Honeypot, TextArea};
use crate::ui::{Notice, PageTitle};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AccessibilityPage() -> impl IntoView {
    view! {
        <PageTitle k=K::legal_a11y_title />
        <div class="prose">
            <h1>{t(K::legal_a11y_title)}</h1>
            <WithInfo render=|i| view! { <Statement info=i /> }.into_any() />
        </div>
    }
}

#[component]
fn Statement(info: PublicInfo) -> impl IntoView {
    let lang = use_lang();
    let operator =
        if info.name.is_empty() { lang.t(K::legal_operator_this_platform).to_string() } else { info.name.clone() };
    let dates =
        [("prepared", rules::day(lang, rules::PREPARED_ON)), ("reviewed", rules::day(lang, rules::REVIEWED_ON))];
    view! {
        <p class="lead">{lang.tf(K::legal_a11y_intro, &[("operator", &operator), ("url", &info.public_url)])}</p>
        <Part id="a-status" title=K::legal_a11y_status_h>
            {paras(&[K::legal_a11y_status])}
        </Part>
        <Part id="a-gaps" title=K::legal_a11y_gaps_h>
            <p>{t(K::legal_a11y_gaps_intro)}</p>
            {items(&[K::legal_a11y_gap_tiles, K::legal_a11y_gap_clusters, K::legal_a11y_gap_pdf])}
            <h3>{t(K::legal_a11y_exempt_h)}</h3>
            <p>{t(K::legal_a11y_exempt)}</p>
        </Part>
        <Part id="a-prep" title=K::legal_a11y_prep_h>
            <p>{lang.tf(K::legal_a11y_prep, &[("prepared", &dates[0].1), ("reviewed", &dates[1].1)])}</p>
        </Part>
        <Part id="feedback" title=K::legal_a11y_feedback_h>
            <p>{lang.tf(K::legal_a11y_feedback, &[("email", &contact(&info))])}</p>
            <OperatorFacts info=info.clone() />
            <FeedbackForm />
        </Part>
        <Part id="a-enforce" title=K::legal_a11y_enforce_h>
            <p>{t(K::legal_a11y_enforce)} " " <a href="https://www.adr.gov.ro">"www.adr.gov.ro"</a></p>
        </Part>
    }
}

#[component]
fn FeedbackForm() -> impl IntoView {
    let q = use_query_map();
    let action = ServerAction::<SendAccessibilityFeedback>::new();
    let p = problem_of(action);
    let sent = move || q.with(|q| q.get("sent").is_some()) && p.with(|p| p.is_none());
    view! {
        <h3 id="feedback-form">{t(K::legal_a11y_form_h)}</h3>
        {move || sent().then(|| view! { <Notice text=t(K::legal_a11y_sent) /> })}
        <ActionForm action=action attr:class="form" attr:novalidate=true attr:aria-labelledby="feedback-form">
            <ErrorSummary problem=p />
            <Field problem=p name="name" label=K::legal_a11y_field_name autocomplete="name" />
            <Field
                problem=p
                name="email"
                label=K::legal_a11y_field_email
                kind="email"
                autocomplete="email"
                hint=K::legal_a11y_field_email_hint
            />
            <Field problem=p name="page" label=K::legal_a11y_field_page hint=K::legal_a11y_field_page_hint />
            <TextArea
                problem=p
                name="description"
                label=K::legal_a11y_field_description
                hint=K::legal_a11y_field_description_hint
            />
            <Honeypot />
            <button type="submit" class="button">
                {t(K::legal_a11y_submit)}
            </button>
        </ActionForm>
    }
}
