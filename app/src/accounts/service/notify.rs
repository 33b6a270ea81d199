//! The notification centre: the kinds every feature registered, grouped as the page shows them,
//! and the person's choices among them.
use super::*;
use crate::accounts::notify::{NotifyGroup, NotifyKind, Settings};
use crate::accounts::session::{current_user, require_user};
use crate::ssr::mail::kinds::{self, PAUSE_ALL};
use crate::ssr::mail::prefs;

/// None when nobody is signed in (the page then offers to sign in).
pub async fn my_notifications() -> Result<Option<Settings>, AccountsError> {
    let Some(me) = current_user().await? else { return Ok(None) };
    let saved = prefs::notification_prefs(&ssr::state().db, me.id).await?;
    let paused = saved.iter().any(|(c, on)| c == PAUSE_ALL && !on);
    let mut groups: Vec<NotifyGroup> = vec![];
    for k in kinds::all() {
        let i = match groups.iter().position(|g| g.label == k.group) {
            Some(i) => i,
            None => {
                groups.push(NotifyGroup { label: k.group, optional: vec![], always: vec![] });
                groups.len() - 1
            }
        };
        if k.optional {
            // With everything paused, the per-kind choices show as they will be when resumed.
            let on = saved.iter().find(|(c, _)| c == k.code).map(|(_, on)| *on).unwrap_or(true);
            groups[i].optional.push(NotifyKind { code: k.code.to_string(), label: k.label, on });
        } else {
            groups[i].always.push(k.label);
        }
    }
    Ok(Some(Settings { paused, groups }))
}

/// `on` holds the codes left ticked; `pause` is "yes" to pause every optional kind.
pub async fn save_notifications(on: Vec<String>, pause: Option<String>) -> Result<(), AccountsError> {
    let me = require_user().await?;
    let mut rows: Vec<(String, bool)> = kinds::all()
        .iter()
        .filter(|k| k.optional)
        .map(|k| (k.code.to_string(), on.iter().any(|c| c == k.code)))
        .collect();
    rows.push((PAUSE_ALL.to_string(), pause.as_deref() != Some("yes")));
    prefs::save_notification_prefs(&ssr::state().db, me.id, &rows).await?;
    leptos_axum::redirect("/account/notifications?saved=1");
    Ok(())
}
