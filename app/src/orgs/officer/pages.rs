//! The contact on pages: the officer's line (authority and consultation pages), the link to the
//! edit page for those who may edit, and the edit page itself (`/authorities/:slug/contact`).
use super::rules::{mailto_href, tel_href};
use super::{authority_contact_form, Officer, SaveAuthorityContact};
use crate::error::Problem;
use crate::i18n::{t, use_lang, K};
use crate::ui::form::{problem_of, ErrorSummary, Field};
use crate::ui::PageTitle;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// The officer's name, e-mail (mailto) and phone (tel), the known parts only, or "not known yet".
#[component]
pub fn OfficerLine(officer: Officer) -> impl IntoView {
    if officer.is_empty() {
        return view! { {t(K::authorities_unknown)} }.into_any();
    }
    let Officer { name, email, phone } = officer;
    let parts = [
        (!name.is_empty()).then(|| view! { <span>{name.clone()}</span> }.into_any()),
        (!email.is_empty()).then(|| view! { <a href=mailto_href(&email)>{email.clone()}</a> }.into_any()),
        (!phone.is_empty()).then(|| view! { <a href=tel_href(&phone)>{phone.clone()}</a> }.into_any()),
    ];
    let parts: Vec<AnyView> = parts.into_iter().flatten().collect();
    let n = parts.len();
    parts
        .into_iter()
        .enumerate()
        .map(|(i, p)| {
            view! {
                {p}
                {(i + 1 < n).then_some(" · ")}
            }
        })
        .collect_view()
        .into_any()
}

/// The registry's address as a mailto link, or "not known yet".
#[component]
pub fn RegistryLine(email: String) -> impl IntoView {
    if email.trim().is_empty() {
        view! { {t(K::authorities_unknown)} }.into_any()
    } else {
        view! { <a href=mailto_href(&email)>{email.clone()}</a> }.into_any()
    }
}

/// "Edit the contact", shown only to those the server lets edit it.
#[component]
pub fn ContactEditLink(slug: String) -> impl IntoView {
    let href = format!("/authorities/{slug}/contact");
    let form = Resource::new(move || slug.clone(), authority_contact_form);
    view! {
        <Transition fallback=|| ()>
            {move || {
                let href = href.clone();
                Suspend::new(async move {
                    form.await
                        .ok()
                        .map(|_| {
                            view! {
                                <p>
                                    <a class="button secondary" href=href>
                                        {t(K::authorities_contact_edit)}
                                    </a>
                                </p>
                            }
                        })
                })
            }}
        </Transition>
    }
}

/// `/authorities/:slug/contact`: the officer and the registry address, for admins and officials.
#[component]
pub fn ContactEdit() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.with(|p| p.get("slug").unwrap_or_default());
    let page = Resource::new(slug, authority_contact_form);
    let action = ServerAction::<SaveAuthorityContact>::new();
    let p = problem_of(action);
    let lang = use_lang();
    view! {
        <PageTitle k=K::authorities_contact_title />
        <h1>{t(K::authorities_contact_title)}</h1>
        <Transition fallback=|| {
            view! { <p>{t(K::loading)}</p> }
        }>
            {move || Suspend::new(async move {
                match page.await {
                    Err(e) => {
                        let signed_out = e.0 == Problem::Unauthenticated;
                        let next = format!("/account/login?next=/authorities/{}/contact", slug());
                        view! {
                            <p role="alert">
                                {if signed_out {
                                    e.0.message(lang)
                                } else {
                                    t(K::authorities_contact_refused).to_string()
                                }}
                            </p>
                            {signed_out
                                .then(|| {
                                    view! {
                                        <p>
                                            <a href=next>{t(K::nav_login)}</a>
                                        </p>
                                    }
                                })}
                        }
                            .into_any()
                    }
                    Ok(c) => {
                        view! {
                            <p>
                                <a href=format!("/authorities/{}", c.slug)>{c.name.clone()}</a>
                            </p>
                            <p>{t(K::authorities_contact_intro)}</p>
                            <ActionForm action=action attr:class="form" attr:novalidate=true>
                                <ErrorSummary problem=p />
                                <input type="hidden" name="authority_id" value=c.authority_id />
                                <Field
                                    problem=p
                                    name="officer_name"
                                    label=K::authorities_officer_name
                                    autocomplete="name"
                                    initial=c.officer.name.clone()
                                />
                                <Field
                                    problem=p
                                    name="officer_email"
                                    label=K::authorities_officer_email
                                    kind="email"
                                    autocomplete="email"
                                    initial=c.officer.email.clone()
                                />
                                <Field
                                    problem=p
                                    name="officer_phone"
                                    label=K::authorities_officer_phone
                                    kind="tel"
                                    autocomplete="tel"
                                    hint=K::authorities_officer_phone_hint
                                    initial=c.officer.phone.clone()
                                />
                                <Field
                                    problem=p
                                    name="registry_email"
                                    label=K::authorities_registry
                                    kind="email"
                                    autocomplete="email"
                                    hint=K::authorities_registry_hint
                                    initial=c.registry_email.clone()
                                />
                                <button type="submit" class="button">
                                    {t(K::authorities_contact_save)}
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
