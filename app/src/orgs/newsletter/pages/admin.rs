//! The platform admin's newsletter desk: compose an issue for a segment, preview it, send a test,
//! send it, and follow what happened.
use super::super::rules::{topic_label, TOPICS};
use super::super::{admin_issues, CreateIssue, StartSending, TestSendIssue};
use crate::i18n::{fill, t, use_lang, K};
use crate::ui::form::{problem_of, ErrorSummary, Field, TextArea};
use crate::ui::{Notice, PageTitle};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AdminNewsletter() -> impl IntoView {
    let q = use_query_map();
    let create = ServerAction::<CreateIssue>::new();
    let test = ServerAction::<TestSendIssue>::new();
    let send = ServerAction::<StartSending>::new();
    let p = problem_of(create);
    let issues = Resource::new(|| (), |_| admin_issues());
    let lang = use_lang();
    let notice = move || {
        q.with(|q| {
            if q.get("saved").is_some() {
                Some(K::newsletter_admin_saved)
            } else if q.get("tested").is_some() {
                Some(K::newsletter_admin_tested)
            } else if q.get("sending").is_some() {
                Some(K::newsletter_admin_sending)
            } else {
                None
            }
        })
    };
    view! {
        <PageTitle k=K::newsletter_admin_title />
        <h1>{t(K::newsletter_admin_title)}</h1>
        {move || notice().map(|k| view! { <Notice text=t(k) /> })}
        <Transition fallback=|| {
            view! { <p>{t(K::loading)}</p> }
        }>
            {move || Suspend::new(async move {
                match issues.await {
                    Err(e) => view! { <p role="alert">{e.0.message(lang)}</p> }.into_any(),
                    Ok(list) => {
                        view! {
                            <section aria-labelledby="compose-h">
                                <h2 id="compose-h">{t(K::newsletter_admin_compose)}</h2>
                                <ActionForm action=create attr:class="form" attr:novalidate=true>
                                    <ErrorSummary problem=p />
                                    <Field problem=p name="subject" label=K::newsletter_admin_subject required=true />
                                    <TextArea problem=p name="body" label=K::stories_body hint=K::hint_markdown />
                                    <div class="field">
                                        <label for="f-topic">{t(K::newsletter_admin_segment)}</label>
                                        <select id="f-topic" name="topic">
                                            <option value="">{t(K::orgs_any)}</option>
                                            {TOPICS
                                                .iter()
                                                .map(|c| view! { <option value=*c>{t(topic_label(c))}</option> })
                                                .collect_view()}
                                        </select>
                                    </div>
                                    <Field problem=p name="county" label=K::field_county />
                                    <button type="submit" class="button">
                                        {t(K::newsletter_admin_save)}
                                    </button>
                                </ActionForm>
                            </section>
                            <section aria-labelledby="issues-h">
                                <h2 id="issues-h">{t(K::newsletter_admin_issues)}</h2>
                                <ul class="plain">
                                    {list
                                        .into_iter()
                                        .map(|i| {
                                            let counts = fill(
                                                t(K::newsletter_admin_counts),
                                                &[
                                                    ("sent", &i.sent.to_string()),
                                                    ("audience", &i.audience.to_string()),
                                                    ("unsub", &i.unsubscribed.to_string()),
                                                    ("bounced", &i.bounced.to_string()),
                                                ],
                                            );
                                            let draft = i.status == "draft";
                                            view! {
                                                <li class="mail">
                                                    <h3 class="mail-subject">{i.subject.clone()}</h3>
                                                    <p class="muted">{i.status.clone()} " · " {counts}</p>
                                                    <details>
                                                        <summary>{t(K::newsletter_admin_preview)}</summary>
                                                        <div class="prose" inner_html=i.html.clone()></div>
                                                    </details>
                                                    {draft
                                                        .then(|| {
                                                            view! {
                                                                <ActionForm action=test attr:class="inline-form">
                                                                    <input type="hidden" name="issue_id" value=i.id />
                                                                    <button type="submit" class="button secondary">
                                                                        {t(K::newsletter_admin_test)}
                                                                    </button>
                                                                </ActionForm>
                                                                " "
                                                                <ActionForm action=send attr:class="inline-form">
                                                                    <input type="hidden" name="issue_id" value=i.id />
                                                                    <button type="submit" class="button">
                                                                        {t(K::newsletter_admin_send)}
                                                                    </button>
                                                                </ActionForm>
                                                            }
                                                        })}
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                            </section>
                        }
                            .into_any()
                    }
                }
            })}
        </Transition>
    }
}
