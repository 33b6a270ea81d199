//! The events pages: the list, an event with registration, and the announcement form (shown in
//! the members section of the organisation's page).
use super::rules::{kind_label, KINDS};
use super::{get_event, list_events, CancelRegistration, CreateEvent, EventCard, RegisterEvent};
use crate::accounts::use_me;
use crate::i18n::{fill, t, use_lang, K};
use crate::ui::form::{problem_of, ErrorSummary, Field};
use crate::ui::{Notice, PageTitle};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
fn EventItem(e: EventCard) -> impl IntoView {
    let lang = use_lang();
    let href = format!("/events/{}", e.slug);
    let when = crate::fmt::date_time(lang, e.starts_at);
    let iso = crate::fmt::iso_utc(e.starts_at);
    view! {
        <li class="card">
            <h3 class="card-title">
                <a href=href>{e.title}</a>
            </h3>
            <p>
                <time datetime=iso>{when}</time>
            </p>
            <p class="muted">
                {t(kind_label(&e.kind))} {e.org_name.map(|o| format!(" · {o}"))}
                {(!e.place.is_empty()).then(|| format!(" · {}", e.place))}
            </p>
        </li>
    }
}

#[component]
pub fn EventsPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| list_events());
    let lang = use_lang();
    view! {
        <PageTitle k=K::events_title />
        <h1>{t(K::events_title)}</h1>
        <p>{t(K::events_intro)}</p>
        <Transition fallback=|| {
            view! { <p>{t(K::loading)}</p> }
        }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <p role="alert">{e.0.message(lang)}</p> }.into_any(),
                    Ok(l) => {
                        view! {
                            <section aria-labelledby="upcoming-h">
                                <h2 id="upcoming-h">{t(K::events_upcoming)}</h2>
                                {l.upcoming.is_empty().then(|| view! { <p>{t(K::events_none)}</p> })}
                                <ul class="cards">
                                    {l.upcoming.into_iter().map(|e| view! { <EventItem e /> }).collect_view()}
                                </ul>
                            </section>
                            <section aria-labelledby="past-h">
                                <h2 id="past-h">{t(K::events_past)}</h2>
                                <ul class="cards">
                                    {l.past.into_iter().map(|e| view! { <EventItem e /> }).collect_view()}
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

#[component]
pub fn EventPage() -> impl IntoView {
    let params = use_params_map();
    let q = use_query_map();
    let slug = move || params.with(|p| p.get("slug").unwrap_or_default());
    let ev = Resource::new(slug, get_event);
    let reg = ServerAction::<RegisterEvent>::new();
    let cancel = ServerAction::<CancelRegistration>::new();
    let pr = problem_of(reg);
    let lang = use_lang();
    let _ = use_me();
    let notice = move || {
        q.with(|q| match q.get("registered").as_deref() {
            Some("confirmed") => Some(K::event_registered),
            Some("waitlisted") => Some(K::event_waitlisted),
            _ => q.get("cancelled").map(|_| K::event_cancelled),
        })
    };
    view! {
        {move || notice().map(|k| view! { <Notice text=t(k) /> })}
        <Transition fallback=|| {
            view! { <p>{t(K::loading)}</p> }
        }>
            {move || Suspend::new(async move {
                match ev.await {
                    Err(e) => {
                        view! {
                            <h1>{t(K::notfound_title)}</h1>
                            <p role="alert">{e.0.message(lang)}</p>
                        }
                            .into_any()
                    }
                    Ok(e) => {
                        let title = format!("{} · {}", e.card.title, t(K::site_name));
                        let when = format!(
                            "{} – {}",
                            crate::fmt::date_time(lang, e.card.starts_at),
                            crate::fmt::date_time(lang, e.card.ends_at),
                        );
                        let past = e.past;
                        let spots = if e.capacity > 0 {
                            fill(
                                t(K::event_spots),
                                &[
                                    ("n", &(e.capacity - e.confirmed).max(0).to_string()),
                                    ("total", &e.capacity.to_string()),
                                    ("w", &e.waitlisted.to_string()),
                                ],
                            )
                        } else {
                            t(K::event_no_limit).to_string()
                        };
                        let ics = format!("/events/{}/event.ics", e.card.slug);
                        let id = e.card.id;
                        let status = e.my_status.clone();
                        let full = e.capacity > 0 && e.confirmed >= e.capacity;
                        view! {
                            <crate::ui::DataTitle text=title />
                            <h1>{e.card.title.clone()}</h1>
                            <dl class="facts">
                                <dt>{t(K::event_when)}</dt>
                                <dd>{when}</dd>
                                <dt>{t(K::event_kind)}</dt>
                                <dd>{t(kind_label(&e.card.kind))}</dd>
                                {(!e.card.place.is_empty())
                                    .then(|| {
                                        view! {
                                            <dt>{t(K::event_place)}</dt>
                                            <dd>{e.card.place.clone()}</dd>
                                        }
                                    })}
                                {(!e.online_url.is_empty())
                                    .then(|| {
                                        view! {
                                            <dt>{t(K::event_online)}</dt>
                                            <dd>
                                                <a href=e.online_url.clone() rel="nofollow noopener">
                                                    {e.online_url.clone()}
                                                </a>
                                            </dd>
                                        }
                                    })}
                                {e
                                    .card
                                    .org_name
                                    .clone()
                                    .map(|o| {
                                        view! {
                                            <dt>{t(K::event_organiser)}</dt>
                                            <dd>{o}</dd>
                                        }
                                    })}
                                <dt>{t(K::event_seats)}</dt>
                                <dd>{spots}</dd>
                            </dl>
                            <p>{e.description.clone()}</p>
                            {(!e.materials.is_empty())
                                .then(|| {
                                    view! {
                                        <h2>{t(K::event_materials)}</h2>
                                        <p class="materials">{e.materials.clone()}</p>
                                    }
                                })}
                            <p>
                                <a class="button secondary" href=ics download="">
                                    {t(K::event_ics)}
                                </a>
                            </p>
                            <ErrorSummary problem=pr />
                            {(!past)
                                .then(|| match (e.signed_in, status) {
                                    (false, _) => {
                                        view! {
                                            <p>
                                                <a
                                                    class="button"
                                                    href=format!("/account/login?next=/events/{}", e.card.slug)
                                                >
                                                    {t(K::event_sign_in)}
                                                </a>
                                            </p>
                                        }
                                            .into_any()
                                    }
                                    (true, Some(s)) if s != "cancelled" => {
                                        view! {
                                            <p class="notice">
                                                {if s == "confirmed" {
                                                    t(K::event_you_confirmed)
                                                } else {
                                                    t(K::event_you_waitlisted)
                                                }}
                                            </p>
                                            <ActionForm action=cancel attr:class="form">
                                                <input type="hidden" name="event_id" value=id />
                                                <button type="submit" class="button danger">
                                                    {t(K::event_cancel)}
                                                </button>
                                            </ActionForm>
                                        }
                                            .into_any()
                                    }
                                    (true, _) => {
                                        view! {
                                            <ActionForm action=reg attr:class="form">
                                                <input type="hidden" name="event_id" value=id />
                                                <button type="submit" class="button">
                                                    {if full {
                                                        t(K::event_join_waitlist)
                                                    } else {
                                                        t(K::event_register)
                                                    }}
                                                </button>
                                            </ActionForm>
                                        }
                                            .into_any()
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

#[component]
pub fn NewEventForm(org_id: i64) -> impl IntoView {
    let action = ServerAction::<CreateEvent>::new();
    let p = problem_of(action);
    view! {
        <h3>{t(K::event_new)}</h3>
        <ActionForm action=action attr:class="form" attr:novalidate=true>
            <ErrorSummary problem=p />
            <input type="hidden" name="org_id" value=org_id />
            <Field problem=p name="title" label=K::event_title required=true />
            <Field problem=p name="description" label=K::event_description />
            <div class="field">
                <label for="f-kind">{t(K::event_kind)}</label>
                <select id="f-kind" name="kind">
                    {KINDS.iter().map(|k| view! { <option value=*k>{t(kind_label(k))}</option> }).collect_view()}
                </select>
            </div>
            <Field problem=p name="date" label=K::event_date kind="date" required=true />
            <Field problem=p name="time" label=K::event_time kind="time" required=true />
            <Field
                problem=p
                name="duration_minutes"
                label=K::event_duration
                kind="number"
                required=true
                initial="120"
            />
            <Field problem=p name="place" label=K::event_place />
            <Field problem=p name="online_url" label=K::event_online kind="url" />
            <Field problem=p name="capacity" label=K::event_capacity kind="number" hint=K::hint_capacity />
            <button type="submit" class="button">
                {t(K::event_publish)}
            </button>
        </ActionForm>
    }
}
