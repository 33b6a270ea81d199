//! The authorities directory and an authority's page (its contact, the officials' request box).
use super::super::{get_authority, list_authorities};
use crate::i18n::{t, tn, use_lang, K};
use crate::orgs::officer::pages::{ContactEditLink, OfficerLine, RegistryLine};
use crate::ui::{Notice, PageTitle};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn AuthorityList() -> impl IntoView {
    let q = use_query_map();
    let county = move || q.with(|q| q.get("county").unwrap_or_default());
    let list = Resource::new(county, list_authorities);
    let lang = use_lang();
    view! {
        <PageTitle k=K::authorities_title />
        <h1>{t(K::authorities_title)}</h1>
        <p>{t(K::authorities_intro)}</p>
        <Transition fallback=|| {
            view! { <p>{t(K::loading)}</p> }
        }>
            {move || Suspend::new(async move {
                match list.await {
                    Err(e) => view! { <p role="alert">{e.0.message(lang)}</p> }.into_any(),
                    Ok(items) => {
                        view! {
                            <p role="status">{tn(K::authorities_count, items.len())}</p>
                            <ul class="cards">
                                {items
                                    .into_iter()
                                    .map(|a| {
                                        let href = format!("/authorities/{}", a.slug);
                                        view! {
                                            <li class="card">
                                                <h2 class="card-title">
                                                    <a href=href>{a.name}</a>
                                                </h2>
                                                <p class="muted">{a.locality} ", " {a.county}</p>
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        }
                            .into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
pub fn AuthorityDetail() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.with(|p| p.get("slug").unwrap_or_default());
    let a = Resource::new(slug, get_authority);
    let q = use_query_map();
    let lang = use_lang();
    view! {
        <Transition fallback=|| {
            view! { <p>{t(K::loading)}</p> }
        }>
            {move || Suspend::new(async move {
                match a.await {
                    Err(e) => {
                        view! {
                            <h1>{t(K::notfound_title)}</h1>
                            <p role="alert">{e.0.message(lang)}</p>
                        }
                            .into_any()
                    }
                    Ok(a) => {
                        let title = format!("{} · {}", a.name, t(K::site_name));
                        view! {
                            <crate::ui::DataTitle text=title />
                            <h1>{a.name.clone()}</h1>
                            {move || {
                                q.with(|q| q.get("contact_saved").is_some())
                                    .then(|| view! { <Notice text=t(K::authorities_contact_saved) /> })
                            }}
                            <dl class="facts">
                                <dt>{t(K::orgs_place)}</dt>
                                <dd>{a.locality.clone()} ", " {a.county.clone()}</dd>
                                {(!a.address.is_empty())
                                    .then(|| {
                                        view! {
                                            <dt>{t(K::authorities_address)}</dt>
                                            <dd>{a.address.clone()}</dd>
                                        }
                                    })}
                                {(!a.website.is_empty())
                                    .then(|| {
                                        view! {
                                            <dt>{t(K::orgs_website)}</dt>
                                            <dd>
                                                <a href=a.website.clone() rel="nofollow noopener">
                                                    {a.website.clone()}
                                                </a>
                                            </dd>
                                        }
                                    })}
                                <dt>{t(K::authorities_officer)}</dt>
                                <dd>
                                    <OfficerLine officer=a.officer() />
                                </dd>
                                <dt>{t(K::authorities_registry)}</dt>
                                <dd>
                                    <RegistryLine email=a.petition_email.clone() />
                                </dd>
                            </dl>
                            <ContactEditLink slug=a.slug.clone() />
                            <crate::orgs::officials::pages::RequestOfficial
                                authority_id=a.id
                                authority_slug=a.slug.clone()
                            />
                        }
                            .into_any()
                    }
                }
            })}
        </Transition>
    }
}
