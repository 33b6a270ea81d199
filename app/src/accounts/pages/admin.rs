//! The platform admin's pages: people and their roles, and the mail outbox.
use super::{query, role_label};
use crate::accounts::rules::RoleKind;
use crate::accounts::{admin_list_users, admin_outbox, admin_scope_options, GrantRole, RevokeRole};
use crate::i18n::{t, use_lang, K};
use crate::ui::form::{problem_of, ErrorSummary, Field};
use crate::ui::{Notice, PageTitle};
use leptos::form::ActionForm;
use leptos::prelude::*;

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
        <PageTitle k=K::admin_title />
        <h1>{t(K::admin_title)}</h1>
        <p>
            <a href="/admin/outbox">{t(K::outbox_title)}</a>
            " · "
            <a href="/admin/newsletter">{t(K::newsletter_admin_title)}</a>
            " · "
            <a href="/admin/officials">{t(K::officials_admin_title)}</a>
            " · "
            <a href="/map/localities">{t(K::map_localities_title)}</a>
        </p>
        {move || (!saved.get().is_empty()).then(|| view! { <Notice text=t(K::admin_saved) /> })}
        <ErrorSummary problem=pr />
        <Transition fallback=|| {
            view! { <p>{t(K::loading)}</p> }
        }>
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
                                    <ErrorSummary problem=pg />
                                    <Field problem=pg name="email" label=K::field_email kind="email" required=true />
                                    <div class="field">
                                        <label for="f-role">{t(K::field_role)}</label>
                                        <select id="f-role" name="role">
                                            {RoleKind::ALL
                                                .into_iter()
                                                .map(|r| view! { <option value=r.code()>{t(role_label(r))}</option> })
                                                .collect_view()}
                                        </select>
                                    </div>
                                    <div class="field">
                                        <label for="f-scope">{t(K::field_scope)}</label>
                                        <p class="hint" id="f-scope-hint">
                                            {t(K::hint_scope)}
                                        </p>
                                        <select id="f-scope" name="scope" aria-describedby="f-scope-hint">
                                            <option value="">{t(K::scope_none)}</option>
                                            {scopes
                                                .into_iter()
                                                .map(|s| {
                                                    let v = format!(
                                                        "{}:{}",
                                                        if s.is_authority { "auth" } else { "org" },
                                                        s.id,
                                                    );
                                                    view! { <option value=v>{s.name}</option> }
                                                })
                                                .collect_view()}
                                        </select>
                                    </div>
                                    <button type="submit" class="button">
                                        {t(K::admin_grant_submit)}
                                    </button>
                                </ActionForm>
                            </section>
                            <section aria-labelledby="users-h">
                                <h2 id="users-h">{t(K::admin_users)}</h2>
                                <form method="get" action="/admin" class="search-form" role="search">
                                    <label for="q">{t(K::admin_search)}</label>
                                    <input id="q" name="q" type="search" value=move || q.get() />
                                    <button type="submit" class="button secondary">
                                        {t(K::search)}
                                    </button>
                                </form>
                                <div class="table-wrap">
                                    <table>
                                        <caption>{t(K::admin_users)}</caption>
                                        <thead>
                                            <tr>
                                                <th scope="col">{t(K::field_display_name)}</th>
                                                <th scope="col">{t(K::field_email)}</th>
                                                <th scope="col">{t(K::admin_roles)}</th>
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {list
                                                .into_iter()
                                                .map(|u| {
                                                    let roles = u
                                                        .roles
                                                        .into_iter()
                                                        .map(|r| {
                                                            let label = match &r.scope_name {
                                                                Some(s) => format!("{} — {s}", t(role_label(r.kind))),
                                                                None => t(role_label(r.kind)).to_string(),
                                                            };
                                                            let aria = format!("{} {label}", t(K::admin_revoke));
                                                            view! {
                                                                <li>
                                                                    {label} " "
                                                                    <ActionForm action=revoke attr:class="inline-form">
                                                                        <input type="hidden" name="role_id" value=r.id />
                                                                        <button type="submit" class="link-button" aria-label=aria>
                                                                            {t(K::admin_revoke)}
                                                                        </button>
                                                                    </ActionForm>
                                                                </li>
                                                            }
                                                        })
                                                        .collect_view();
                                                    view! {
                                                        <tr>
                                                            <td>
                                                                {u.display_name}
                                                                {(!u.verified)
                                                                    .then(|| format!(" ({})", t(K::admin_unverified)))}
                                                            </td>
                                                            <td>{u.email}</td>
                                                            <td>
                                                                <ul class="plain">{roles}</ul>
                                                            </td>
                                                        </tr>
                                                    }
                                                })
                                                .collect_view()}
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
        <PageTitle k=K::outbox_title />
        <h1>{t(K::outbox_title)}</h1>
        <p>{t(K::outbox_text)}</p>
        <Transition fallback=|| {
            view! { <p>{t(K::loading)}</p> }
        }>
            {move || Suspend::new(async move {
                match mails.await {
                    Err(e) => view! { <p role="alert">{e.0.message(lang)}</p> }.into_any(),
                    Ok(list) => {
                        view! {
                            <ol class="outbox">
                                {list
                                    .into_iter()
                                    .map(|m| {
                                        view! {
                                            <li class="mail">
                                                <h2 class="mail-subject">{m.subject}</h2>
                                                <p class="muted">
                                                    {t(K::outbox_to)} ": " <span class="mail-to">{m.to_addr}</span>
                                                    " · " {crate::fmt::date_time(lang, m.created_at)} " · " {m.status}
                                                </p>
                                                <pre class="mail-body">{m.body_text}</pre>
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ol>
                        }
                            .into_any()
                    }
                }
            })}
        </Transition>
    }
}
