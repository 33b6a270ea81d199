//! The pages about the platform itself: home, about, not found.
pub mod home;
pub mod layout;
pub mod organisation;

pub use home::Home;

use crate::i18n::{t, K};
use crate::ui::PageTitle;
use leptos::prelude::*;

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
        <PageTitle k=K::about_title />
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
                    .map(|(title, text)| {
                        view! {
                            <li class="card">
                                <h3>{t(title)}</h3>
                                <p>{t(text)}</p>
                            </li>
                        }
                    })
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
        <PageTitle k=K::notfound_title />
        <h1>{t(K::notfound_title)}</h1>
        <p>{t(K::notfound_text)}</p>
        <p>
            <a href="/">{t(K::nav_home)}</a>
        </p>
    }
}

#[component]
fn LatestStories() -> impl IntoView {
    let list = Resource::new(|| (), |_| crate::orgs::stories::list_stories(0, 3));
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(s) if !s.is_empty() => {
                        view! {
                            <section aria-labelledby="stories-h">
                                <h2 id="stories-h">{t(K::stories_latest)}</h2>
                                <crate::orgs::stories::pages::StoryCards stories=s />
                                <p>
                                    <a href="/stories">{t(K::stories_all)}</a>
                                </p>
                            </section>
                        }
                            .into_any()
                    }
                    _ => ().into_any(),
                }
            })}
        </Transition>
    }
}
