//! One's own account: profile, roles, address, signed-in devices, personal data, and deletion.
use super::{query, role_label, SignInFirst};
use crate::accounts::{
    my_sessions, use_me, ChangeEmail, DeleteAccount, EndSessions, ExportMyData, SessionUser, UpdateProfile,
};
use crate::i18n::{t, use_lang, K};
use crate::ui::form::{problem_of, ErrorSummary, Field};
use crate::ui::{Notice, PageTitle};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

#[component]
pub fn Profile() -> impl IntoView {
    let me = use_me().0;
    let saved = query("saved");
    view! {
        <PageTitle k=K::profile_title />
        <h1>{t(K::profile_title)}</h1>
        {move || {
            let s = saved.get();
            let k = match s.as_str() {
                "profile" => Some(K::profile_saved),
                "email" => Some(K::email_change_sent),
                "password" => Some(K::password_changed),
                _ => None,
            };
            k.map(|k| view! { <Notice text=t(k) /> })
        }}
        <Transition fallback=|| {
            view! { <p>{t(K::loading)}</p> }
        }>
            {move || Suspend::new(async move {
                match me.await {
                    Ok(Some(user)) => view! { <ProfileForms user /> }.into_any(),
                    _ => view! { <SignInFirst /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ProfileForms(user: SessionUser) -> impl IntoView {
    let lang = use_lang();
    let profile = ServerAction::<UpdateProfile>::new();
    let pp = problem_of(profile);
    let email = ServerAction::<ChangeEmail>::new();
    let pe = problem_of(email);
    let roles = user
        .roles
        .iter()
        .map(|r| {
            let name = role_label(r.kind);
            let text = match &r.scope_name {
                Some(s) => format!("{} — {s}", t(name)),
                None => t(name).to_string(),
            };
            view! { <li>{text}</li> }
        })
        .collect_view();
    view! {
        {(!user.verified)
            .then(|| {
                view! {
                    <p class="warning" role="status">
                        {t(K::profile_unverified)}
                    </p>
                }
            })}
        <section aria-labelledby="profile-h">
            <h2 id="profile-h">{t(K::profile_details)}</h2>
            <p>{t(K::field_email)} ": " <strong>{user.email.clone()}</strong></p>
            <ActionForm action=profile attr:class="form" attr:novalidate=true>
                <ErrorSummary problem=pp />
                <Field
                    problem=pp
                    name="display_name"
                    label=K::field_display_name
                    autocomplete="name"
                    required=true
                    initial=user.display_name.clone()
                />
                <Field
                    problem=pp
                    name="locality"
                    label=K::field_locality
                    autocomplete="address-level2"
                    initial=user.locality.clone()
                />
                <Field
                    problem=pp
                    name="county"
                    label=K::field_county
                    autocomplete="address-level1"
                    initial=user.county.clone()
                />
                <button type="submit" class="button">
                    {t(K::profile_save)}
                </button>
            </ActionForm>
        </section>
        <section aria-labelledby="roles-h">
            <h2 id="roles-h">{t(K::profile_roles)}</h2>
            <ul>
                <li>{t(K::role_resident)}</li>
                {roles}
            </ul>
        </section>
        <section aria-labelledby="email-h">
            <h2 id="email-h">{t(K::email_change_title)}</h2>
            <p>{t(K::email_change_text)}</p>
            <ActionForm action=email attr:class="form" attr:novalidate=true>
                <ErrorSummary problem=pe />
                <Field
                    problem=pe
                    name="email"
                    label=K::field_new_email
                    kind="email"
                    autocomplete="email"
                    required=true
                />
                <Field
                    problem=pe
                    name="password"
                    label=K::field_current_password
                    kind="password"
                    autocomplete="current-password"
                    required=true
                />
                <button type="submit" class="button secondary">
                    {t(K::email_change_submit)}
                </button>
            </ActionForm>
        </section>
        <Sessions />
        <section aria-labelledby="data-h">
            <h2 id="data-h">{t(K::data_title)}</h2>
            <p>{t(K::data_text)}</p>
            <p>
                <a class="button secondary" href=ExportMyData::PATH download="participa-my-data.json">
                    {t(K::data_download)}
                </a>
            </p>
            <p>{t(K::personal_zip_text)}</p>
            <p>
                <a class="button secondary" href="/account/export.zip" download="participa-my-data.zip">
                    {t(K::personal_download_zip)}
                </a>
            </p>
            <p>
                <a href="/account/delete">{t(K::delete_link)}</a>
            </p>
        </section>
        <section aria-labelledby="notify-h">
            <h2 id="notify-h">{t(K::notify_title)}</h2>
            <p>
                <a href="/account/notifications">{t(K::notify_manage)}</a>
            </p>
        </section>
        <p class="muted">{t(K::profile_lang_note)} " " {lang.endonym()}</p>
    }
}

/// Where the person is signed in, with "sign out" per device and everywhere else.
#[component]
fn Sessions() -> impl IntoView {
    let lang = use_lang();
    let list = Resource::new(|| (), |_| my_sessions());
    let end = ServerAction::<EndSessions>::new();
    view! {
        <section aria-labelledby="sessions-h">
            <h2 id="sessions-h">{t(K::sessions_title)}</h2>
            <p>{t(K::sessions_text)}</p>
            <Transition fallback=|| {
                view! { <p>{t(K::loading)}</p> }
            }>
                {move || Suspend::new(async move {
                    let rows = list.await.unwrap_or_default();
                    let others = rows.iter().filter(|r| !r.current).count();
                    view! {
                        <ul class="sessions">
                            {rows
                                .into_iter()
                                .map(|r| {
                                    let device = if r.user_agent.is_empty() {
                                        t(K::sessions_unknown_device).to_string()
                                    } else {
                                        r.user_agent.clone()
                                    };
                                    view! {
                                        <li>
                                            <p>
                                                <strong>{device}</strong>
                                                {r
                                                    .current
                                                    .then(|| {
                                                        view! {
                                                            " "
                                                            <span class="tag">{t(K::sessions_this_device)}</span>
                                                        }
                                                    })}
                                            </p>
                                            <p class="muted small">
                                                {crate::i18n::fill(
                                                    t(K::sessions_since),
                                                    &[("when", &crate::fmt::date_time(lang, r.created_at))],
                                                )} " · "
                                                {crate::i18n::fill(
                                                    t(K::sessions_last_seen),
                                                    &[("when", &crate::fmt::date_time(lang, r.last_seen_at))],
                                                )}
                                            </p>
                                            {(!r.current)
                                                .then(|| {
                                                    view! {
                                                        <ActionForm action=end attr:class="inline-form">
                                                            <input
                                                                type="hidden"
                                                                name="session"
                                                                value=r.public_id.clone()
                                                            />
                                                            <button type="submit" class="button secondary">
                                                                {t(K::sessions_end)}
                                                            </button>
                                                        </ActionForm>
                                                    }
                                                })}
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                        {(others > 0)
                            .then(|| {
                                view! {
                                    <ActionForm action=end attr:class="inline-form">
                                        <input type="hidden" name="session" value="all" />
                                        <button type="submit" class="button danger">
                                            {t(K::sessions_end_all)}
                                        </button>
                                    </ActionForm>
                                }
                            })}
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
pub fn Delete() -> impl IntoView {
    let me = use_me().0;
    let action = ServerAction::<DeleteAccount>::new();
    let p = problem_of(action);
    let word = t(K::account_delete_word);
    view! {
        <PageTitle k=K::delete_title />
        <h1>{t(K::delete_title)}</h1>
        <Transition fallback=|| {
            view! { <p>{t(K::loading)}</p> }
        }>
            {move || Suspend::new(async move {
                match me.await {
                    Ok(Some(_)) => {
                        view! {
                            <p>{t(K::delete_text)}</p>
                            <p>{t(K::personal_delete_photos)}</p>
                            <p>{t(K::personal_delete_donations)}</p>
                            <ActionForm action=action attr:class="form" attr:novalidate=true>
                                <ErrorSummary problem=p />
                                <Field
                                    problem=p
                                    name="password"
                                    label=K::field_current_password
                                    kind="password"
                                    autocomplete="current-password"
                                    required=true
                                />
                                <Field
                                    problem=p
                                    name="confirm"
                                    label=K::field_delete_confirm
                                    required=true
                                    hint=K::hint_delete_confirm
                                />
                                <p class="muted">{crate::i18n::fill(t(K::delete_type_word), &[("word", word)])}</p>
                                <button type="submit" class="button danger">
                                    {t(K::delete_submit)}
                                </button>
                            </ActionForm>
                        }
                            .into_any()
                    }
                    _ => view! { <SignInFirst /> }.into_any(),
                }
            })}
        </Transition>
    }
}
