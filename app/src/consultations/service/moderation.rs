//! Moderation: a moderator's step on a comment, the queue and the public log.
use super::{me, problem, redirect, refuse, signed_in, visible, R};
use crate::consultations::rules::{
    is_moderator, moderated_status, moderates_everywhere, organised_owners, ModerationRefusal, REPORT_REASONS,
};
use crate::consultations::{db, Log, Queue};
use crate::error::{FormState, Problem};
use crate::i18n::K;
use crate::ssr::state;
use crate::text::clean_multiline;

/// A moderator's step on a comment (hide, restore, approve, dismiss the reports), then back to `next`.
pub async fn moderate(id: i64, action: &str, reason: &str, next: &str) -> R<()> {
    let st = state();
    let user = signed_in().await?;
    let m = db::comment_meta(&st.db, id).await?.ok_or(problem(Problem::NotFound))?;
    let d = db::detail_by_id(&st.db, m.consultation_id).await?.ok_or(problem(Problem::NotFound))?;
    if !is_moderator(&user, &d.card.owner_kind, d.card.owner_id) {
        return Err(problem(Problem::Forbidden));
    }
    let reason = clean_multiline(reason, 500);
    let mut form = FormState::new().value("form_key", &format!("mod-{id}")).value("reason", &reason);
    let status = match moderated_status(action, m.status, &reason) {
        Ok(s) => s,
        Err(ModerationRefusal::Reason) => {
            form.add("reason", K::consultations_err_reason);
            return Err(form.into());
        }
        Err(ModerationRefusal::Transition) => return Err(refuse(K::consultations_err_transition)),
    };
    db::moderate(&st.db, d.card.id, id, status, action, &reason, Some(user.id)).await?;
    let next = crate::accounts::rules::safe_next(next);
    let next = if next == "/account" { "/consultations/moderation" } else { next };
    redirect(next);
    Ok(())
}

/// The queue: every consultation's for platform moderators, their own consultations' for organisers.
pub async fn queue(consultation: &str, reason: &str, state_filter: &str) -> R<Queue> {
    let user = signed_in().await?;
    let everywhere = moderates_everywhere(&user);
    if !everywhere && organised_owners(&user).is_empty() {
        return Err(problem(Problem::Forbidden));
    }
    let st = state();
    let reason = if REPORT_REASONS.contains(&reason) { reason } else { "" };
    let state_filter = match state_filter {
        "pending" | "hidden" => state_filter,
        _ => "reported",
    };
    // The organiser's own consultations only, chosen in the query before its limit.
    let items = db::queue(&st.db, consultation.trim(), reason, state_filter, (!everywhere).then_some(user.id)).await?;
    let (pending, reported, hidden) = if everywhere { db::queue_counts(&st.db).await? } else { (0, 0, 0) };
    Ok(Queue {
        items,
        pending,
        reported,
        hidden,
        state: state_filter.to_string(),
        reason: reason.to_string(),
        consultation: consultation.trim().to_string(),
        everywhere,
    })
}

/// The public log of a consultation's moderation.
pub async fn log(slug: &str) -> R<Log> {
    let user = me().await?;
    let d = visible(slug, user.as_ref()).await?;
    Ok(Log { card: d.card.clone(), entries: db::log(&state().db, d.card.id).await? })
}
