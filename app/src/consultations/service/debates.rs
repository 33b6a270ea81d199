//! The public debate: organisations ask for one, the organiser schedules it (followers hear), people
//! register.
use super::notify::notify_followers;
use super::{organised, problem, redirect, refuse, signed_in, R};
use crate::consultations::db;
use crate::consultations::rules::dates::check_debate;
use crate::consultations::rules::{speaking_for, Phase};
use crate::error::{FormState, Problem};
use crate::i18n::K;
use crate::ssr::{now, state};
use crate::text::clean_multiline;

pub async fn request_debate(id: i64, org_id: i64, reason: &str) -> R<()> {
    let st = state();
    let user = signed_in().await?;
    let d = db::detail_by_id(&st.db, id).await?.ok_or(problem(Problem::NotFound))?;
    if !d.card.status.is_public() {
        return Err(problem(Problem::NotFound));
    }
    if !speaking_for(&user).iter().any(|(o, _)| *o == org_id) {
        return Err(problem(Problem::Forbidden));
    }
    if !matches!(d.card.phase, Phase::Open | Phase::Upcoming) {
        return Err(refuse(K::consultations_err_not_open));
    }
    let reason = clean_multiline(reason, 2_000);
    db::add_debate_request(&st.db, id, org_id, user.id, &reason).await?;
    redirect(&format!("/consultations/{}?debate=1#debate", d.card.slug));
    Ok(())
}

pub async fn schedule_debate(id: i64, date: &str, time: &str, place: &str, url: &str, minutes: &str) -> R<()> {
    let (_, d) = organised(id).await?;
    let mut form = FormState::new()
        .value("date", date)
        .value("time", time)
        .value("place", place)
        .value("online_url", url)
        .value("minutes", minutes);
    let starts = crate::fmt::parse_local(date, time);
    match starts {
        None => form.add("date", K::consultations_err_date),
        Some(s) => {
            if let Err(k) = check_debate(now(), s, d.adoption_at) {
                form.add("date", k);
            }
        }
    }
    let url = crate::text::clean_text(url, 300);
    if !url.is_empty() && !url.starts_with("https://") {
        form.add("online_url", K::err_url);
    }
    let place = crate::text::clean_text(place, 300);
    if place.is_empty() && url.is_empty() {
        form.add("place", K::consultations_err_place);
    }
    let (Some(starts), true) = (starts, form.is_ok()) else { return Err(form.into()) };
    db::set_debate(&state().db, id, starts, &place, &url, &clean_multiline(minutes, 50_000)).await?;
    notify_followers(
        &d,
        "consultations.debate",
        K::consultations_mail_debate_subject,
        K::consultations_mail_debate_body,
        None,
    )
    .await?;
    redirect(&format!("/consultations/{}/manage?debate=1", d.card.slug));
    Ok(())
}

pub async fn register_debate(id: i64) -> R<()> {
    let st = state();
    let user = signed_in().await?;
    let d = db::detail_by_id(&st.db, id).await?.ok_or(problem(Problem::NotFound))?;
    let debate = db::debate(&st.db, id).await?;
    if !d.card.status.is_public() || debate.starts_at.is_none_or(|s| s < now()) {
        return Err(refuse(K::consultations_err_no_debate));
    }
    db::register_debate(&st.db, id, user.id).await?;
    redirect(&format!("/consultations/{}?registered=1#debate", d.card.slug));
    Ok(())
}
