//! The newsletter's public pages: sign-up, confirmation, and the preferences a signed link opens.
mod admin;

pub use admin::AdminNewsletter;

use super::rules::{topic_label, CONSENT_VERSION, TOPICS};
use super::{get_preferences, ConfirmSubscription, Subscribe, Unsubscribe, UpdatePreferences};
use crate::i18n::{t, use_lang, K};
use crate::ui::form::{problem_of, ErrorSummary, Field, Honeypot};
use crate::ui::{Notice, PageTitle};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
fn TopicChecks(problem: Signal<Option<crate::error::Problem>>, chosen: Vec<String>) -> impl IntoView {
    let lang = use_lang();
    let err = move || problem.with(|p| p.as_ref().and_then(|p| p.form()).and_then(|f| f.error_for("topics", lang)));
    view! {
        <fieldset class="field checks" id="f-topics">
            <legend>{t(K::newsletter_topics)}</legend>
            {move || {
                err()
                    .map(|e| {
                        view! {
                            <p class="field-error" id="f-topics-err">
                                {e}
                            </p>
                        }
                    })
            }}
            {TOPICS
                .iter()
                .map(|code| {
                    let id = format!("topic-{code}");
                    let on = chosen.iter().any(|c| c == code);
                    view! {
                        <div class="check">
                            <input id=id.clone() type="checkbox" name="topics[]" value=*code checked=on />
                            <label for=id>{t(topic_label(code))}</label>
                        </div>
                    }
                })
                .collect_view()}
        </fieldset>
    }
}

#[component]
pub fn NewsletterPage() -> impl IntoView {
    let q = use_query_map();
    let action = ServerAction::<Subscribe>::new();
    let p = problem_of(action);
    let lang = use_lang();
    let kept = move |f: &'static str| {
        p.with(|p| p.as_ref().and_then(|p| p.kept()).and_then(|s| s.value_of(f))).unwrap_or_default()
    };
    let consent_err = move || p.with(|p| p.as_ref().and_then(|p| p.form()).and_then(|f| f.error_for("consent", lang)));
    let chosen = {
        let k = kept("topics");
        if k.is_empty() {
            TOPICS.iter().map(|s| s.to_string()).collect()
        } else {
            k.split(',').map(str::to_string).collect::<Vec<_>>()
        }
    };
    view! {
        <PageTitle k=K::newsletter_title />
        <h1>{t(K::newsletter_title)}</h1>
        {move || q.with(|q| q.get("sent").is_some()).then(|| view! { <Notice text=t(K::newsletter_check_email) /> })}
        <p>{t(K::newsletter_intro)}</p>
        <ActionForm action=action attr:class="form" attr:novalidate=true>
            <ErrorSummary problem=p />
            <Field problem=p name="email" label=K::field_email kind="email" autocomplete="email" required=true />
            <TopicChecks problem=p chosen />
            <Field
                problem=p
                name="county"
                label=K::field_county
                autocomplete="address-level1"
                hint=K::newsletter_county_hint
            />
            <div class="field" class:has-error=move || consent_err().is_some()>
                {move || {
                    consent_err()
                        .map(|e| {
                            view! {
                                <p class="field-error" id="f-consent-err">
                                    {e}
                                </p>
                            }
                        })
                }}
                <div class="check">
                    <input id="f-consent" type="checkbox" name="consent" value="yes" aria-describedby="consent-text" />
                    <label for="f-consent">{t(K::newsletter_consent_label)}</label>
                </div>
                <p class="hint" id="consent-text">
                    {t(K::newsletter_consent_text)}
                    " ("
                    {CONSENT_VERSION}
                    ")"
                </p>
            </div>
            <Honeypot />
            <button type="submit" class="button">
                {t(K::newsletter_subscribe)}
            </button>
        </ActionForm>
    }
}

#[component]
pub fn ConfirmPage() -> impl IntoView {
    let q = use_query_map();
    let token = move || q.with(|q| q.get("token").unwrap_or_default());
    let action = ServerAction::<ConfirmSubscription>::new();
    let p = problem_of(action);
    view! {
        <PageTitle k=K::newsletter_confirm_title />
        <h1>{t(K::newsletter_confirm_title)}</h1>
        <ActionForm action=action attr:class="form">
            <ErrorSummary problem=p />
            <input type="hidden" name="token" value=token />
            <button type="submit" class="button">
                {t(K::newsletter_confirm_button)}
            </button>
        </ActionForm>
    }
}

#[component]
pub fn PreferencesPage() -> impl IntoView {
    let q = use_query_map();
    let token = move || q.with(|q| q.get("token").unwrap_or_default());
    let prefs = Resource::new(token, get_preferences);
    let update = ServerAction::<UpdatePreferences>::new();
    let unsub = ServerAction::<Unsubscribe>::new();
    let pu = problem_of(update);
    let lang = use_lang();
    let notice = move || {
        q.with(|q| {
            if q.get("confirmed").is_some() {
                Some(K::newsletter_confirmed)
            } else if q.get("unsubscribed").is_some() {
                Some(K::newsletter_unsubscribed)
            } else if q.get("saved").is_some() {
                Some(K::newsletter_saved)
            } else {
                None
            }
        })
    };
    view! {
        <PageTitle k=K::newsletter_preferences />
        <h1>{t(K::newsletter_preferences)}</h1>
        {move || notice().map(|k| view! { <Notice text=t(k) /> })}
        <Transition fallback=|| {
            view! { <p>{t(K::loading)}</p> }
        }>
            {move || Suspend::new(async move {
                match prefs.await {
                    Err(e) => view! { <p role="alert">{e.0.message(lang)}</p> }.into_any(),
                    Ok(pr) => {
                        let status = match pr.status.as_str() {
                            "confirmed" => t(K::newsletter_status_confirmed),
                            "unsubscribed" => t(K::newsletter_status_unsubscribed),
                            _ => t(K::newsletter_status_pending),
                        };
                        let active = pr.status != "unsubscribed";
                        view! {
                            <p>{t(K::field_email)} ": " <strong>{pr.email.clone()}</strong> " · " {status}</p>
                            <ActionForm action=update attr:class="form" attr:novalidate=true>
                                <ErrorSummary problem=pu />
                                <input type="hidden" name="token" value=token />
                                <TopicChecks problem=pu chosen=pr.topics.clone() />
                                <Field problem=pu name="county" label=K::field_county initial=pr.county.clone() />
                                <button type="submit" class="button">
                                    {t(K::newsletter_save)}
                                </button>
                            </ActionForm>
                            {active
                                .then(|| {
                                    view! {
                                        <ActionForm action=unsub attr:class="form">
                                            <input type="hidden" name="token" value=token />
                                            <button type="submit" class="button danger">
                                                {t(K::newsletter_unsubscribe)}
                                            </button>
                                        </ActionForm>
                                    }
                                })}
                        }
                            .into_any()
                    }
                }
            })}
        </Transition>
    }
}
