//! What the membership server functions do: check who asks, apply the rules, store, mail.
use super::{db, rules, Membership};
use crate::accounts::rules::RoleKind;
use crate::accounts::session::current_user;
use crate::accounts::SessionUser;
use crate::error::{FormState, Problem};
use crate::i18n::K;
use crate::orgs::catalogue::db::slug_and_name;
use crate::orgs::OrgsError;
use crate::ssr::{mail, now, random_token, sha256_hex};

type R<T> = Result<T, OrgsError>;

/// The signed-in person, if they manage the organisation (its admin or a platform admin).
pub async fn manager(org_id: i64) -> R<SessionUser> {
    let me = current_user().await?.ok_or(OrgsError(Problem::Unauthenticated))?;
    if rules::can_manage(&me, org_id) {
        Ok(me)
    } else {
        Err(OrgsError(Problem::Forbidden))
    }
}

/// The organisation's slug, for the page to go back to.
async fn slug_of(org_id: i64) -> R<String> {
    let (slug, _) = slug_and_name(&crate::ssr::state().db, org_id).await?.ok_or(OrgsError(Problem::NotFound))?;
    Ok(slug)
}

pub async fn membership(org_id: i64) -> R<Membership> {
    let st = crate::ssr::state();
    let me = current_user().await?;
    let manage = me.as_ref().is_some_and(|u| rules::can_manage(u, org_id));
    let is_member = me.as_ref().is_some_and(|u| rules::is_member(u, org_id));
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

pub async fn invite(org_id: i64, email: &str, role: &str) -> R<()> {
    let me = manager(org_id).await?;
    let st = crate::ssr::state();
    let mut form = FormState::new().value("email", email).value("role", role);
    let parsed = form.check("email", crate::types::Email::parse(email));
    let role = rules::invited_role(role);
    let Some(email) = parsed else { return Err(form.into()) };
    if let Some(wait) = crate::ssr::rate_limit::hit(&st.db, &format!("invite:{}", me.id), 30, 3600).await? {
        return Err(OrgsError(Problem::rate_limited(wait, form)));
    }
    let Some((slug, name)) = slug_and_name(&st.db, org_id).await? else { return Err(OrgsError(Problem::NotFound)) };
    let token = random_token();
    let expires = now() + rules::INVITE_LIFETIME_SECS;
    db::create_invite(&st.db, &sha256_hex(&token), org_id, email.as_str(), role.code(), me.id, expires).await?;
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

pub async fn accept_invite(token: &str) -> R<()> {
    let st = crate::ssr::state();
    let me = current_user().await?.ok_or(OrgsError(Problem::Unauthenticated))?;
    let hash = sha256_hex(token.trim());
    let invalid = || OrgsError(Problem::Refused(K::err_link_invalid));
    // One transaction: the invitation is read and used once.
    let mut tx = st.db.pool.begin().await?;
    let invite = db::invite_by_hash(&mut tx, &hash).await?.ok_or_else(invalid)?;
    let now = now();
    // The invitation belongs to the address it was sent to.
    match rules::check_invite(invite.expires_at, invite.accepted_at, &invite.email, &me.email, now) {
        rules::InviteCheck::Invalid => return Err(invalid()),
        rules::InviteCheck::OtherAccount => return Err(OrgsError(Problem::Refused(K::err_invite_other_account))),
        rules::InviteCheck::Usable => {}
    }
    if !db::accept_invite(&mut tx, &hash, now).await? {
        return Err(invalid());
    }
    tx.commit().await?;
    let kind = RoleKind::parse(&invite.role).unwrap_or(RoleKind::OrgMember);
    crate::accounts::db::grant_role(&st.db, me.id, kind, invite.org_id, me.id).await?;
    let slug = slug_of(invite.org_id).await?;
    leptos_axum::redirect(&format!("/organisations/{slug}?joined=1"));
    Ok(())
}

pub async fn request_join(org_id: i64, message: &str) -> R<()> {
    let st = crate::ssr::state();
    let me = current_user().await?.ok_or(OrgsError(Problem::Unauthenticated))?;
    if !me.verified {
        return Err(OrgsError(Problem::Refused(K::err_verify_first)));
    }
    let Some((slug, _)) = slug_and_name(&st.db, org_id).await? else { return Err(OrgsError(Problem::NotFound)) };
    if let Some(wait) = crate::ssr::rate_limit::hit(&st.db, &format!("org.join:{}", me.id), 5, 3600).await? {
        return Err(OrgsError(Problem::rate_limited(wait, FormState::new().value("message", message))));
    }
    let new = db::create_join_request(&st.db, org_id, me.id, &crate::text::clean_text(message, 500)).await?;
    let link = format!("{}/organisations/{slug}#members-h", st.settings.public_url.trim_end_matches('/'));
    let admins = if new { db::admin_contacts(&st.db, org_id).await? } else { vec![] };
    for (email, lang) in admins {
        let lang = crate::i18n::Lang::from_code(&lang);
        let body = crate::i18n::fill(lang.t(K::mail_join_request_body), &[("who", &me.display_name)]);
        let m = mail::compose(
            lang,
            &email,
            "org_join_request",
            K::mail_join_request_subject,
            &[body],
            Some((K::mail_join_request_cta, &link)),
        );
        mail::enqueue(&st.db, &m).await?;
    }
    leptos_axum::redirect(&format!("/organisations/{slug}?requested=1"));
    Ok(())
}

pub async fn decide_join(org_id: i64, request_id: i64, approve: bool) -> R<()> {
    let me = manager(org_id).await?;
    let st = crate::ssr::state();
    let Some(user_id) = db::decide_join_request(&st.db, org_id, request_id, approve).await? else {
        return Err(OrgsError(Problem::NotFound));
    };
    if approve {
        crate::accounts::db::grant_role(&st.db, user_id, RoleKind::OrgMember, org_id, me.id).await?;
    }
    let slug = slug_of(org_id).await?;
    leptos_axum::redirect(&format!("/organisations/{slug}?members=1"));
    Ok(())
}

pub async fn remove_member(org_id: i64, role_id: i64) -> R<()> {
    manager(org_id).await?;
    let st = crate::ssr::state();
    // The role is read, checked and removed in one transaction.
    let mut tx = st.db.pool.begin().await?;
    if let Some(role) = db::member_role(&mut tx, org_id, role_id).await? {
        let admins = if role == "org_admin" { db::admin_count(&mut tx, org_id).await? } else { 0 };
        if !rules::may_remove(&role, admins) {
            return Err(OrgsError(Problem::Refused(K::err_last_org_admin)));
        }
        db::delete_role(&mut tx, role_id).await?;
        tx.commit().await?;
    }
    let slug = slug_of(org_id).await?;
    leptos_axum::redirect(&format!("/organisations/{slug}?members=1"));
    Ok(())
}
