//! An organisation's admins keep its profile current: descriptions, links, where it works, founding
//! year, contact, and a logo with its alt text (a plain multipart form, see `http::upload_logo`).
use super::super::rules::logo_problem;
use super::super::{get_org, UpdateOrgProfile};
use crate::i18n::{t, use_lang, K};
use crate::ui::form::{problem_of, ErrorSummary, Field, TextArea};
use crate::ui::PageTitle;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn OrgEdit() -> impl IntoView {
    let params = use_params_map();
    let q = use_query_map();
    let slug = move || params.with(|p| p.get("slug").unwrap_or_default());
    let org = Resource::new(slug, get_org);
    let action = ServerAction::<UpdateOrgProfile>::new();
    let p = problem_of(action);
    let lang = use_lang();
    let logo_error = move || q.with(|q| crate::ui::form::query_error(q, "logo")).map(|c| logo_problem(&c));
    view! {
        <PageTitle k=K::orgs_profile_title />
        <h1>{t(K::orgs_profile_title)}</h1>
        <Transition fallback=|| {
            view! { <p>{t(K::loading)}</p> }
        }>
            {move || Suspend::new(async move {
                match org.await {
                    Err(e) => view! { <p role="alert">{e.0.message(lang)}</p> }.into_any(),
                    Ok(o) => {
                        let id = o.card.id;
                        let year = o.founding_year.map(|y| y.to_string()).unwrap_or_default();
                        let contact = o.contact_parts.clone().map(|(a, b)| format!("{a}@{b}")).unwrap_or_default();
                        view! {
                            <p>
                                <a href=format!("/organisations/{}", o.card.slug)>{o.card.name.clone()}</a>
                            </p>
                            <ActionForm action=action attr:class="form" attr:novalidate=true>
                                <ErrorSummary problem=p />
                                <input type="hidden" name="org_id" value=id />
                                <Field
                                    problem=p
                                    name="short_description"
                                    label=K::orgs_short_description
                                    required=true
                                    initial=o.card.short_description.clone()
                                />
                                <TextArea
                                    problem=p
                                    name="description"
                                    label=K::orgs_profile_description
                                    hint=K::orgs_profile_description_hint
                                    initial=o.description.clone()
                                />
                                <Field
                                    problem=p
                                    name="website"
                                    label=K::orgs_website
                                    kind="url"
                                    autocomplete="url"
                                    initial=o.website.clone()
                                />
                                <TextArea
                                    problem=p
                                    name="social_links"
                                    label=K::orgs_profile_social
                                    hint=K::orgs_profile_social_hint
                                    initial=o.social_url.clone()
                                />
                                <Field
                                    problem=p
                                    name="areas"
                                    label=K::orgs_profile_areas
                                    hint=K::orgs_profile_areas_hint
                                    initial=o.areas.clone()
                                />
                                <Field problem=p name="founding_year" label=K::orgs_founded initial=year />
                                <Field
                                    problem=p
                                    name="contact_email"
                                    label=K::orgs_contact
                                    kind="email"
                                    autocomplete="email"
                                    initial=contact
                                />
                                <button type="submit" class="button">
                                    {t(K::orgs_profile_save)}
                                </button>
                            </ActionForm>
                            <section aria-labelledby="logo-h">
                                <h2 id="logo-h">{t(K::orgs_profile_logo)}</h2>
                                {o
                                    .logo_url
                                    .clone()
                                    .map(|src| {
                                        view! { <img class="org-logo" src=src alt=o.logo_alt.clone() width="160" /> }
                                    })}
                                <form
                                    class="form"
                                    method="post"
                                    enctype="multipart/form-data"
                                    action=format!("/organisations/{id}/logo")
                                >
                                    <div class="field">
                                        <label for="f-logo">{t(K::orgs_profile_logo_file)}</label>
                                        <p class="hint" id="f-logo-hint">
                                            {t(K::orgs_profile_logo_hint)}
                                        </p>
                                        {move || {
                                            logo_error()
                                                .map(|k| {
                                                    view! {
                                                        <p class="field-error" id="f-logo-err">
                                                            {t(k)}
                                                        </p>
                                                    }
                                                })
                                        }}
                                        <input
                                            id="f-logo"
                                            type="file"
                                            name="logo"
                                            accept="image/jpeg,image/png,image/webp"
                                            aria-describedby=move || {
                                                if logo_error().is_some() {
                                                    "f-logo-hint f-logo-err"
                                                } else {
                                                    "f-logo-hint"
                                                }
                                            }
                                            aria-invalid=move || logo_error().is_some().then_some("true")
                                        />
                                    </div>
                                    <div class="field">
                                        <label for="f-logo_alt">{t(K::orgs_profile_logo_alt)}</label>
                                        <p class="hint" id="f-logo_alt-hint">
                                            {t(K::orgs_profile_logo_alt_hint)}
                                        </p>
                                        <input
                                            id="f-logo_alt"
                                            type="text"
                                            name="logo_alt"
                                            required=true
                                            maxlength="200"
                                            value=o.logo_alt.clone()
                                            aria-describedby="f-logo_alt-hint"
                                        />
                                    </div>
                                    <button type="submit" class="button secondary">
                                        {t(K::orgs_profile_logo_submit)}
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
