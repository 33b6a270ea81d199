//! Following a consultation, subscribing to new ones, and the unsubscribe behind their mails.
use super::{problem, redirect, refuse, signed_in, R};
use crate::consultations::db;
use crate::consultations::rules::TOPICS;
use crate::error::{FormState, Problem};
use crate::i18n::K;
use crate::ssr::{self, rate_limit, state};

/// Follows a published consultation, or stops following it.
pub async fn toggle_follow(id: i64) -> R<()> {
    let st = state();
    let user = signed_in().await?;
    if let Some(wait) = rate_limit::hit(&st.db, &format!("consult-follow:{}", user.id), 60, 3_600).await? {
        return Err(problem(Problem::rate_limited(wait, FormState::new())));
    }
    let d = db::detail_by_id(&st.db, id).await?.ok_or(problem(Problem::NotFound))?;
    if !d.card.status.is_public() {
        return Err(problem(Problem::NotFound));
    }
    if db::is_following(&st.db, id, user.id).await? {
        db::unfollow(&st.db, id, user.id).await?;
    } else {
        db::follow(&st.db, id, user.id).await?;
    }
    redirect(&format!("/consultations/{}?follow=1", d.card.slug));
    Ok(())
}

/// Mails about new consultations on a topic (or any) in a county (or anywhere).
pub async fn subscribe(topic: &str, county: &str) -> R<()> {
    let user = signed_in().await?;
    if let Some(wait) = rate_limit::hit(&state().db, &format!("consult-subscribe:{}", user.id), 20, 3_600).await? {
        return Err(problem(Problem::rate_limited(wait, FormState::new())));
    }
    let topic = if TOPICS.contains(&topic) { topic } else { "" };
    let county = crate::text::clean_text(county, 40);
    db::subscribe(&state().db, user.id, topic, &county).await?;
    redirect("/consultations?subscribed=1");
    Ok(())
}

/// The unsubscribe behind every follow and subscription mail; false when the link is not ours.
pub async fn unsubscribe_with(db_: &ssr::Db, keys: &ssr::signing::Keys, token: &str) -> Result<bool, sqlx::Error> {
    let what = keys.verify(ssr::signing::Purpose::Unsubscribe, token);
    match what.as_deref().and_then(|w| w.split_once(':')) {
        Some(("follow", id)) => db::unfollow_by_public(db_, id).await.map(|_| true),
        Some(("sub", id)) => db::unsubscribe_by_public(db_, id).await.map(|_| true),
        _ => Ok(false),
    }
}

/// The page behind the unsubscribe link: a link that is not ours is refused.
pub async fn unsubscribe(token: &str) -> R<()> {
    let st = state();
    if !unsubscribe_with(&st.db, &st.settings.keys, token).await? {
        return Err(refuse(K::err_link_invalid));
    }
    redirect("/consultations/unsubscribe?done=1");
    Ok(())
}
