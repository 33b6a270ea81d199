//! Registering an organisation.
use super::super::rules::{domain_label, legal_form_label, DOMAINS, LEGAL_FORMS};
use super::super::RegisterOrg;
use crate::accounts::use_me;
use crate::i18n::{t, use_lang, K};
use crate::ui::form::{problem_of, ErrorSummary, Field};
use crate::ui::PageTitle;
use leptos::form::ActionForm;
use leptos::prelude::*;

#[component]
pub fn OrgNew() -> impl IntoView {
    let me = use_me().0;
    let action = ServerAction::<RegisterOrg>::new();
    let p = problem_of(action);
    let lang = use_lang();
    let kept = move |field: &'static str| {
        p.with(|p| p.as_ref().and_then(|p| p.kept()).and_then(|f| f.value_of(field))).unwrap_or_default()
    };
    let err =
        move |field: &'static str| p.with(|p| p.as_ref().and_then(|p| p.form()).and_then(|f| f.error_for(field, lang)));
    view! {
        <PageTitle k=K::orgs_register />
        <h1>{t(K::orgs_register)}</h1>
        <p>{t(K::orgs_register_intro)}</p>
        <Transition fallback=|| {
            view! { <p>{t(K::loading)}</p> }
        }>
            {move || Suspend::new(async move {
                if !matches!(me.await, Ok(Some(_))) {
                    return view! {
                        <p>
                            <a class="button" href="/account/login?next=/organisations/new">
                                {t(K::nav_login)}
                            </a>
                        </p>
                    }
                        .into_any();
                }
                let form_sel = kept("legal_form");
                let chosen = kept("domains");
                view! {
                    <ActionForm action=action attr:class="form" attr:novalidate=true>
                        <ErrorSummary problem=p />
                        <Field problem=p name="name" label=K::orgs_name required=true />
                        <div class="field" class:has-error=move || err("legal_form").is_some()>
                            <label for="f-legal_form">{t(K::orgs_legal_form)}</label>
                            {move || {
                                err("legal_form")
                                    .map(|e| {
                                        view! {
                                            <p class="field-error" id="f-legal_form-err">
                                                {e}
                                            </p>
                                        }
                                    })
                            }}
                            <select id="f-legal_form" name="legal_form">
                                {LEGAL_FORMS
                                    .iter()
                                    .map(|f| {
                                        let sel = *f == form_sel;
                                        view! {
                                            <option value=*f selected=sel>
                                                {t(legal_form_label(f))}
                                            </option>
                                        }
                                    })
                                    .collect_view()}
                            </select>
                        </div>
                        <Field problem=p name="cui" label=K::orgs_cui hint=K::hint_cui />
                        <Field problem=p name="registry_number" label=K::orgs_registry />
                        <Field
                            problem=p
                            name="locality"
                            label=K::field_locality
                            required=true
                            autocomplete="address-level2"
                        />
                        <Field problem=p name="county" label=K::field_county autocomplete="address-level1" />
                        <fieldset
                            class="field checks"
                            id="f-domains"
                            aria-describedby=move || err("domains").map(|_| "f-domains-err")
                        >
                            <legend>{t(K::orgs_domain)} " " <span class="req">{t(K::form_required)}</span></legend>
                            {move || {
                                err("domains")
                                    .map(|e| {
                                        view! {
                                            <p class="field-error" id="f-domains-err">
                                                {e}
                                            </p>
                                        }
                                    })
                            }}
                            {DOMAINS
                                .iter()
                                .map(|d| {
                                    let id = format!("d-{d}");
                                    let on = chosen.split(',').any(|c| c == *d);
                                    view! {
                                        <div class="check">
                                            <input id=id.clone() type="checkbox" name="domains[]" value=*d checked=on />
                                            <label for=id>{t(domain_label(d))}</label>
                                        </div>
                                    }
                                })
                                .collect_view()}
                        </fieldset>
                        <Field
                            problem=p
                            name="short_description"
                            label=K::orgs_short_description
                            required=true
                            hint=K::hint_short_description
                        />
                        <Field problem=p name="website" label=K::orgs_website kind="url" autocomplete="url" />
                        <Field problem=p name="contact_email" label=K::orgs_contact kind="email" autocomplete="email" />
                        <button type="submit" class="button">
                            {t(K::orgs_register_submit)}
                        </button>
                    </ActionForm>
                }
                    .into_any()
            })}
        </Transition>
    }
}
