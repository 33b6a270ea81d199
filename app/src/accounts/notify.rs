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

/// The capability a kind of mail belongs to; the page groups settings by it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Group {
    Account,
    Orgs,
    Map,
    Consultations,
    Donations,
}

impl Group {
    pub fn label(self) -> K {
        match self {
            Group::Account => K::notify_group_account,
            Group::Orgs => K::notify_group_orgs,
            Group::Map => K::notify_group_map,
            Group::Consultations => K::notify_group_consultations,
            Group::Donations => K::notify_group_donations,
        }
    }
}

pub struct MailKind {
    pub code: &'static str,
    pub group: Group,
    pub label: K,
    /// False for mail a person must get (it completes something they asked for).
    pub optional: bool,
}

/// Switches off every optional kind at once, without losing the per-kind choices.
pub const PAUSE_ALL: &str = "*";

/// Every kind of mail the platform sends to people. A kind missing here is treated as essential.
pub const KINDS: &[MailKind] = &[
    MailKind { code: "verify", group: Group::Account, label: K::notify_kind_verify, optional: false },
    MailKind { code: "reset", group: Group::Account, label: K::notify_kind_reset, optional: false },
    MailKind { code: "change_email", group: Group::Account, label: K::notify_kind_change_email, optional: false },
    MailKind { code: "exists", group: Group::Account, label: K::notify_kind_exists, optional: false },
    MailKind { code: "official_decision", group: Group::Account, label: K::notify_kind_official, optional: false },
    MailKind { code: "org_invite", group: Group::Orgs, label: K::notify_kind_org_invite, optional: false },
    MailKind { code: "event", group: Group::Orgs, label: K::notify_kind_event, optional: false },
    MailKind { code: "event_reminder", group: Group::Orgs, label: K::notify_kind_event_reminder, optional: true },
    MailKind { code: "org_join_request", group: Group::Orgs, label: K::notify_kind_join_request, optional: true },
];

pub fn kind(code: &str) -> Option<&'static MailKind> {
    KINDS.iter().find(|k| k.code == code)
}

/// Whether a mail of this kind may go to someone with these saved choices (`(kind, enabled)` rows).
pub fn allowed(code: &str, prefs: &[(String, bool)]) -> bool {
    let Some(k) = kind(code) else { return true };
    if !k.optional {
        return true;
    }
    let paused = prefs.iter().any(|(c, on)| c == PAUSE_ALL && !on);
    let own = prefs.iter().find(|(c, _)| c == code).map(|(_, on)| *on);
    !paused && own.unwrap_or(true)
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    pub paused: bool,
    /// Optional kinds that are on.
    pub on: Vec<String>,
}

#[server]
pub async fn my_notifications() -> Result<Option<Settings>, super::AccountsError> {
    let Some(me) = crate::ssr::auth::current_user().await? else { return Ok(None) };
    let prefs = super::db::notification_prefs(&crate::ssr::state().db, me.id).await?;
    let on = KINDS.iter().filter(|k| k.optional && allowed(k.code, &prefs)).map(|k| k.code.to_string()).collect();
    let paused = prefs.iter().any(|(c, on)| c == PAUSE_ALL && !on);
    // With everything paused, show the per-kind choices as they will be when resumed.
    let on = if paused {
        KINDS
            .iter()
            .filter(|k| k.optional && prefs.iter().find(|(c, _)| c == k.code).map(|(_, on)| *on).unwrap_or(true))
            .map(|k| k.code.to_string())
            .collect()
    } else {
        on
    };
    Ok(Some(Settings { paused, on }))
}

#[server]
pub async fn save_notifications(
    #[server(default)] on: Vec<String>,
    #[server(default)] pause: Option<String>,
) -> Result<(), super::AccountsError> {
    let me =
        crate::ssr::auth::current_user().await?.ok_or(super::AccountsError(crate::error::Problem::Unauthenticated))?;
    let mut rows: Vec<(String, bool)> =
        KINDS.iter().filter(|k| k.optional).map(|k| (k.code.to_string(), on.iter().any(|c| c == k.code))).collect();
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
    let groups = [Group::Account, Group::Orgs, Group::Map, Group::Consultations, Group::Donations];
    view! {
        <PageTitle k=K::notify_title/>
        <h1>{t(K::notify_title)}</h1>
        <p>{t(K::notify_intro)}</p>
        {move || q.with(|q| q.get("saved").is_some()).then(|| view! { <Notice text=t(K::notify_saved)/> })}
        <Transition fallback=|| view! { <p>{t(K::loading)}</p> }>
            {move || Suspend::new(async move {
                match settings.await {
                    Ok(Some(s)) => {
                        let sections = groups
                            .into_iter()
                            .filter(|g| KINDS.iter().any(|k| k.group == *g))
                            .map(|g| {
                                let optional = KINDS
                                    .iter()
                                    .filter(|k| k.group == g && k.optional)
                                    .map(|k| {
                                        let id = format!("n-{}", k.code.replace('.', "-"));
                                        let checked = s.on.iter().any(|c| c == k.code);
                                        view! {
                                            <div class="check">
                                                <input type="checkbox" id=id.clone() name="on[]" value=k.code checked=checked/>
                                                <label for=id>{t(k.label)}</label>
                                            </div>
                                        }
                                    })
                                    .collect_view();
                                let always: Vec<&str> =
                                    KINDS.iter().filter(|k| k.group == g && !k.optional).map(|k| t(k.label)).collect();
                                view! {
                                    <fieldset class="notify-group">
                                        <legend>{t(g.label())}</legend>
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

#[cfg(test)]
mod tests {
    use super::*;

    fn prefs(rows: &[(&str, bool)]) -> Vec<(String, bool)> {
        rows.iter().map(|(c, b)| (c.to_string(), *b)).collect()
    }

    #[test]
    fn essential_mail_always_goes() {
        assert!(allowed("verify", &prefs(&[("verify", false), (PAUSE_ALL, false)])));
        assert!(allowed("event", &prefs(&[(PAUSE_ALL, false)])));
        // Unknown kinds are treated as essential, so a new feature never silently drops mail.
        assert!(allowed("something.new", &prefs(&[(PAUSE_ALL, false)])));
    }

    #[test]
    fn optional_mail_follows_the_choice_and_the_pause() {
        assert!(allowed("event_reminder", &[]));
        assert!(!allowed("event_reminder", &prefs(&[("event_reminder", false)])));
        assert!(!allowed("event_reminder", &prefs(&[("event_reminder", true), (PAUSE_ALL, false)])));
        assert!(allowed("event_reminder", &prefs(&[("event_reminder", true), (PAUSE_ALL, true)])));
    }

    #[test]
    fn kinds_are_unique() {
        for (i, a) in KINDS.iter().enumerate() {
            assert!(KINDS.iter().skip(i + 1).all(|b| b.code != a.code), "{} twice", a.code);
        }
    }
}
