//! The list of campaigns, filtered by organisation, domain and locality.
use super::super::{list_campaigns, CampaignFilter};
use super::CampaignCardView;
use crate::i18n::{t, tn, use_lang, K};
use crate::ui::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn CampaignList() -> impl IntoView {
    let q = use_query_map();
    let filter = Memo::new(move |_| {
        q.with(|q| CampaignFilter {
            org: q.get("org").unwrap_or_default(),
            domain: q.get("domain").unwrap_or_default(),
            locality: q.get("locality").unwrap_or_default(),
        })
    });
    let list = Resource::new(move || filter.get(), list_campaigns);
    let lang = use_lang();
    view! {
        <PageTitle k=K::donations_campaigns_title />
        <h1>{t(K::donations_campaigns_title)}</h1>
        <p>{t(K::donations_campaigns_intro)}</p>
        <Transition fallback=|| {
            view! { <p>{t(K::loading)}</p> }
        }>
            {move || Suspend::new(async move {
                let f = filter.get_untracked();
                match list.await {
                    Err(e) => view! { <p role="alert">{e.0.message(lang)}</p> }.into_any(),
                    Ok(l) => {
                        let count = tn(K::donations_campaigns_count, l.cards.len());
                        view! {
                            <form
                                method="get"
                                action="/campaigns"
                                class="filters"
                                role="search"
                                aria-label=t(K::donations_filters)
                            >
                                <div class="field">
                                    <label for="org">{t(K::donations_org)}</label>
                                    <select id="org" name="org">
                                        <option value="">{t(K::orgs_any)}</option>
                                        {l
                                            .orgs
                                            .iter()
                                            .map(|(s, n)| {
                                                let sel = *s == f.org;
                                                view! {
                                                    <option value=s.clone() selected=sel>
                                                        {n.clone()}
                                                    </option>
                                                }
                                            })
                                            .collect_view()}
                                    </select>
                                </div>
                                <div class="field">
                                    <label for="domain">{t(K::orgs_domain)}</label>
                                    <select id="domain" name="domain">
                                        <option value="">{t(K::orgs_any)}</option>
                                        {crate::orgs::rules::DOMAINS
                                            .iter()
                                            .map(|d| {
                                                let sel = *d == f.domain;
                                                view! {
                                                    <option value=*d selected=sel>
                                                        {t(crate::orgs::rules::domain_label(d))}
                                                    </option>
                                                }
                                            })
                                            .collect_view()}
                                    </select>
                                </div>
                                <div class="field">
                                    <label for="locality">{t(K::field_locality)}</label>
                                    <select id="locality" name="locality">
                                        <option value="">{t(K::orgs_any)}</option>
                                        {l
                                            .localities
                                            .iter()
                                            .map(|s| {
                                                let sel = *s == f.locality;
                                                view! {
                                                    <option value=s.clone() selected=sel>
                                                        {s.clone()}
                                                    </option>
                                                }
                                            })
                                            .collect_view()}
                                    </select>
                                </div>
                                <button type="submit" class="button">
                                    {t(K::search)}
                                </button>
                            </form>
                            <p class="result-count" role="status">
                                {count}
                            </p>
                            <ul class="cards">
                                {l.cards.into_iter().map(|c| view! { <CampaignCardView c /> }).collect_view()}
                            </ul>
                        }
                            .into_any()
                    }
                }
            })}
        </Transition>
    }
}
