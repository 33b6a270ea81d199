//! Organisation membership: admins invite by e-mail, people ask to join, admins decide.
use super::*;
use crate::accounts::rules::RoleKind;
use crate::i18n::{t, use_lang, K};
use crate::ui::form::{problem_of, ErrorSummary, Field};
use crate::ui::PageTitle;
use leptos::form::ActionForm;
use leptos_router::hooks::use_query_map;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Member {
    pub role_id: i64,
    pub name: String,
    pub admin: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JoinRequest {
    pub id: i64,
    pub name: String,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Membership {
    pub can_manage: bool,
    pub is_member: bool,
    pub signed_in: bool,
    pub requested: bool,
    pub members: Vec<Member>,
    pub requests: Vec<JoinRequest>,
}

/// Who may manage an organisation's members: its admins and platform admins.
pub fn can_manage(user: &crate::accounts::SessionUser, org_id: i64) -> bool {
    user.is_admin() || user.has_scoped(RoleKind::OrgAdmin, org_id)
}

/// The signed-in person, if they manage the organisation (its admin or a platform admin).
#[cfg(feature = "ssr")]
pub(crate) async fn manager(org_id: i64) -> Result<crate::accounts::SessionUser, OrgsError> {
    let me = crate::accounts::session::current_user().await?.ok_or(OrgsError(Problem::Unauthenticated))?;
    if can_manage(&me, org_id) {
        Ok(me)
    } else {
        Err(OrgsError(Problem::Forbidden))
    }
}

#[server]
pub async fn get_membership(org_id: i64) -> Result<Membership, OrgsError> {
    let st = crate::ssr::state();
    let me = crate::accounts::session::current_user().await?;
    let manage = me.as_ref().is_some_and(|u| can_manage(u, org_id));
    let is_member = me
        .as_ref()
        .is_some_and(|u| u.has_scoped(RoleKind::OrgAdmin, org_id) || u.has_scoped(RoleKind::OrgMember, org_id));
    let requested = match &me {
        Some(u) => db::has_join_request(&st.db, org_id, u.id).await?,
        None => false,
    };
    Ok(Membership {
        can_manage: manage,
        is_member,
        signed_in: me.is_some(),
        requested,
        members: if manage { db::members(&st.db, org_id).await? } else { vec![] },
        requests: if manage { db::join_requests(&st.db, org_id).await? } else { vec![] },
    })
}

#[server]
pub async fn invite_member(org_id: i64, email: String, role: String) -> Result<(), OrgsError> {
    use crate::ssr::{mail, now, random_token, sha256_hex};
    let me = manager(org_id).await?;
    let st = crate::ssr::state();
    let mut form = FormState::new().value("email", &email).value("role", &role);
    let parsed = form.check("email", crate::types::Email::parse(&email));
    let role = if role == "org_admin" { RoleKind::OrgAdmin } else { RoleKind::OrgMember };
    let Some(email) = parsed else { return Err(form.into()) };
    if let Some(wait) = crate::ssr::rate_limit::hit(&st.db, &format!("invite:{}", me.id), 30, 3600).await? {
        return Err(OrgsError(Problem::rate_limited(wait, form)));
    }
    let Some((slug, name)) = db::slug_and_name(&st.db, org_id).await? else { return Err(OrgsError(Problem::NotFound)) };
    let token = random_token();
    db::create_invite(&st.db, &sha256_hex(&token), org_id, email.as_str(), role.code(), me.id, now() + 14 * 86_400)
        .await?;
    let lang = crate::i18n::request_lang();
    let link = format!("{}/organisations/invite?token={token}", st.settings.public_url.trim_end_matches('/'));
    let body = crate::i18n::fill(lang.t(K::mail_invite_body), &[("org", &name), ("who", &me.display_name)]);
    let m = mail::compose(
        lang,
        email.as_str(),
        "org_invite",
        K::mail_invite_subject,
        &[body],
        Some((K::mail_invite_cta, &link)),
    );
    mail::enqueue(&st.db, &m).await?;
    leptos_axum::redirect(&format!("/organisations/{slug}?invited=1"));
    Ok(())
}

#[server]
pub async fn accept_invite(token: String) -> Result<(), OrgsError> {
    use crate::i18n::K;
    let st = crate::ssr::state();
    let me = crate::accounts::session::current_user().await?.ok_or(OrgsError(Problem::Unauthenticated))?;
    let hash = crate::ssr::sha256_hex(token.trim());
    // The invitation belongs to the address it was sent to.
    match db::take_invite(&st.db, &hash, &me.email).await? {
        db::InviteOutcome::Accepted { org_id, role } => {
            let kind = RoleKind::parse(&role).unwrap_or(RoleKind::OrgMember);
            crate::accounts::db::grant_role(&st.db, me.id, kind, org_id, me.id).await?;
            let (slug, _) = db::slug_and_name(&st.db, org_id).await?.ok_or(OrgsError(Problem::NotFound))?;
            leptos_axum::redirect(&format!("/organisations/{slug}?joined=1"));
            Ok(())
        }
        db::InviteOutcome::OtherAccount => Err(OrgsError(Problem::Refused(K::err_invite_other_account))),
        db::InviteOutcome::Invalid => Err(OrgsError(Problem::Refused(K::err_link_invalid))),
    }
}

#[server]
pub async fn request_join(org_id: i64, message: String) -> Result<(), OrgsError> {
    let st = crate::ssr::state();
    let me = crate::accounts::session::current_user().await?.ok_or(OrgsError(Problem::Unauthenticated))?;
    if !me.verified {
        return Err(OrgsError(Problem::Refused(crate::i18n::K::err_verify_first)));
    }
    let Some((slug, _)) = db::slug_and_name(&st.db, org_id).await? else { return Err(OrgsError(Problem::NotFound)) };
    if let Some(wait) = crate::ssr::rate_limit::hit(&st.db, &format!("org.join:{}", me.id), 5, 3600).await? {
        return Err(OrgsError(Problem::rate_limited(wait, FormState::new().value("message", &message))));
    }
    let new = db::create_join_request(&st.db, org_id, me.id, &crate::text::clean_text(&message, 500)).await?;
    let link = format!("{}/organisations/{slug}#members-h", st.settings.public_url.trim_end_matches('/'));
    let admins = if new { db::admin_contacts(&st.db, org_id).await? } else { vec![] };
    for (email, lang) in admins {
        let lang = crate::i18n::Lang::from_code(&lang);
        let body = crate::i18n::fill(lang.t(crate::i18n::K::mail_join_request_body), &[("who", &me.display_name)]);
        let m = crate::ssr::mail::compose(
            lang,
            &email,
            "org_join_request",
            crate::i18n::K::mail_join_request_subject,
            &[body],
            Some((crate::i18n::K::mail_join_request_cta, &link)),
        );
        crate::ssr::mail::enqueue(&st.db, &m).await?;
    }
    leptos_axum::redirect(&format!("/organisations/{slug}?requested=1"));
    Ok(())
}

#[server]
pub async fn decide_join(org_id: i64, request_id: i64, approve: String) -> Result<(), OrgsError> {
    let me = manager(org_id).await?;
    let st = crate::ssr::state();
    let Some(user_id) = db::decide_join_request(&st.db, org_id, request_id, approve == "yes").await? else {
        return Err(OrgsError(Problem::NotFound));
    };
    if approve == "yes" {
        crate::accounts::db::grant_role(&st.db, user_id, RoleKind::OrgMember, org_id, me.id).await?;
    }
    let (slug, _) = db::slug_and_name(&st.db, org_id).await?.ok_or(OrgsError(Problem::NotFound))?;
    leptos_axum::redirect(&format!("/organisations/{slug}?members=1"));
    Ok(())
}

#[server]
pub async fn remove_member(org_id: i64, role_id: i64) -> Result<(), OrgsError> {
    manager(org_id).await?;
    let st = crate::ssr::state();
    if !db::remove_member(&st.db, org_id, role_id).await? {
        return Err(OrgsError(Problem::Refused(crate::i18n::K::err_last_org_admin)));
    }
    let (slug, _) = db::slug_and_name(&st.db, org_id).await?.ok_or(OrgsError(Problem::NotFound))?;
    leptos_axum::redirect(&format!("/organisations/{slug}?members=1"));
    Ok(())
}

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
                            <ErrorSummary problem=pr/>
                            <ul class="plain">
                                {m.members.into_iter().map(|mem| {
                                    let label = format!("{} — {}", mem.name, if mem.admin { t(K::role_org_admin) } else { t(K::role_org_member) });
                                    let aria = format!("{} {}", t(K::members_remove), mem.name);
                                    view! {
                                        <li>
                                            {label} " "
                                            <ActionForm action=remove attr:class="inline-form">
                                                <input type="hidden" name="org_id" value=org_id/>
                                                <input type="hidden" name="role_id" value=mem.role_id/>
                                                <button type="submit" class="link-button" aria-label=aria>{t(K::members_remove)}</button>
                                            </ActionForm>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                            {(!m.requests.is_empty()).then(|| view! {
                                <h3>{t(K::members_requests)}</h3>
                                <ul class="plain">
                                    {m.requests.clone().into_iter().map(|r| {
                                        // One form per answer; the person's name completes each button's label.
                                        let answers = [("yes", K::members_approve, "button"), ("no", K::members_decline, "button secondary")];
                                        view! {
                                        <li>
                                            <strong>{r.name.clone()}</strong> " " {r.message.clone()} " "
                                            {answers.into_iter().map(|(value, label, class)| {
                                                let name = r.name.clone();
                                                view! {
                                                <ActionForm action=decide attr:class="inline-form">
                                                    <input type="hidden" name="org_id" value=org_id/>
                                                    <input type="hidden" name="request_id" value=r.id/>
                                                    <input type="hidden" name="approve" value=value/>
                                                    <button type="submit" class=class>{t(label)} " " <span class="visually-hidden">{name}</span></button>
                                                </ActionForm>
                                            }}).collect_view()}
                                        </li>
                                    }}).collect_view()}
                                </ul>
                            })}
                            <super::events::NewEventForm org_id=org_id/>
                            <super::stories::NewStoryForm org_id=org_id/>
                            <h3>{t(K::members_invite)}</h3>
                            <ActionForm action=invite attr:class="form" attr:novalidate=true>
                                <ErrorSummary problem=pi/>
                                <input type="hidden" name="org_id" value=org_id/>
                                <Field problem=pi name="email" label=K::field_email kind="email" required=true/>
                                <div class="field">
                                    <label for="f-role">{t(K::field_role)}</label>
                                    <select id="f-role" name="role">
                                        <option value="org_member">{t(K::role_org_member)}</option>
                                        <option value="org_admin">{t(K::role_org_admin)}</option>
                                    </select>
                                </div>
                                <button type="submit" class="button">{t(K::members_invite_submit)}</button>
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
                                <ErrorSummary problem=pj/>
                                <input type="hidden" name="org_id" value=org_id/>
                                <Field problem=pj name="message" label=K::members_join_message/>
                                <button type="submit" class="button secondary">{t(K::members_join_submit)}</button>
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
        <PageTitle k=K::invite_title/>
        <h1>{t(K::invite_title)}</h1>
        <Transition fallback=|| view! { <p>{t(K::loading)}</p> }>
            {move || Suspend::new(async move {
                if matches!(me.await, Ok(Some(_))) {
                    view! {
                        <p>{t(K::invite_text)}</p>
                        <ActionForm action=action attr:class="form">
                            <ErrorSummary problem=p/>
                            <input type="hidden" name="token" value=token/>
                            <button type="submit" class="button">{t(K::invite_accept)}</button>
                        </ActionForm>
                    }
                    .into_any()
                } else {
                    let next = format!("/account/login?next={}", crate::text::encode_query(&format!("/organisations/invite?token={}", token())));
                    view! {
                        <p>{t(K::invite_sign_in)}</p>
                        <p><a class="button" href=next>{t(K::nav_login)}</a> " " <a href="/account/register">{t(K::nav_register)}</a></p>
                    }
                    .into_any()
                }
            })}
        </Transition>
    }
}
