//! Events: trainings, workshops, networking and public debates, with registration, a waiting
//! list, a reminder the day before and an .ics file for any calendar.
use super::*;
use crate::accounts::use_me;
use crate::i18n::{fill, t, use_lang, K};
use crate::ui::form::{problem_of, ErrorSummary, Field};
use crate::ui::{Notice, PageTitle};
use leptos::form::ActionForm;
use leptos_router::hooks::{use_params_map, use_query_map};

pub const KINDS: [&str; 4] = ["training", "workshop", "networking", "debate"];

pub fn kind_label(code: &str) -> K {
    match code {
        "training" => K::event_kind_training,
        "workshop" => K::event_kind_workshop,
        "networking" => K::event_kind_networking,
        _ => K::event_kind_debate,
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Seat {
    Confirmed,
    Waitlisted,
}

impl Seat {
    pub fn code(self) -> &'static str {
        match self {
            Seat::Confirmed => "confirmed",
            Seat::Waitlisted => "waitlisted",
        }
    }
}

/// A new registration gets a seat while there is room (capacity 0 means no limit), else a place
/// on the waiting list.
pub fn seat_for(capacity: i64, confirmed: i64) -> Seat {
    if capacity <= 0 || confirmed < capacity {
        Seat::Confirmed
    } else {
        Seat::Waitlisted
    }
}

/// How many people move up from the waiting list when seats free up.
pub fn to_promote(capacity: i64, confirmed: i64, waiting: i64) -> i64 {
    if capacity <= 0 {
        waiting
    } else {
        (capacity - confirmed).clamp(0, waiting)
    }
}

fn ics_escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace(';', "\\;").replace(',', "\\,").replace('\n', "\\n").replace('\r', "")
}

fn ics_time(utc: i64) -> String {
    crate::fmt::iso_utc(utc).replace(['-', ':'], "")
}

/// An RFC 5545 calendar with one event, times in UTC.
pub fn ics(
    uid: &str,
    title: &str,
    description: &str,
    location: &str,
    url: &str,
    start: i64,
    end: i64,
    stamp: i64,
) -> String {
    let lines = [
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".into(),
        "PRODID:-//Participa//Events//RO".into(),
        "CALSCALE:GREGORIAN".into(),
        "BEGIN:VEVENT".into(),
        format!("UID:{uid}"),
        format!("DTSTAMP:{}", ics_time(stamp)),
        format!("DTSTART:{}", ics_time(start)),
        format!("DTEND:{}", ics_time(end)),
        format!("SUMMARY:{}", ics_escape(title)),
        format!("DESCRIPTION:{}", ics_escape(description)),
        format!("LOCATION:{}", ics_escape(location)),
        format!("URL:{url}"),
        "END:VEVENT".into(),
        "END:VCALENDAR".into(),
    ];
    lines.join("\r\n") + "\r\n"
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventCard {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub kind: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub place: String,
    pub org_name: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventView {
    pub card: EventCard,
    pub description: String,
    pub online_url: String,
    pub capacity: i64,
    pub confirmed: i64,
    pub waitlisted: i64,
    pub materials: String,
    pub my_status: Option<String>,
    pub signed_in: bool,
    /// Registration is closed once the event has started.
    pub past: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventLists {
    pub upcoming: Vec<EventCard>,
    pub past: Vec<EventCard>,
}

#[server]
pub async fn list_events() -> Result<EventLists, OrgsError> {
    let st = crate::ssr::state();
    Ok(db::events(&st.db, crate::ssr::now()).await?)
}

#[server]
pub async fn get_event(slug: String) -> Result<EventView, OrgsError> {
    let st = crate::ssr::state();
    let me = crate::accounts::session::current_user().await?;
    db::event(&st.db, &slug, me.as_ref().map(|u| u.id)).await?.ok_or(OrgsError(Problem::NotFound))
}

#[server]
pub async fn register_event(event_id: i64) -> Result<(), OrgsError> {
    use crate::ssr::mail;
    let st = crate::ssr::state();
    let me = crate::accounts::session::current_user().await?.ok_or(OrgsError(Problem::Unauthenticated))?;
    let Some((seat, card)) = db::register_for_event(&st.db, event_id, me.id, crate::ssr::now()).await? else {
        return Err(OrgsError(Problem::Refused(K::err_event_closed)));
    };
    let lang = crate::i18n::request_lang();
    let base = st.settings.public_url.trim_end_matches('/');
    let when = crate::fmt::date_time(lang, card.starts_at);
    let body = match seat {
        Seat::Confirmed => fill(lang.t(K::mail_event_confirmed_body), &[("title", &card.title), ("when", &when)]),
        Seat::Waitlisted => fill(lang.t(K::mail_event_waitlisted_body), &[("title", &card.title), ("when", &when)]),
    };
    let link = format!("{base}/events/{}", card.slug);
    let m = mail::compose(lang, &me.email, "event", K::mail_event_subject, &[body], Some((K::event_details, &link)));
    mail::enqueue(&st.db, &m).await?;
    leptos_axum::redirect(&format!("/events/{}?registered={}", card.slug, seat.code()));
    Ok(())
}

#[server]
pub async fn cancel_registration(event_id: i64) -> Result<(), OrgsError> {
    use crate::ssr::mail;
    let st = crate::ssr::state();
    let me = crate::accounts::session::current_user().await?.ok_or(OrgsError(Problem::Unauthenticated))?;
    let Some((slug, promoted)) = db::cancel_event_registration(&st.db, event_id, me.id).await? else {
        return Err(OrgsError(Problem::NotFound));
    };
    // Whoever moved up from the waiting list hears about it.
    for (email, lang, title) in promoted {
        let lang = crate::i18n::Lang::from_code(&lang);
        let link = format!("{}/events/{slug}", st.settings.public_url.trim_end_matches('/'));
        let body = fill(lang.t(K::mail_event_promoted_body), &[("title", &title)]);
        let m = mail::compose(lang, &email, "event", K::mail_event_subject, &[body], Some((K::event_details, &link)));
        mail::enqueue(&st.db, &m).await?;
    }
    leptos_axum::redirect(&format!("/events/{slug}?cancelled=1"));
    Ok(())
}

/// Sends the day-before reminders that are due; run by the server's job loop.
#[cfg(feature = "ssr")]
pub async fn send_reminders(db: &crate::ssr::Db, public_url: &str) -> Result<usize, sqlx::Error> {
    let now = crate::ssr::now();
    let due = super::db::due_event_reminders(db, now, now + 24 * 3600).await?;
    for r in &due {
        let lang = crate::i18n::Lang::from_code(&r.lang);
        let when = crate::fmt::date_time(lang, r.starts_at);
        let body = fill(lang.t(K::mail_event_reminder_body), &[("title", &r.title), ("when", &when)]);
        let link = format!("{}/events/{}", public_url.trim_end_matches('/'), r.slug);
        let m = crate::ssr::mail::compose(
            lang,
            &r.email,
            "event_reminder",
            K::mail_event_reminder_subject,
            &[body],
            Some((K::event_details, &link)),
        );
        crate::ssr::mail::enqueue(db, &m).await?;
        super::db::mark_reminded(db, r.registration_id, now).await?;
    }
    Ok(due.len())
}

/// GET /events/{slug}/event.ics
#[cfg(feature = "ssr")]
pub async fn ics_file(
    axum::extract::State(st): axum::extract::State<crate::ssr::AppState>,
    axum::extract::Path(slug): axum::extract::Path<String>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    match db::event(&st.db, &slug, None).await {
        Ok(Some(e)) => {
            let url = format!("{}/events/{}", st.settings.public_url.trim_end_matches('/'), e.card.slug);
            let place = if e.card.place.is_empty() { e.online_url.clone() } else { e.card.place.clone() };
            let body = ics(
                &format!("event-{}@participa", e.card.id),
                &e.card.title,
                &e.description,
                &place,
                &url,
                e.card.starts_at,
                e.card.ends_at,
                crate::ssr::now(),
            );
            let disposition = format!("attachment; filename=\"{}.ics\"", e.card.slug);
            (
                [
                    (axum::http::header::CONTENT_TYPE, "text/calendar; charset=utf-8".to_string()),
                    (axum::http::header::CONTENT_DISPOSITION, disposition),
                ],
                body,
            )
                .into_response()
        }
        Ok(None) => axum::http::StatusCode::NOT_FOUND.into_response(),
        Err(e) => {
            tracing::error!(error = %e, "ics");
            axum::http::StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

#[component]
fn EventItem(e: EventCard) -> impl IntoView {
    let lang = use_lang();
    let href = format!("/events/{}", e.slug);
    let when = crate::fmt::date_time(lang, e.starts_at);
    let iso = crate::fmt::iso_utc(e.starts_at);
    view! {
        <li class="card">
            <h3 class="card-title"><a href=href>{e.title}</a></h3>
            <p><time datetime=iso>{when}</time></p>
            <p class="muted">{t(kind_label(&e.kind))} {e.org_name.map(|o| format!(" · {o}"))} {(!e.place.is_empty()).then(|| format!(" · {}", e.place))}</p>
        </li>
    }
}

#[component]
pub fn EventsPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| list_events());
    let lang = use_lang();
    view! {
        <PageTitle k=K::events_title/>
        <h1>{t(K::events_title)}</h1>
        <p>{t(K::events_intro)}</p>
        <Transition fallback=|| view! { <p>{t(K::loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <p role="alert">{e.0.message(lang)}</p> }.into_any(),
                    Ok(l) => view! {
                        <section aria-labelledby="upcoming-h">
                            <h2 id="upcoming-h">{t(K::events_upcoming)}</h2>
                            {l.upcoming.is_empty().then(|| view! { <p>{t(K::events_none)}</p> })}
                            <ul class="cards">{l.upcoming.into_iter().map(|e| view! { <EventItem e/> }).collect_view()}</ul>
                        </section>
                        <section aria-labelledby="past-h">
                            <h2 id="past-h">{t(K::events_past)}</h2>
                            <ul class="cards">{l.past.into_iter().map(|e| view! { <EventItem e/> }).collect_view()}</ul>
                        </section>
                    }
                    .into_any(),
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
        {move || notice().map(|k| view! { <Notice text=t(k)/> })}
        <Transition fallback=|| view! { <p>{t(K::loading)}</p> }>
            {move || Suspend::new(async move {
                match ev.await {
                    Err(e) => view! { <h1>{t(K::notfound_title)}</h1><p role="alert">{e.0.message(lang)}</p> }.into_any(),
                    Ok(e) => {
                        let title = format!("{} · {}", e.card.title, t(K::site_name));
                        let when = format!("{} – {}", crate::fmt::date_time(lang, e.card.starts_at), crate::fmt::date_time(lang, e.card.ends_at));
                        let past = e.past;
                        let spots = if e.capacity > 0 {
                            fill(t(K::event_spots), &[("n", &(e.capacity - e.confirmed).max(0).to_string()), ("total", &e.capacity.to_string()), ("w", &e.waitlisted.to_string())])
                        } else {
                            t(K::event_no_limit).to_string()
                        };
                        let ics = format!("/events/{}/event.ics", e.card.slug);
                        let id = e.card.id;
                        let status = e.my_status.clone();
                        let full = e.capacity > 0 && e.confirmed >= e.capacity;
                        view! {
                            <crate::ui::DataTitle text=title/>
                            <h1>{e.card.title.clone()}</h1>
                            <dl class="facts">
                                <dt>{t(K::event_when)}</dt><dd>{when}</dd>
                                <dt>{t(K::event_kind)}</dt><dd>{t(kind_label(&e.card.kind))}</dd>
                                {(!e.card.place.is_empty()).then(|| view! { <dt>{t(K::event_place)}</dt><dd>{e.card.place.clone()}</dd> })}
                                {(!e.online_url.is_empty()).then(|| view! { <dt>{t(K::event_online)}</dt><dd><a href=e.online_url.clone() rel="nofollow noopener">{e.online_url.clone()}</a></dd> })}
                                {e.card.org_name.clone().map(|o| view! { <dt>{t(K::event_organiser)}</dt><dd>{o}</dd> })}
                                <dt>{t(K::event_seats)}</dt><dd>{spots}</dd>
                            </dl>
                            <p>{e.description.clone()}</p>
                            {(!e.materials.is_empty()).then(|| view! { <h2>{t(K::event_materials)}</h2><p class="materials">{e.materials.clone()}</p> })}
                            <p><a class="button secondary" href=ics download="">{t(K::event_ics)}</a></p>
                            <ErrorSummary problem=pr/>
                            {(!past).then(|| match (e.signed_in, status) {
                                (false, _) => view! { <p><a class="button" href=format!("/account/login?next=/events/{}", e.card.slug)>{t(K::event_sign_in)}</a></p> }.into_any(),
                                (true, Some(s)) if s != "cancelled" => view! {
                                    <p class="notice">{if s == "confirmed" { t(K::event_you_confirmed) } else { t(K::event_you_waitlisted) }}</p>
                                    <ActionForm action=cancel attr:class="form">
                                        <input type="hidden" name="event_id" value=id/>
                                        <button type="submit" class="button danger">{t(K::event_cancel)}</button>
                                    </ActionForm>
                                }.into_any(),
                                (true, _) => view! {
                                    <ActionForm action=reg attr:class="form">
                                        <input type="hidden" name="event_id" value=id/>
                                        <button type="submit" class="button">{if full { t(K::event_join_waitlist) } else { t(K::event_register) }}</button>
                                    </ActionForm>
                                }.into_any(),
                            })}
                        }
                        .into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// Organisation admins (and platform admins) announce an event.
#[server]
pub async fn create_event(
    org_id: i64,
    title: String,
    description: String,
    kind: String,
    date: String,
    time: String,
    duration_minutes: String,
    place: String,
    online_url: String,
    capacity: String,
) -> Result<(), OrgsError> {
    use crate::text::clean_text;
    let st = crate::ssr::state();
    let me = super::members::manager(org_id).await?;
    if let Some(wait) = crate::ssr::rate_limit::hit(&st.db, &format!("org.event:{org_id}"), 20, 86_400).await? {
        return Err(OrgsError(Problem::rate_limited(wait, FormState::new().value("title", &title))));
    }
    let mut form = FormState::new()
        .value("title", &title)
        .value("description", &description)
        .value("kind", &kind)
        .value("date", &date)
        .value("time", &time)
        .value("duration_minutes", &duration_minutes)
        .value("place", &place)
        .value("online_url", &online_url)
        .value("capacity", &capacity);
    let title = clean_text(&title, 150);
    if title.chars().count() < 3 {
        form.add("title", K::err_required);
    }
    if !KINDS.contains(&kind.as_str()) {
        form.add("kind", K::err_choose);
    }
    let start = crate::fmt::parse_local(&date, &time);
    match start {
        None => form.add("date", K::err_date),
        Some(s) if s < crate::ssr::now() => form.add("date", K::err_date_past),
        _ => {}
    }
    let minutes: i64 = duration_minutes.trim().parse().unwrap_or(-1);
    if !(15..=24 * 60).contains(&minutes) {
        form.add("duration_minutes", K::err_duration);
    }
    let cap: i64 = if capacity.trim().is_empty() { 0 } else { capacity.trim().parse().unwrap_or(-1) };
    if !(0..=100_000).contains(&cap) {
        form.add("capacity", K::err_capacity);
    }
    let online = clean_text(&online_url, 300);
    if !online.is_empty() && !online.starts_with("https://") {
        form.add("online_url", K::err_url);
    }
    if place.trim().is_empty() && online.is_empty() {
        form.add("place", K::err_place_or_link);
    }
    let (Some(start), true) = (start, form.is_ok()) else { return Err(form.into()) };
    let base =
        crate::types::Slug::from_name(&title).map(|s| s.as_str().to_string()).unwrap_or_else(|| "eveniment".into());
    let slug = format!("{base}-{}", &crate::ssr::public_id()[..6]);
    db::create_event(
        &st.db,
        &db::NewEvent {
            slug: slug.clone(),
            org_id,
            title,
            description: clean_text(&description, 4000),
            kind,
            starts_at: start,
            ends_at: start + minutes * 60,
            place: clean_text(&place, 200),
            online_url: online,
            capacity: cap,
            created_by: me.id,
        },
    )
    .await?;
    leptos_axum::redirect(&format!("/events/{slug}"));
    Ok(())
}

#[component]
pub fn NewEventForm(org_id: i64) -> impl IntoView {
    let action = ServerAction::<CreateEvent>::new();
    let p = problem_of(action);
    view! {
        <h3>{t(K::event_new)}</h3>
        <ActionForm action=action attr:class="form" attr:novalidate=true>
            <ErrorSummary problem=p/>
            <input type="hidden" name="org_id" value=org_id/>
            <Field problem=p name="title" label=K::event_title required=true/>
            <Field problem=p name="description" label=K::event_description/>
            <div class="field">
                <label for="f-kind">{t(K::event_kind)}</label>
                <select id="f-kind" name="kind">
                    {KINDS.iter().map(|k| view! { <option value=*k>{t(kind_label(k))}</option> }).collect_view()}
                </select>
            </div>
            <Field problem=p name="date" label=K::event_date kind="date" required=true/>
            <Field problem=p name="time" label=K::event_time kind="time" required=true/>
            <Field problem=p name="duration_minutes" label=K::event_duration kind="number" required=true initial="120"/>
            <Field problem=p name="place" label=K::event_place/>
            <Field problem=p name="online_url" label=K::event_online kind="url"/>
            <Field problem=p name="capacity" label=K::event_capacity kind="number" hint=K::hint_capacity/>
            <button type="submit" class="button">{t(K::event_publish)}</button>
        </ActionForm>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seats_then_waiting_list() {
        assert_eq!(seat_for(2, 0), Seat::Confirmed);
        assert_eq!(seat_for(2, 1), Seat::Confirmed);
        assert_eq!(seat_for(2, 2), Seat::Waitlisted);
        assert_eq!(seat_for(0, 500), Seat::Confirmed, "no limit");
        assert_eq!(to_promote(2, 1, 3), 1);
        assert_eq!(to_promote(2, 2, 3), 0);
        assert_eq!(to_promote(5, 1, 2), 2, "never more than are waiting");
        assert_eq!(to_promote(0, 9, 4), 4);
    }

    #[test]
    fn calendar_file_is_rfc5545() {
        let start = crate::fmt::parse_local("2026-12-05", "18:00").unwrap();
        let c = ics(
            "e1@participa",
            "Atelier: rampe, borduri; acces",
            "Linia 1\nLinia 2",
            "Focșani",
            "https://x/e",
            start,
            start + 7200,
            start,
        );
        assert!(c.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(c.contains("DTSTART:20261205T160000Z\r\n"), "{c}");
        assert!(c.contains("DTEND:20261205T180000Z"));
        assert!(c.contains("SUMMARY:Atelier: rampe\\, borduri\\; acces"));
        assert!(c.ends_with("END:VCALENDAR\r\n"));
    }
}
