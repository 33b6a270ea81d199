//! What the events server functions do, and the reminders job.
use super::rules::{self, Seat};
use super::{db, EventLists, EventView};
use crate::error::{FormState, Problem};
use crate::i18n::{fill, K};
use crate::orgs::OrgsError;
use crate::ssr::mail;

type R<T> = Result<T, OrgsError>;

pub async fn list() -> R<EventLists> {
    let st = crate::ssr::state();
    Ok(db::events(&st.db, crate::ssr::now()).await?)
}

pub async fn get(slug: &str) -> R<EventView> {
    let st = crate::ssr::state();
    let me = crate::accounts::session::current_user().await?;
    db::event(&st.db, slug, me.as_ref().map(|u| u.id)).await?.ok_or(OrgsError(Problem::NotFound))
}

pub async fn register(event_id: i64) -> R<()> {
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

pub async fn cancel(event_id: i64) -> R<()> {
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

pub async fn create(org_id: i64, f: rules::EventForm) -> R<()> {
    let st = crate::ssr::state();
    let me = crate::orgs::members::service::manager(org_id).await?;
    if let Some(wait) = crate::ssr::rate_limit::hit(&st.db, &format!("org.event:{org_id}"), 20, 86_400).await? {
        return Err(OrgsError(Problem::rate_limited(wait, FormState::new().value("title", &f.title))));
    }
    let form = FormState::new()
        .value("title", &f.title)
        .value("description", &f.description)
        .value("kind", &f.kind)
        .value("date", &f.date)
        .value("time", &f.time)
        .value("duration_minutes", &f.duration_minutes)
        .value("place", &f.place)
        .value("online_url", &f.online_url)
        .value("capacity", &f.capacity);
    let e = match rules::check_event(&f, crate::ssr::now()) {
        Ok(e) => e,
        Err(errs) => return Err(crate::orgs::invalid(form, errs)),
    };
    let slug = format!("{}-{}", e.slug_base, &crate::ssr::public_id()[..6]);
    db::create_event(
        &st.db,
        &db::NewEvent {
            slug: slug.clone(),
            org_id,
            title: e.title,
            description: e.description,
            kind: e.kind,
            starts_at: e.starts_at,
            ends_at: e.ends_at,
            place: e.place,
            online_url: e.online_url,
            capacity: e.capacity,
            created_by: me.id,
        },
    )
    .await?;
    leptos_axum::redirect(&format!("/events/{slug}"));
    Ok(())
}

/// Sends the day-before reminders that are due; run by every server's job loop. Each reminder is
/// claimed and queued in one transaction, so two servers never both send it. Returns how many
/// this server queued.
pub async fn send_reminders(db: &crate::ssr::Db, public_url: &str) -> Result<usize, sqlx::Error> {
    let now = crate::ssr::now();
    let due = db::due_event_reminders(db, now, now + 24 * 3600).await?;
    let mut queued = 0;
    for r in &due {
        let lang = crate::i18n::Lang::from_code(&r.lang);
        let when = crate::fmt::date_time(lang, r.starts_at);
        let body = fill(lang.t(K::mail_event_reminder_body), &[("title", &r.title), ("when", &when)]);
        let link = format!("{}/events/{}", public_url.trim_end_matches('/'), r.slug);
        let m = mail::compose(
            lang,
            &r.email,
            "event_reminder",
            K::mail_event_reminder_subject,
            &[body],
            Some((K::event_details, &link)),
        );
        // Read before the transaction, which then holds only the claim and the insert.
        let wanted = crate::ssr::mail::wanted(db, &m).await?;
        let mut tx = db.pool.begin().await?;
        // Claimed even when switched off, so the person is not asked again each minute.
        if !db::claim_reminder(&mut tx, r.registration_id, now).await? {
            continue;
        }
        if wanted {
            crate::ssr::mail::insert_in(&mut tx, &m).await?;
            queued += 1;
        }
        tx.commit().await?;
    }
    Ok(queued)
}
