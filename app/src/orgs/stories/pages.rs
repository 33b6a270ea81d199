//! The stories pages, the cards the home page shows, the publishing form (in the members section)
//! and the organisation page's stories section.
use super::{get_story, list_stories, CreateStory, StoryCard};
use crate::i18n::{t, use_lang, K};
use crate::orgs::catalogue::rules::{domain_label, DOMAINS};
use crate::ui::form::{problem_of, ErrorSummary, Field, TextArea};
use crate::ui::PageTitle;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn StoryCards(stories: Vec<StoryCard>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <ul class="cards">
            {stories
                .into_iter()
                .map(|s| {
                    let href = format!("/stories/{}", s.slug);
                    let meta = [
                        Some(crate::fmt::date(lang, s.published_at)),
                        s.org_name.clone(),
                        (!s.locality.is_empty()).then(|| s.locality.clone()),
                    ]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(" · ");
                    view! {
                        <li class="card">
                            <h3 class="card-title">
                                <a href=href>{s.title}</a>
                            </h3>
                            <p class="muted small">{meta}</p>
                            <p>{s.summary}</p>
                            <p class="tag">{t(domain_label(&s.domain))}</p>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

#[component]
pub fn StoriesPage() -> impl IntoView {
    let list = Resource::new(|| (), |_| list_stories(0, 50));
    let lang = use_lang();
    view! {
        <PageTitle k=K::stories_title />
        <h1>{t(K::stories_title)}</h1>
        <p>{t(K::stories_intro)} " " <a href="/stories/feed.atom">{t(K::stories_feed)}</a></p>
        <Transition fallback=|| {
            view! { <p>{t(K::loading)}</p> }
        }>
            {move || Suspend::new(async move {
                match list.await {
                    Err(e) => view! { <p role="alert">{e.0.message(lang)}</p> }.into_any(),
                    Ok(s) => view! { <StoryCards stories=s /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
pub fn StoryPage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.with(|p| p.get("slug").unwrap_or_default());
    let story = Resource::new(slug, get_story);
    let lang = use_lang();
    view! {
        <Transition fallback=|| {
            view! { <p>{t(K::loading)}</p> }
        }>
            {move || Suspend::new(async move {
                match story.await {
                    Err(e) => {
                        view! {
                            <h1>{t(K::notfound_title)}</h1>
                            <p role="alert">{e.0.message(lang)}</p>
                        }
                            .into_any()
                    }
                    Ok(s) => {
                        let title = format!("{} · {}", s.card.title, t(K::site_name));
                        let meta = [
                            Some(crate::fmt::date(lang, s.card.published_at)),
                            s.card.org_name.clone(),
                            (!s.card.locality.is_empty()).then(|| s.card.locality.clone()),
                        ]
                            .into_iter()
                            .flatten()
                            .collect::<Vec<_>>()
                            .join(" · ");
                        view! {
                            <crate::ui::DataTitle text=title />
                            <article>
                                <h1>{s.card.title.clone()}</h1>
                                <p class="muted">{meta}</p>
                                <p class="lead">{s.card.summary.clone()}</p>
                                <div class="prose" inner_html=s.html.clone()></div>
                            </article>
                        }
                            .into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
pub fn NewStoryForm(org_id: i64) -> impl IntoView {
    let action = ServerAction::<CreateStory>::new();
    let p = problem_of(action);
    view! {
        <h3>{t(K::stories_new)}</h3>
        <ActionForm action=action attr:class="form" attr:novalidate=true>
            <ErrorSummary problem=p />
            <input type="hidden" name="org_id" value=org_id />
            <Field problem=p name="title" label=K::event_title required=true />
            <Field problem=p name="summary" label=K::stories_summary required=true />
            <TextArea problem=p name="body" label=K::stories_body hint=K::hint_markdown />
            <div class="field">
                <label for="f-domain">{t(K::orgs_domain)}</label>
                <select id="f-domain" name="domain">
                    {DOMAINS.iter().map(|d| view! { <option value=*d>{t(domain_label(d))}</option> }).collect_view()}
                </select>
            </div>
            <Field problem=p name="locality" label=K::field_locality />
            <button type="submit" class="button">
                {t(K::stories_publish)}
            </button>
        </ActionForm>
    }
}

/// The organisation's latest stories, on its page.
#[component]
pub fn OrgStories(org_id: i64) -> impl IntoView {
    let list = Resource::new(move || org_id, |id| list_stories(id, 6));
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(s) if !s.is_empty() => {
                        view! {
                            <section aria-labelledby="org-stories-h">
                                <h2 id="org-stories-h">{t(K::stories_title)}</h2>
                                <StoryCards stories=s />
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
