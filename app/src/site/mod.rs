//! The pages about the platform itself: home, about, not found.
pub mod layout;
pub mod organisation;

use crate::i18n::{t, K};
use crate::ui::{Notice, PageTitle};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn Home() -> impl IntoView {
    let q = use_query_map();
    let deleted = move || q.with(|q| q.get("deleted").is_some());
    let cards = [
        (K::home_map_title, K::home_map_text, None),
        (K::home_consult_title, K::home_consult_text, None),
        (K::home_donate_title, K::home_donate_text, None),
        (K::home_orgs_title, K::home_orgs_text, Some("/organisations")),
    ];
    view! {
        <PageTitle k=K::home_title/>
        {move || deleted().then(|| view! { <Notice text=t(K::account_deleted_notice)/> })}
        <section class="hero" aria-labelledby="hero-title">
            <h1 id="hero-title">{t(K::home_title)}</h1>
            <p class="lead">{t(K::home_lead)}</p>
            <p><a class="button" href="/account/register">{t(K::home_cta)}</a></p>
        </section>
        <section aria-labelledby="offer-title">
            <h2 id="offer-title">{t(K::home_offer)}</h2>
            <ul class="cards">
                {cards
                    .into_iter()
                    .map(|(title, text, href)| {
                        view! {
                            <li class="card">
                                <h3>
                                    {match href {
                                        Some(h) => view! { <a href=h>{t(title)}</a> }.into_any(),
                                        None => view! { <span>{t(title)}</span> }.into_any(),
                                    }}
                                </h3>
                                <p>{t(text)}</p>
                                {href.is_none().then(|| view! { <p class="tag">{t(K::home_soon)}</p> })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
        <LatestStories/>
        <p class="demo-note">{t(K::home_demo_note)}</p>
    }
}

#[component]
pub fn About() -> impl IntoView {
    let services = [
        (K::about_training, K::about_training_text),
        (K::about_consultancy, K::about_consultancy_text),
        (K::about_coaching, K::about_coaching_text),
        (K::about_mentoring, K::about_mentoring_text),
        (K::about_information, K::about_information_text),
    ];
    view! {
        <PageTitle k=K::about_title/>
        <h1>{t(K::about_title)}</h1>
        <section aria-labelledby="mission">
            <h2 id="mission">{t(K::about_mission)}</h2>
            <p>{t(K::about_mission_text)}</p>
        </section>
        <section aria-labelledby="vision">
            <h2 id="vision">{t(K::about_vision)}</h2>
            <p>{t(K::about_vision_text)}</p>
        </section>
        <section aria-labelledby="services">
            <h2 id="services">{t(K::about_services)}</h2>
            <ul class="cards">
                {services
                    .into_iter()
                    .map(|(title, text)| view! { <li class="card"><h3>{t(title)}</h3><p>{t(text)}</p></li> })
                    .collect_view()}
            </ul>
        </section>
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(r) = use_context::<leptos_axum::ResponseOptions>() {
        r.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <PageTitle k=K::notfound_title/>
        <h1>{t(K::notfound_title)}</h1>
        <p>{t(K::notfound_text)}</p>
        <p><a href="/">{t(K::nav_home)}</a></p>
    }
}

#[component]
fn LatestStories() -> impl IntoView {
    let list = Resource::new(|| (), |_| crate::orgs::stories::list_stories(0, 3));
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(s) if !s.is_empty() => view! {
                        <section aria-labelledby="stories-h">
                            <h2 id="stories-h">{t(K::stories_latest)}</h2>
                            <crate::orgs::stories::pages::StoryCards stories=s/>
                            <p><a href="/stories">{t(K::stories_all)}</a></p>
                        </section>
                    }
                    .into_any(),
                    _ => ().into_any(),
                }
            })}
        </Transition>
    }
}
