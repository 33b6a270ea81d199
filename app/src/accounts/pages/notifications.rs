//! The notification centre's page: a tick per kind a person may switch off, grouped by heading,
//! and one switch that pauses them all.
use crate::accounts::notify::{my_notifications, SaveNotifications};
use crate::i18n::{t, K};
use crate::ui::form::{problem_of, ErrorSummary};
use crate::ui::{Notice, PageTitle};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn NotificationsPage() -> impl IntoView {
    let action = ServerAction::<SaveNotifications>::new();
    let p = problem_of(action);
    let settings = Resource::new(|| (), |_| my_notifications());
    let q = use_query_map();
    view! {
        <PageTitle k=K::notify_title />
        <h1>{t(K::notify_title)}</h1>
        <p>{t(K::notify_intro)}</p>
        {move || q.with(|q| q.get("saved").is_some()).then(|| view! { <Notice text=t(K::notify_saved) /> })}
        <Transition fallback=|| {
            view! { <p>{t(K::loading)}</p> }
        }>
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
                                                <input
                                                    type="checkbox"
                                                    id=id.clone()
                                                    name="on[]"
                                                    value=k.code
                                                    checked=k.on
                                                />
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
                                        {(!always.is_empty())
                                            .then(|| {
                                                view! {
                                                    <p class="hint">{t(K::notify_always)} " " {always.join("; ")}</p>
                                                }
                                            })}
                                    </fieldset>
                                }
                            })
                            .collect_view();
                        view! {
                            <ActionForm action=action attr:class="form">
                                <ErrorSummary problem=p />
                                {sections}
                                <fieldset class="notify-group">
                                    <legend>{t(K::notify_pause_legend)}</legend>
                                    <div class="check">
                                        <input type="checkbox" id="n-pause" name="pause" value="yes" checked=s.paused />
                                        <label for="n-pause">{t(K::notify_pause)}</label>
                                    </div>
                                </fieldset>
                                <button type="submit" class="button">
                                    {t(K::notify_save)}
                                </button>
                            </ActionForm>
                            <p>
                                {t(K::notify_newsletter)} " " <a href="/newsletter">{t(K::notify_newsletter_link)}</a>
                            </p>
                        }
                            .into_any()
                    }
                    _ => {
                        view! {
                            <p>
                                <a href="/account/login?next=/account/notifications">{t(K::nav_login)}</a>
                            </p>
                        }
                            .into_any()
                    }
                }
            })}
        </Transition>
    }
}
