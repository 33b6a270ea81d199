//! Accounts: registration, e-mail verification, sign-in, profile, personal data, roles.
#[cfg(feature = "ssr")]
pub mod db;
pub mod nav;
pub mod notify;
pub mod pages;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod session;

#[cfg(feature = "ssr")]
use crate::error::FormState;
#[cfg(feature = "ssr")]
use crate::error::Problem;
use leptos::prelude::*;
use leptos::server_fn::codec::{GetUrl, Json};
use rules::RoleKind;
use serde::{Deserialize, Serialize};

crate::feature_error!(AccountsError);

/// Every kind of e-mail accounts send (all essential: they complete what the person asked for).
#[cfg(feature = "ssr")]
pub const MAIL_KINDS: &[crate::ssr::mail::kinds::MailKind] = {
    use crate::i18n::K;
    use crate::ssr::mail::kinds::MailKind;
    &[
        MailKind::essential("verify", K::notify_group_account, K::notify_kind_verify),
        MailKind::essential("reset", K::notify_group_account, K::notify_kind_reset),
        MailKind::essential("change_email", K::notify_group_account, K::notify_kind_change_email),
        MailKind::essential("exists", K::notify_group_account, K::notify_kind_exists),
        MailKind::essential("email_changed", K::notify_group_account, K::notify_kind_email_changed),
    ]
};

pub use nav::{use_me, Me};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Role {
    pub id: i64,
    pub kind: RoleKind,
    pub scope_id: i64,
    pub scope_name: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionUser {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub locality: String,
    pub county: String,
    pub verified: bool,
    pub roles: Vec<Role>,
}

impl SessionUser {
    pub fn has(&self, kind: RoleKind) -> bool {
        self.roles.iter().any(|r| r.kind == kind)
    }

    pub fn is_admin(&self) -> bool {
        self.has(RoleKind::Admin)
    }

    pub fn has_scoped(&self, kind: RoleKind, scope_id: i64) -> bool {
        self.roles.iter().any(|r| r.kind == kind && r.scope_id == scope_id)
    }
}

/// One of a person's signed-in devices, for "where am I signed in".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionInfo {
    pub public_id: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub user_agent: String,
    pub current: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AdminUserRow {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub verified: bool,
    pub created_at: i64,
    pub roles: Vec<Role>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScopeOption {
    pub id: i64,
    pub name: String,
    pub is_authority: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OutboxMail {
    pub id: i64,
    pub to_addr: String,
    pub subject: String,
    pub body_text: String,
    pub status: String,
    pub attempts: i64,
    pub created_at: i64,
}

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use crate::accounts::session as auth;
    use crate::i18n::{Lang, K};
    use crate::ssr::{self, mail, now, rate_limit, sha256_hex};
    use crate::text::clean_text;
    use crate::types::{check_password, Email};
    use rules::{safe_next, TokenPurpose};

    pub fn lang() -> Lang {
        crate::i18n::request_lang()
    }

    pub async fn hash_password(pw: String) -> Result<String, AccountsError> {
        tokio::task::spawn_blocking(move || {
            use argon2::password_hash::{rand_core::OsRng, PasswordHasher, SaltString};
            let salt = SaltString::generate(&mut OsRng);
            argon2::Argon2::default().hash_password(pw.as_bytes(), &salt).map(|h| h.to_string())
        })
        .await
        .map_err(|_| AccountsError(Problem::Internal))?
        .map_err(|_| AccountsError(Problem::Internal))
    }

    pub async fn verify_password(pw: String, hash: String) -> bool {
        tokio::task::spawn_blocking(move || {
            use argon2::password_hash::{PasswordHash, PasswordVerifier};
            match PasswordHash::new(&hash) {
                Ok(parsed) => argon2::Argon2::default().verify_password(pw.as_bytes(), &parsed).is_ok(),
                Err(_) => false,
            }
        })
        .await
        .unwrap_or(false)
    }

    pub async fn limit(key: String, limit: i64, window: i64, kept: &FormState) -> Result<(), AccountsError> {
        let st = ssr::state();
        if let Some(wait) = rate_limit::hit(&st.db, &key, limit, window).await? {
            return Err(AccountsError(Problem::rate_limited(wait, kept.clone())));
        }
        Ok(())
    }

    pub async fn send_token_mail(
        user_id: i64,
        to: &Email,
        purpose: TokenPurpose,
        data: Option<String>,
    ) -> Result<(), AccountsError> {
        let st = ssr::state();
        let token = ssr::random_token();
        db::create_token(
            &st.db,
            user_id,
            purpose.code(),
            data.as_deref(),
            &sha256_hex(&token),
            now() + purpose.lifetime_secs(),
        )
        .await?;
        let lang = lang();
        let base = st.settings.public_url.trim_end_matches('/');
        let (subject, body, path, cta) = match purpose {
            TokenPurpose::Verify => {
                (K::mail_verify_subject, K::mail_verify_body, "/account/verify", K::mail_verify_cta)
            }
            TokenPurpose::Reset => (K::mail_reset_subject, K::mail_reset_body, "/account/reset", K::mail_reset_cta),
            TokenPurpose::ChangeEmail => {
                (K::mail_change_subject, K::mail_change_body, "/account/verify", K::mail_change_cta)
            }
        };
        let link = format!("{base}{path}?token={token}");
        let m =
            mail::compose(lang, to.as_str(), purpose.code(), subject, &[lang.t(body).to_string()], Some((cta, &link)));
        mail::enqueue(&st.db, &m).await?;
        Ok(())
    }

    pub fn parse_email_field(form: &mut FormState, field: &str, raw: &str) -> Option<Email> {
        form.check(field, Email::parse(raw))
    }

    pub fn require_name(form: &mut FormState, raw: &str) -> String {
        let name = clean_text(raw, 80);
        if name.chars().count() < 2 {
            form.add("display_name", K::err_name_required);
        }
        name
    }

    pub fn check_pw(form: &mut FormState, field: &str, pw: &str) {
        form.check(field, check_password(pw));
    }

    pub fn go(path: &str) {
        leptos_axum::redirect(safe_next(path));
    }

    pub async fn me() -> Result<SessionUser, AccountsError> {
        auth::current_user().await?.ok_or(AccountsError(Problem::Unauthenticated))
    }

    pub async fn admin() -> Result<SessionUser, AccountsError> {
        let u = me().await?;
        if u.is_admin() {
            Ok(u)
        } else {
            Err(AccountsError(Problem::Forbidden))
        }
    }
}

#[server]
pub async fn get_me() -> Result<Option<SessionUser>, AccountsError> {
    Ok(crate::accounts::session::current_user().await?)
}

#[server]
pub async fn register(
    display_name: String,
    email: String,
    password: String,
    website: String,
) -> Result<(), AccountsError> {
    use crate::i18n::K;
    use server::*;
    let st = crate::ssr::state();
    let mut form = FormState::new().value("display_name", &display_name).value("email", &email);
    let name = require_name(&mut form, &display_name);
    let parsed = parse_email_field(&mut form, "email", &email);
    check_pw(&mut form, "password", &password);
    if !form.is_ok() {
        return Err(form.into());
    }
    let Some(email) = parsed else {
        return Err(form.into());
    };
    // A filled honeypot is a bot: pretend it worked.
    if !website.is_empty() {
        go("/account/check-email");
        return Ok(());
    }
    limit(format!("signup:ip:{}", crate::ssr::request::client_ip()), st.settings.signup_limit, 3600, &form).await?;
    limit(format!("signup:email:{email}"), 3, 3600, &form).await?;
    // The password is hashed on both paths, so the time taken does not tell whether the address
    // is registered (the answer and the mail's arrival are alike too).
    let hash = hash_password(password).await?;
    match db::find_user_by_email(&st.db, email.as_str()).await? {
        Some(existing) => {
            // Same answer as a new account, so the form does not reveal who is registered.
            let lang = lang();
            let m = crate::ssr::mail::compose(
                lang,
                email.as_str(),
                "exists",
                K::mail_exists_subject,
                &[lang.t(K::mail_exists_body).to_string()],
                None,
            );
            crate::ssr::mail::enqueue(&st.db, &m).await?;
            let _ = existing;
        }
        None => {
            let id = db::create_user(&st.db, email.as_str(), &hash, &name, lang().code()).await?;
            send_token_mail(id, &email, rules::TokenPurpose::Verify, None).await?;
        }
    }
    go("/account/check-email");
    Ok(())
}

#[server]
pub async fn verify_email(token: String) -> Result<(), AccountsError> {
    use crate::i18n::K;
    use server::*;
    let st = crate::ssr::state();
    let hash = crate::ssr::sha256_hex(token.trim());
    let taken = db::take_token(&st.db, &hash, &["verify", "change_email"]).await?;
    let Some((user_id, purpose, data)) = taken else {
        return Err(AccountsError(Problem::Refused(K::err_link_invalid)));
    };
    if purpose == "change_email" {
        let Some(new_email) = data else {
            return Err(AccountsError(Problem::Internal));
        };
        if db::find_user_by_email(&st.db, &new_email).await?.is_some() {
            return Err(AccountsError(Problem::Refused(K::err_email_taken)));
        }
        let old = db::find_user_by_id(&st.db, user_id).await?.map(|u| u.email);
        db::set_email(&st.db, user_id, &new_email).await?;
        // A new address ends every other session and every link mailed to the old one; the old
        // address hears of it, so a change nobody asked for does not go unnoticed.
        db::void_tokens(&st.db, user_id, &["reset", "change_email", "verify"]).await?;
        db::delete_other_sessions(&st.db, user_id, &crate::accounts::session::current_session_hash()).await?;
        if let Some(old) = old {
            let lang = server::lang();
            let body = crate::i18n::fill(lang.t(K::mail_email_changed_body), &[("email", &new_email)]);
            let m =
                crate::ssr::mail::compose(lang, &old, "email_changed", K::mail_email_changed_subject, &[body], None);
            crate::ssr::mail::enqueue(&st.db, &m).await?;
        }
    }
    db::mark_verified(&st.db, user_id).await?;
    crate::accounts::session::grant_configured_admin(user_id).await?;
    go("/account/verified");
    Ok(())
}

#[server]
pub async fn login(email: String, password: String, next: String) -> Result<(), AccountsError> {
    use crate::i18n::K;
    use server::*;
    let st = crate::ssr::state();
    let s = &st.settings;
    let mut form = FormState::new().value("email", &email);
    let parsed = parse_email_field(&mut form, "email", &email);
    if password.is_empty() {
        form.add("password", K::err_password_required);
    }
    let Some(email) = parsed.filter(|_| form.is_ok()) else {
        return Err(form.into());
    };
    let ip_key = format!("login:ip:{}", crate::ssr::request::client_ip());
    let acct_key = format!("login:acct:{email}");
    // Every attempt is counted before the password is checked, in one statement each: many
    // attempts at once cannot all slip under the limit.
    for (key, lim) in [(&ip_key, s.login_limit * 4), (&acct_key, s.login_limit)] {
        if let Some(wait) = crate::ssr::rate_limit::hit(&st.db, key, lim, s.login_window_secs).await? {
            return Err(AccountsError(Problem::rate_limited(wait, form)));
        }
    }
    let user = db::find_user_by_email(&st.db, email.as_str()).await?;
    let ok = match &user {
        Some(u) => verify_password(password, u.password_hash.clone()).await && u.deleted_at.is_none(),
        None => {
            // Spend the same time as a wrong password, so timing does not reveal who is registered.
            let _ = hash_password(password).await;
            false
        }
    };
    let Some(user) = user.filter(|_| ok) else {
        let mut form = FormState::new().value("email", email.as_str());
        form.add("password", K::err_login_failed);
        return Err(form.into());
    };
    // A successful sign-in gives its place back: the limits are for guesses.
    crate::ssr::rate_limit::clear(&st.db, &acct_key).await?;
    crate::ssr::rate_limit::refund(&st.db, &ip_key, s.login_window_secs).await?;
    crate::accounts::session::start_session(user.id).await?;
    go(if next.is_empty() { "/account" } else { &next });
    Ok(())
}

#[server]
pub async fn logout() -> Result<(), AccountsError> {
    crate::accounts::session::end_session().await?;
    server::go("/");
    Ok(())
}

#[server]
pub async fn forgot_password(email: String) -> Result<(), AccountsError> {
    use server::*;
    let st = crate::ssr::state();
    let mut form = FormState::new().value("email", &email);
    let Some(email) = parse_email_field(&mut form, "email", &email) else {
        return Err(form.into());
    };
    limit(format!("reset:ip:{}", crate::ssr::request::client_ip()), st.settings.signup_limit, 3600, &form).await?;
    limit(format!("reset:email:{email}"), 3, 3600, &form).await?;
    if let Some(user) = db::find_user_by_email(&st.db, email.as_str()).await? {
        if user.deleted_at.is_none() {
            send_token_mail(user.id, &email, rules::TokenPurpose::Reset, None).await?;
        }
    }
    go("/account/forgot?sent=1");
    Ok(())
}

#[server]
pub async fn reset_password(token: String, password: String) -> Result<(), AccountsError> {
    use crate::i18n::K;
    use server::*;
    let st = crate::ssr::state();
    let mut form = FormState::new();
    check_pw(&mut form, "password", &password);
    if !form.is_ok() {
        return Err(form.into());
    }
    let Some((user_id, _, _)) = db::take_token(&st.db, &crate::ssr::sha256_hex(token.trim()), &["reset"]).await? else {
        return Err(AccountsError(Problem::Refused(K::err_link_invalid)));
    };
    let hash = hash_password(password).await?;
    db::set_password(&st.db, user_id, &hash).await?;
    // A reset proves control of the mailbox, signs out every other device and makes every other
    // link already mailed (resets, address changes) worthless.
    db::mark_verified(&st.db, user_id).await?;
    db::void_tokens(&st.db, user_id, &["reset", "change_email"]).await?;
    db::delete_sessions_of(&st.db, user_id).await?;
    crate::accounts::session::start_session(user_id).await?;
    go("/account?saved=password");
    Ok(())
}

#[server]
pub async fn update_profile(display_name: String, locality: String, county: String) -> Result<(), AccountsError> {
    use server::*;
    let st = crate::ssr::state();
    let user = me().await?;
    let mut form =
        FormState::new().value("display_name", &display_name).value("locality", &locality).value("county", &county);
    let name = require_name(&mut form, &display_name);
    if !form.is_ok() {
        return Err(form.into());
    }
    db::update_profile(
        &st.db,
        user.id,
        &name,
        &crate::text::clean_text(&locality, 80),
        &crate::text::clean_text(&county, 40),
    )
    .await?;
    go("/account?saved=profile");
    Ok(())
}

#[server]
pub async fn change_email(email: String, password: String) -> Result<(), AccountsError> {
    use crate::i18n::K;
    use server::*;
    let st = crate::ssr::state();
    let user = me().await?;
    let mut form = FormState::new().value("email", &email);
    let Some(new_email) = parse_email_field(&mut form, "email", &email) else {
        return Err(form.into());
    };
    limit(format!("change-email:{}", user.id), 5, 3600, &form).await?;
    let row = db::find_user_by_id(&st.db, user.id).await?.ok_or(AccountsError(Problem::Unauthenticated))?;
    if !verify_password(password, row.password_hash).await {
        form.add("password", K::err_password_wrong);
        return Err(form.into());
    }
    if new_email.as_str() == user.email {
        form.add("email", K::err_email_same);
        return Err(form.into());
    }
    if db::find_user_by_email(&st.db, new_email.as_str()).await?.is_some() {
        form.add("email", K::err_email_taken);
        return Err(form.into());
    }
    send_token_mail(user.id, &new_email, rules::TokenPurpose::ChangeEmail, Some(new_email.as_str().to_string()))
        .await?;
    go("/account?saved=email");
    Ok(())
}

#[server]
pub async fn delete_account(password: String, confirm: String) -> Result<(), AccountsError> {
    use crate::i18n::K;
    use server::*;
    let st = crate::ssr::state();
    let user = me().await?;
    let mut form = FormState::new().value("confirm", &confirm);
    let row = db::find_user_by_id(&st.db, user.id).await?.ok_or(AccountsError(Problem::Unauthenticated))?;
    if !verify_password(password, row.password_hash).await {
        form.add("password", K::err_password_wrong);
    }
    let word = crate::i18n::Lang::ALL.iter().any(|l| confirm.trim().eq_ignore_ascii_case(l.t(K::account_delete_word)));
    if !word {
        form.add("confirm", K::err_delete_confirm);
    }
    if !form.is_ok() {
        return Err(form.into());
    }
    crate::accounts::session::end_session().await?;
    db::anonymise(&st.db, user.id).await?;
    go("/?deleted=1");
    Ok(())
}

/// Where the person is signed in (this device first among equals).
#[server]
pub async fn my_sessions() -> Result<Vec<SessionInfo>, AccountsError> {
    let user = server::me().await?;
    let current = crate::accounts::session::current_session_hash();
    Ok(db::sessions_of(&crate::ssr::state().db, user.id, &current).await?)
}

/// Signs out one other device (`session` = its public id), or every other one (`session` = "all").
#[server]
pub async fn end_sessions(session: String) -> Result<(), AccountsError> {
    let user = server::me().await?;
    let st = crate::ssr::state();
    let current = crate::accounts::session::current_session_hash();
    if session == "all" {
        db::delete_other_sessions(&st.db, user.id, &current).await?;
    } else {
        db::delete_session_of(&st.db, user.id, session.trim()).await?;
    }
    server::go("/account?saved=sessions#sessions-h");
    Ok(())
}

/// "Download my data": everything stored about the signed-in person, as a JSON file.
#[server(endpoint = "account/export", input = GetUrl, output = Json)]
pub async fn export_my_data() -> Result<serde_json::Value, AccountsError> {
    let user = server::me().await?;
    let data = db::export(&crate::ssr::state().db, user.id).await?;
    crate::ssr::set_header(http::header::CONTENT_DISPOSITION, "attachment; filename=\"participa-my-data.json\"");
    Ok(data)
}

#[server]
pub async fn admin_list_users(q: String) -> Result<Vec<AdminUserRow>, AccountsError> {
    server::admin().await?;
    Ok(db::list_users(&crate::ssr::state().db, q.trim()).await?)
}

#[server]
pub async fn admin_scope_options() -> Result<Vec<ScopeOption>, AccountsError> {
    server::admin().await?;
    Ok(db::scope_options(&crate::ssr::state().db).await?)
}

#[server]
pub async fn grant_role(email: String, role: String, scope: String) -> Result<(), AccountsError> {
    use crate::i18n::K;
    use rules::Scope;
    let actor = server::admin().await?;
    let st = crate::ssr::state();
    let mut form = FormState::new().value("email", &email).value("role", &role).value("scope", &scope);
    let kind = RoleKind::parse(&role);
    if kind.is_none() {
        form.add("role", K::err_role_invalid);
    }
    let target = match crate::types::Email::parse(&email) {
        Ok(e) => db::find_user_by_email(&st.db, e.as_str()).await?.filter(|u| u.deleted_at.is_none()),
        Err(k) => {
            form.add("email", k);
            None
        }
    };
    if target.is_none() && form.is_ok() {
        form.add("email", K::err_user_not_found);
    }
    let (Some(kind), Some(target)) = (kind, target) else {
        return Err(form.into());
    };
    // The scope select holds "org:ID" or "auth:ID"; it must match what the role needs.
    let scope_id = match (kind.scope(), scope.split_once(':')) {
        (Scope::Platform, _) => Some(0),
        (Scope::Organisation, Some(("org", id))) => id.parse::<i64>().ok(),
        (Scope::Authority, Some(("auth", id))) => id.parse::<i64>().ok(),
        _ => None,
    };
    let Some(scope_id) = scope_id else {
        form.add("scope", K::err_scope_required);
        return Err(form.into());
    };
    if scope_id != 0 && !db::scope_exists(&st.db, kind, scope_id).await? {
        form.add("scope", K::err_scope_required);
        return Err(form.into());
    }
    db::grant_role(&st.db, target.id, kind, scope_id, actor.id).await?;
    server::go("/admin?saved=1");
    Ok(())
}

#[server]
pub async fn revoke_role(role_id: i64) -> Result<(), AccountsError> {
    use crate::i18n::K;
    let actor = server::admin().await?;
    let st = crate::ssr::state();
    // Keep at least one platform admin, or nobody could grant roles again.
    if db::is_last_admin_role(&st.db, role_id).await? {
        return Err(AccountsError(Problem::Refused(K::err_last_admin)));
    }
    db::revoke_role(&st.db, role_id).await?;
    tracing::info!(actor = actor.id, role_id, "role revoked");
    server::go("/admin?saved=1");
    Ok(())
}

#[server]
pub async fn admin_outbox() -> Result<Vec<OutboxMail>, AccountsError> {
    use crate::i18n::K;
    server::admin().await?;
    let st = crate::ssr::state();
    // With SMTP, mail goes to its recipients and nobody else reads it (the links it carries
    // would let an admin act as anyone); without, the outbox is how a first install gets going.
    if !st.settings.outbox_only {
        return Err(AccountsError(Problem::Refused(K::outbox_smtp)));
    }
    Ok(db::outbox(&st.db, 200).await?)
}

/// Remembers the language in a cookie; a plain form post, then a full page load in that language.
#[server]
pub async fn set_language(lang: String, next: String) -> Result<(), AccountsError> {
    let lang = crate::i18n::Lang::from_code(&lang);
    let st = crate::ssr::state();
    let secure = if st.settings.cookie_secure { "; Secure" } else { "" };
    crate::ssr::set_header(
        http::header::SET_COOKIE,
        &format!("{}={}; Path=/; Max-Age=31536000; SameSite=Lax{secure}", crate::i18n::LANG_COOKIE, lang.code()),
    );
    if let Some(user) = crate::accounts::session::current_user().await? {
        db::set_lang(&st.db, user.id, lang.code()).await?;
    }
    leptos_axum::redirect(rules::safe_next(&next));
    Ok(())
}
