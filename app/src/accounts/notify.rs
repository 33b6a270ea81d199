//! The notification centre: one page where a person chooses which e-mails each capability may send
//! them. Mail that answers something they just did (verification, receipts, registrations) is always
//! sent; everything else can be switched off, one kind at a time or all at once.
use crate::i18n::{t, K};
use crate::ui::form::{problem_of, ErrorSummary};
use crate::ui::{Notice, PageTitle};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

/// One heading of the notification centre: the kinds a person may switch off, and the ones
/// always sent (listed for information).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NotifyGroup {
    pub label: K,
    pub optional: Vec<NotifyKind>,
    pub always: Vec<K>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NotifyKind {
    pub code: String,
    pub label: K,
    pub on: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    pub paused: bool,
    /// The kinds every feature registered, by heading, in the order they registered.
    pub groups: Vec<NotifyGroup>,
}

#[server]
pub async fn my_notifications() -> Result<Option<Settings>, super::AccountsError> {
    use crate::ssr::mail::kinds::{self, PAUSE_ALL};
    let Some(me) = crate::accounts::session::current_user().await? else { return Ok(None) };
    let prefs = super::db::notification_prefs(&crate::ssr::state().db, me.id).await?;
    let paused = prefs.iter().any(|(c, on)| c == PAUSE_ALL && !on);
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
            let on = prefs.iter().find(|(c, _)| c == k.code).map(|(_, on)| *on).unwrap_or(true);
            groups[i].optional.push(NotifyKind { code: k.code.to_string(), label: k.label, on });
        } else {
            groups[i].always.push(k.label);
        }
    }
    Ok(Some(Settings { paused, groups }))
}

#[server]
pub async fn save_notifications(
    #[server(default)] on: Vec<String>,
    #[server(default)] pause: Option<String>,
) -> Result<(), super::AccountsError> {
    use crate::ssr::mail::kinds::{self, PAUSE_ALL};
    let me = crate::accounts::session::current_user()
        .await?
        .ok_or(super::AccountsError(crate::error::Problem::Unauthenticated))?;
    let mut rows: Vec<(String, bool)> = kinds::all()
        .iter()
        .filter(|k| k.optional)
        .map(|k| (k.code.to_string(), on.iter().any(|c| c == k.code)))
        .collect();
    rows.push((PAUSE_ALL.to_string(), pause.as_deref() != Some("yes")));
    super::db::save_notification_prefs(&crate::ssr::state().db, me.id, &rows).await?;
    leptos_axum::redirect("/account/notifications?saved=1");
    Ok(())
}

#[component]
pub fn NotificationsPage() -> impl IntoView {
    let action = ServerAction::<SaveNotifications>::new();
    let p = problem_of(action);
    let settings = Resource::new(|| (), |_| my_notifications());
    let q = use_query_map();
    view! {
        <PageTitle k=K::notify_title/>
        <h1>{t(K::notify_title)}</h1>
        <p>{t(K::notify_intro)}</p>
        {move || q.with(|q| q.get("saved").is_some()).then(|| view! { <Notice text=t(K::notify_saved)/> })}
        <Transition fallback=|| view! { <p>{t(K::loading)}</p> }>
            {move || Suspend::new(async move {
                match settings.await {
                    Ok(Some(s)) => {
                        let sections = s
                            .groups
                            .into_iter()
                            .map(|g| {
                                let optional = g
                                    .optional
                                    .into_iter()
                                    .map(|k| {
                                        let id = format!("n-{}", k.code.replace('.', "-"));
                                        view! {
                                            <div class="check">
                                                <input type="checkbox" id=id.clone() name="on[]" value=k.code checked=k.on/>
                                                <label for=id>{t(k.label)}</label>
                                            </div>
                                        }
                                    })
                                    .collect_view();
                                let always: Vec<&str> = g.always.iter().map(|k| t(*k)).collect();
                                view! {
                                    <fieldset class="notify-group">
                                        <legend>{t(g.label)}</legend>
                                        {optional}
                                        {(!always.is_empty()).then(|| view! {
                                            <p class="hint">{t(K::notify_always)} " " {always.join("; ")}</p>
                                        })}
                                    </fieldset>
                                }
                            })
                            .collect_view();
                        view! {
                            <ActionForm action=action attr:class="form">
                                <ErrorSummary problem=p/>
                                {sections}
                                <fieldset class="notify-group">
                                    <legend>{t(K::notify_pause_legend)}</legend>
                                    <div class="check">
                                        <input type="checkbox" id="n-pause" name="pause" value="yes" checked=s.paused/>
                                        <label for="n-pause">{t(K::notify_pause)}</label>
                                    </div>
                                </fieldset>
                                <button type="submit" class="button">{t(K::notify_save)}</button>
                            </ActionForm>
                            <p>{t(K::notify_newsletter)} " " <a href="/newsletter">{t(K::notify_newsletter_link)}</a></p>
                        }
                        .into_any()
                    }
                    _ => view! { <p><a href="/account/login?next=/account/notifications">{t(K::nav_login)}</a></p> }.into_any(),
                }
            })}
        </Transition>
    }
}
