//! Account pages: every form is an ActionForm, so it posts before (or without) hydration.
use super::*;
use crate::accounts::use_me;
use crate::i18n::{t, use_lang, K};
use crate::ui::form::{problem_of, ErrorSummary, Field, Honeypot};
use crate::ui::{Notice, PageTitle};
use leptos::form::ActionForm;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;

fn query(name: &'static str) -> Signal<String> {
    let q = use_query_map();
    Signal::derive(move || q.with(|q| q.get(name).unwrap_or_default()))
}

#[component]
pub fn Register() -> impl IntoView {
    let action = ServerAction::<Register>::new();
    let p = problem_of(action);
    view! {
        <PageTitle k=K::register_title/>
        <h1>{t(K::register_title)}</h1>
        <p>{t(K::register_intro)}</p>
        <ActionForm action=action attr:class="form" attr:novalidate=true>
            <ErrorSummary problem=p/>
            <Field problem=p name="display_name" label=K::field_display_name autocomplete="name" required=true hint=K::hint_display_name/>
            <Field problem=p name="email" label=K::field_email kind="email" autocomplete="email" required=true/>
            <Field problem=p name="password" label=K::field_password kind="password" autocomplete="new-password" required=true hint=K::hint_password/>
            <Honeypot/>
            <button type="submit" class="button">{t(K::register_submit)}</button>
        </ActionForm>
        <p>{t(K::register_have_account)} " " <a href="/account/login">{t(K::nav_login)}</a></p>
    }
}

#[component]
pub fn CheckEmail() -> impl IntoView {
    view! {
        <PageTitle k=K::check_email_title/>
        <h1>{t(K::check_email_title)}</h1>
        <p>{t(K::check_email_text)}</p>
    }
}

#[component]
pub fn Verify() -> impl IntoView {
    let action = ServerAction::<VerifyEmail>::new();
    let p = problem_of(action);
    let token = query("token");
    view! {
        <PageTitle k=K::verify_title/>
        <h1>{t(K::verify_title)}</h1>
        <p>{t(K::verify_text)}</p>
        <ActionForm action=action attr:class="form">
            <ErrorSummary problem=p/>
            <input type="hidden" name="token" value=token/>
            <button type="submit" class="button">{t(K::verify_submit)}</button>
        </ActionForm>
    }
}

#[component]
pub fn Verified() -> impl IntoView {
    view! {
        <PageTitle k=K::verified_title/>
        <h1>{t(K::verified_title)}</h1>
        <p>{t(K::verified_text)}</p>
        <p><a class="button" href="/account">{t(K::nav_account)}</a></p>
    }
}

#[component]
pub fn Login() -> impl IntoView {
    let action = ServerAction::<Login>::new();
    let p = problem_of(action);
    let next = query("next");
    view! {
        <PageTitle k=K::login_title/>
        <h1>{t(K::login_title)}</h1>
        <ActionForm action=action attr:class="form" attr:novalidate=true>
            <ErrorSummary problem=p/>
            <input type="hidden" name="next" value=next/>
            <Field problem=p name="email" label=K::field_email kind="email" autocomplete="username" required=true/>
            <Field problem=p name="password" label=K::field_password kind="password" autocomplete="current-password" required=true/>
            <button type="submit" class="button">{t(K::login_submit)}</button>
        </ActionForm>
        <p><a href="/account/forgot">{t(K::login_forgot)}</a></p>
        <p>{t(K::login_no_account)} " " <a href="/account/register">{t(K::nav_register)}</a></p>
    }
}

#[component]
pub fn Forgot() -> impl IntoView {
    let action = ServerAction::<ForgotPassword>::new();
    let p = problem_of(action);
    let sent = query("sent");
    view! {
        <PageTitle k=K::forgot_title/>
        <h1>{t(K::forgot_title)}</h1>
        {move || (!sent.get().is_empty()).then(|| view! { <Notice text=t(K::forgot_sent)/> })}
        <p>{t(K::forgot_text)}</p>
        <ActionForm action=action attr:class="form" attr:novalidate=true>
            <ErrorSummary problem=p/>
            <Field problem=p name="email" label=K::field_email kind="email" autocomplete="email" required=true/>
            <button type="submit" class="button">{t(K::forgot_submit)}</button>
        </ActionForm>
    }
}

#[component]
pub fn Reset() -> impl IntoView {
    let action = ServerAction::<ResetPassword>::new();
    let p = problem_of(action);
    let token = query("token");
    view! {
        <PageTitle k=K::reset_title/>
        <h1>{t(K::reset_title)}</h1>
        <ActionForm action=action attr:class="form" attr:novalidate=true>
            <ErrorSummary problem=p/>
            <input type="hidden" name="token" value=token/>
            <Field problem=p name="password" label=K::field_new_password kind="password" autocomplete="new-password" required=true hint=K::hint_password/>
            <button type="submit" class="button">{t(K::reset_submit)}</button>
        </ActionForm>
    }
}

/// Shown instead of a page that needs an account.
#[component]
fn SignInFirst() -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    let href = move || format!("/account/login?next={}", location.pathname.get());
    view! {
        <p>{t(K::err_sign_in_required)}</p>
        <p><a class="button" href=href>{t(K::nav_login)}</a></p>
    }
}

#[component]
pub fn Profile() -> impl IntoView {
    let me = use_me().0;
    let saved = query("saved");
    view! {
        <PageTitle k=K::profile_title/>
        <h1>{t(K::profile_title)}</h1>
        {move || {
            let s = saved.get();
            let k = match s.as_str() {
                "profile" => Some(K::profile_saved),
                "email" => Some(K::email_change_sent),
                "password" => Some(K::password_changed),
                _ => None,
            };
            k.map(|k| view! { <Notice text=t(k)/> })
        }}
        <Transition fallback=|| view! { <p>{t(K::loading)}</p> }>
            {move || Suspend::new(async move {
                match me.await {
                    Ok(Some(user)) => view! { <ProfileForms user/> }.into_any(),
                    _ => view! { <SignInFirst/> }.into_any(),
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
        {(!user.verified).then(|| view! { <p class="warning" role="status">{t(K::profile_unverified)}</p> })}
        <section aria-labelledby="profile-h">
            <h2 id="profile-h">{t(K::profile_details)}</h2>
            <p>{t(K::field_email)} ": " <strong>{user.email.clone()}</strong></p>
            <ActionForm action=profile attr:class="form" attr:novalidate=true>
                <ErrorSummary problem=pp/>
                <Field problem=pp name="display_name" label=K::field_display_name autocomplete="name" required=true initial=user.display_name.clone()/>
                <Field problem=pp name="locality" label=K::field_locality autocomplete="address-level2" initial=user.locality.clone()/>
                <Field problem=pp name="county" label=K::field_county autocomplete="address-level1" initial=user.county.clone()/>
                <button type="submit" class="button">{t(K::profile_save)}</button>
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
                <ErrorSummary problem=pe/>
                <Field problem=pe name="email" label=K::field_new_email kind="email" autocomplete="email" required=true/>
                <Field problem=pe name="password" label=K::field_current_password kind="password" autocomplete="current-password" required=true/>
                <button type="submit" class="button secondary">{t(K::email_change_submit)}</button>
            </ActionForm>
        </section>
        <Sessions/>
        <section aria-labelledby="data-h">
            <h2 id="data-h">{t(K::data_title)}</h2>
            <p>{t(K::data_text)}</p>
            <p><a class="button secondary" href=ExportMyData::PATH download="participa-my-data.json">{t(K::data_download)}</a></p>
            <p><a href="/account/delete">{t(K::delete_link)}</a></p>
        </section>
        <section aria-labelledby="notify-h">
            <h2 id="notify-h">{t(K::notify_title)}</h2>
            <p><a href="/account/notifications">{t(K::notify_manage)}</a></p>
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
            <Transition fallback=|| view! { <p>{t(K::loading)}</p> }>
                {move || Suspend::new(async move {
                    let rows = list.await.unwrap_or_default();
                    let others = rows.iter().filter(|r| !r.current).count();
                    view! {
                        <ul class="sessions">
                            {rows.into_iter().map(|r| {
                                let device = if r.user_agent.is_empty() { t(K::sessions_unknown_device).to_string() } else { r.user_agent.clone() };
                                view! {
                                    <li>
                                        <p><strong>{device}</strong> {r.current.then(|| view! { " " <span class="tag">{t(K::sessions_this_device)}</span> })}</p>
                                        <p class="muted small">
                                            {crate::i18n::fill(t(K::sessions_since), &[("when", &crate::fmt::date_time(lang, r.created_at))])} " · "
                                            {crate::i18n::fill(t(K::sessions_last_seen), &[("when", &crate::fmt::date_time(lang, r.last_seen_at))])}
                                        </p>
                                        {(!r.current).then(|| view! {
                                            <ActionForm action=end attr:class="inline-form">
                                                <input type="hidden" name="session" value=r.public_id.clone()/>
                                                <button type="submit" class="button secondary">{t(K::sessions_end)}</button>
                                            </ActionForm>
                                        })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                        {(others > 0).then(|| view! {
                            <ActionForm action=end attr:class="inline-form">
                                <input type="hidden" name="session" value="all"/>
                                <button type="submit" class="button danger">{t(K::sessions_end_all)}</button>
                            </ActionForm>
                        })}
                    }
                })}
            </Transition>
        </section>
    }
}

pub fn role_label(kind: rules::RoleKind) -> K {
    use rules::RoleKind::*;
    match kind {
        Admin => K::role_admin,
        Moderator => K::role_moderator,
        OrgAdmin => K::role_org_admin,
        OrgMember => K::role_org_member,
        Official => K::role_official,
    }
}

#[component]
pub fn Delete() -> impl IntoView {
    let me = use_me().0;
    let action = ServerAction::<DeleteAccount>::new();
    let p = problem_of(action);
    let word = t(K::account_delete_word);
    view! {
        <PageTitle k=K::delete_title/>
        <h1>{t(K::delete_title)}</h1>
        <Transition fallback=|| view! { <p>{t(K::loading)}</p> }>
            {move || Suspend::new(async move {
                match me.await {
                    Ok(Some(_)) => view! {
                        <p>{t(K::delete_text)}</p>
                        <ActionForm action=action attr:class="form" attr:novalidate=true>
                            <ErrorSummary problem=p/>
                            <Field problem=p name="password" label=K::field_current_password kind="password" autocomplete="current-password" required=true/>
                            <Field problem=p name="confirm" label=K::field_delete_confirm required=true hint=K::hint_delete_confirm/>
                            <p class="muted">{crate::i18n::fill(t(K::delete_type_word), &[("word", word)])}</p>
                            <button type="submit" class="button danger">{t(K::delete_submit)}</button>
                        </ActionForm>
                    }
                    .into_any(),
                    _ => view! { <SignInFirst/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
pub fn AdminRoles() -> impl IntoView {
    let q = query("q");
    let saved = query("saved");
    let grant = ServerAction::<GrantRole>::new();
    let revoke = ServerAction::<RevokeRole>::new();
    let pg = problem_of(grant);
    let pr = problem_of(revoke);
    let users = Resource::new(
        move || (q.get(), grant.version().get(), revoke.version().get()),
        |(q, _, _)| admin_list_users(q),
    );
    let scopes = Resource::new(|| (), |_| admin_scope_options());
    let lang = use_lang();
    view! {
        <PageTitle k=K::admin_title/>
        <h1>{t(K::admin_title)}</h1>
        <p><a href="/admin/outbox">{t(K::outbox_title)}</a> " · " <a href="/admin/newsletter">{t(K::newsletter_admin_title)}</a> " · " <a href="/admin/officials">{t(K::officials_admin_title)}</a> " · " <a href="/map/localities">{t(K::map_localities_title)}</a></p>
        {move || (!saved.get().is_empty()).then(|| view! { <Notice text=t(K::admin_saved)/> })}
        <ErrorSummary problem=pr/>
        <Transition fallback=|| view! { <p>{t(K::loading)}</p> }>
            {move || Suspend::new(async move {
                let scopes = scopes.await;
                match users.await {
                    Err(e) => view! { <p role="alert">{e.0.message(lang)}</p> }.into_any(),
                    Ok(list) => {
                        let scopes = scopes.unwrap_or_default();
                        view! {
                            <section aria-labelledby="grant-h">
                                <h2 id="grant-h">{t(K::admin_grant)}</h2>
                                <ActionForm action=grant attr:class="form" attr:novalidate=true>
                                    <ErrorSummary problem=pg/>
                                    <Field problem=pg name="email" label=K::field_email kind="email" required=true/>
                                    <div class="field">
                                        <label for="f-role">{t(K::field_role)}</label>
                                        <select id="f-role" name="role">
                                            {rules::RoleKind::ALL.into_iter().map(|r| view! { <option value=r.code()>{t(role_label(r))}</option> }).collect_view()}
                                        </select>
                                    </div>
                                    <div class="field">
                                        <label for="f-scope">{t(K::field_scope)}</label>
                                        <p class="hint" id="f-scope-hint">{t(K::hint_scope)}</p>
                                        <select id="f-scope" name="scope" aria-describedby="f-scope-hint">
                                            <option value="">{t(K::scope_none)}</option>
                                            {scopes.into_iter().map(|s| {
                                                let v = format!("{}:{}", if s.is_authority { "auth" } else { "org" }, s.id);
                                                view! { <option value=v>{s.name}</option> }
                                            }).collect_view()}
                                        </select>
                                    </div>
                                    <button type="submit" class="button">{t(K::admin_grant_submit)}</button>
                                </ActionForm>
                            </section>
                            <section aria-labelledby="users-h">
                                <h2 id="users-h">{t(K::admin_users)}</h2>
                                <form method="get" action="/admin" class="search-form" role="search">
                                    <label for="q">{t(K::admin_search)}</label>
                                    <input id="q" name="q" type="search" value=move || q.get()/>
                                    <button type="submit" class="button secondary">{t(K::search)}</button>
                                </form>
                                <div class="table-wrap">
                                <table>
                                    <caption>{t(K::admin_users)}</caption>
                                    <thead><tr><th scope="col">{t(K::field_display_name)}</th><th scope="col">{t(K::field_email)}</th><th scope="col">{t(K::admin_roles)}</th></tr></thead>
                                    <tbody>
                                        {list.into_iter().map(|u| {
                                            let roles = u.roles.into_iter().map(|r| {
                                                let label = match &r.scope_name { Some(s) => format!("{} — {s}", t(role_label(r.kind))), None => t(role_label(r.kind)).to_string() };
                                                let aria = format!("{} {label}", t(K::admin_revoke));
                                                view! {
                                                    <li>
                                                        {label}
                                                        " "
                                                        <ActionForm action=revoke attr:class="inline-form">
                                                            <input type="hidden" name="role_id" value=r.id/>
                                                            <button type="submit" class="link-button" aria-label=aria>{t(K::admin_revoke)}</button>
                                                        </ActionForm>
                                                    </li>
                                                }
                                            }).collect_view();
                                            view! {
                                                <tr>
                                                    <td>{u.display_name}{(!u.verified).then(|| format!(" ({})", t(K::admin_unverified)))}</td>
                                                    <td>{u.email}</td>
                                                    <td><ul class="plain">{roles}</ul></td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                                </div>
                            </section>
                        }
                        .into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
pub fn AdminOutbox() -> impl IntoView {
    let mails = Resource::new(|| (), |_| admin_outbox());
    let lang = use_lang();
    view! {
        <PageTitle k=K::outbox_title/>
        <h1>{t(K::outbox_title)}</h1>
        <p>{t(K::outbox_text)}</p>
        <Transition fallback=|| view! { <p>{t(K::loading)}</p> }>
            {move || Suspend::new(async move {
                match mails.await {
                    Err(e) => view! { <p role="alert">{e.0.message(lang)}</p> }.into_any(),
                    Ok(list) => view! {
                        <ol class="outbox">
                            {list.into_iter().map(|m| view! {
                                <li class="mail">
                                    <h2 class="mail-subject">{m.subject}</h2>
                                    <p class="muted">
                                        {t(K::outbox_to)} ": " <span class="mail-to">{m.to_addr}</span>
                                        " · " {crate::fmt::date_time(lang, m.created_at)}
                                        " · " {m.status}
                                    </p>
                                    <pre class="mail-body">{m.body_text}</pre>
                                </li>
                            }).collect_view()}
                        </ol>
                    }
                    .into_any(),
                }
            })}
        </Transition>
    }
}
