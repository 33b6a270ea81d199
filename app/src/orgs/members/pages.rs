//! The members section of an organisation's page, and the page an invitation link opens.
use super::get_membership;
use super::{AcceptInvite, DecideJoin, InviteMember, RemoveMember, RequestJoin};
use crate::i18n::{t, use_lang, K};
use crate::ui::form::{problem_of, ErrorSummary, Field};
use crate::ui::PageTitle;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The members part of an organisation page: what the visitor may do here.
#[component]
pub fn MembersSection(org_id: i64) -> impl IntoView {
    let data = Resource::new(move || org_id, get_membership);
    let invite = ServerAction::<InviteMember>::new();
    let join = ServerAction::<RequestJoin>::new();
    let decide = ServerAction::<DecideJoin>::new();
    let remove = ServerAction::<RemoveMember>::new();
    let pi = problem_of(invite);
    let pj = problem_of(join);
    let pr = problem_of(remove);
    let lang = use_lang();
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let Ok(m) = data.await else { return ().into_any() };
                if m.can_manage {
                    view! {
                        <section aria-labelledby="members-h" class="admin-box">
                            <h2 id="members-h">{t(K::members_title)}</h2>
                            <ErrorSummary problem=pr />
                            <ul class="plain">
                                {m
                                    .members
                                    .into_iter()
                                    .map(|mem| {
                                        let label = format!(
                                            "{} — {}",
                                            mem.name,
                                            if mem.admin { t(K::role_org_admin) } else { t(K::role_org_member) },
                                        );
                                        let aria = format!("{} {}", t(K::members_remove), mem.name);
                                        view! {
                                            <li>
                                                {label} " " <ActionForm action=remove attr:class="inline-form">
                                                    <input type="hidden" name="org_id" value=org_id />
                                                    <input type="hidden" name="role_id" value=mem.role_id />
                                                    <button type="submit" class="link-button" aria-label=aria>
                                                        {t(K::members_remove)}
                                                    </button>
                                                </ActionForm>
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                            {(!m.requests.is_empty())
                                .then(|| {
                                    view! {
                                        <h3>{t(K::members_requests)}</h3>
                                        <ul class="plain">
                                            {m
                                                .requests
                                                .clone()
                                                .into_iter()
                                                .map(|r| {
                                                    let answers = [
                                                        ("yes", K::members_approve, "button"),
                                                        ("no", K::members_decline, "button secondary"),
                                                    ];
                                                    // One form per answer; the person's name completes each button's label.
                                                    view! {
                                                        <li>
                                                            <strong>{r.name.clone()}</strong>
                                                            " "
                                                            {r.message.clone()}
                                                            " "
                                                            {answers
                                                                .into_iter()
                                                                .map(|(value, label, class)| {
                                                                    let name = r.name.clone();
                                                                    view! {
                                                                        <ActionForm action=decide attr:class="inline-form">
                                                                            <input type="hidden" name="org_id" value=org_id />
                                                                            <input type="hidden" name="request_id" value=r.id />
                                                                            <input type="hidden" name="approve" value=value />
                                                                            <button type="submit" class=class>
                                                                                {t(label)}
                                                                                " "
                                                                                <span class="visually-hidden">{name}</span>
                                                                            </button>
                                                                        </ActionForm>
                                                                    }
                                                                })
                                                                .collect_view()}
                                                        </li>
                                                    }
                                                })
                                                .collect_view()}
                                        </ul>
                                    }
                                })}
                            <crate::orgs::events::pages::NewEventForm org_id=org_id />
                            <crate::orgs::stories::pages::NewStoryForm org_id=org_id />
                            <h3>{t(K::members_invite)}</h3>
                            <ActionForm action=invite attr:class="form" attr:novalidate=true>
                                <ErrorSummary problem=pi />
                                <input type="hidden" name="org_id" value=org_id />
                                <Field problem=pi name="email" label=K::field_email kind="email" required=true />
                                <div class="field">
                                    <label for="f-role">{t(K::field_role)}</label>
                                    <select id="f-role" name="role">
                                        <option value="org_member">{t(K::role_org_member)}</option>
                                        <option value="org_admin">{t(K::role_org_admin)}</option>
                                    </select>
                                </div>
                                <button type="submit" class="button">
                                    {t(K::members_invite_submit)}
                                </button>
                            </ActionForm>
                        </section>
                    }
                        .into_any()
                } else if m.is_member {
                    view! { <p class="notice">{t(K::members_you_are_member)}</p> }.into_any()
                } else if m.requested {
                    view! { <p class="notice">{t(K::members_requested)}</p> }.into_any()
                } else if m.signed_in {
                    view! {
                        <section aria-labelledby="join-h">
                            <h2 id="join-h">{t(K::members_join)}</h2>
                            <ActionForm action=join attr:class="form" attr:novalidate=true>
                                <ErrorSummary problem=pj />
                                <input type="hidden" name="org_id" value=org_id />
                                <Field problem=pj name="message" label=K::members_join_message />
                                <button type="submit" class="button secondary">
                                    {t(K::members_join_submit)}
                                </button>
                            </ActionForm>
                        </section>
                    }
                        .into_any()
                } else {
                    let _ = lang;
                    ().into_any()
                }
            })}
        </Transition>
    }
}

#[component]
pub fn AcceptInvite() -> impl IntoView {
    let q = use_query_map();
    let token = move || q.with(|q| q.get("token").unwrap_or_default());
    let action = ServerAction::<AcceptInvite>::new();
    let p = problem_of(action);
    let me = crate::accounts::use_me().0;
    view! {
        <PageTitle k=K::invite_title />
        <h1>{t(K::invite_title)}</h1>
        <Transition fallback=|| {
            view! { <p>{t(K::loading)}</p> }
        }>
            {move || Suspend::new(async move {
                if matches!(me.await, Ok(Some(_))) {
                    view! {
                        <p>{t(K::invite_text)}</p>
                        <ActionForm action=action attr:class="form">
                            <ErrorSummary problem=p />
                            <input type="hidden" name="token" value=token />
                            <button type="submit" class="button">
                                {t(K::invite_accept)}
                            </button>
                        </ActionForm>
                    }
                        .into_any()
                } else {
                    let next = format!(
                        "/account/login?next={}",
                        crate::text::encode_query(&format!("/organisations/invite?token={}", token())),
                    );
                    view! {
                        <p>{t(K::invite_sign_in)}</p>
                        <p>
                            <a class="button" href=next>
                                {t(K::nav_login)}
                            </a>
                            " "
                            <a href="/account/register">{t(K::nav_register)}</a>
                        </p>
                    }
                        .into_any()
                }
            })}
        </Transition>
    }
}
