//! Accounts: registration, e-mail verification, sign-in, profile, personal data, roles.
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod http;
pub mod notify;
pub mod pages;
#[cfg(feature = "ssr")]
mod personal;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod session;

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

/// The personal data accounts keep (registered at start with every feature's, see `ssr::personal`).
#[cfg(feature = "ssr")]
pub use personal::PERSONAL_DATA;

pub use pages::nav::{use_me, Me};

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

#[server]
pub async fn get_me() -> Result<Option<SessionUser>, AccountsError> {
    Ok(session::current_user().await?)
}

#[server]
pub async fn register(
    display_name: String,
    email: String,
    password: String,
    website: String,
) -> Result<(), AccountsError> {
    service::signup::register(display_name, email, password, website).await
}

#[server]
pub async fn verify_email(token: String) -> Result<(), AccountsError> {
    service::signup::verify_email(token).await
}

#[server]
pub async fn login(email: String, password: String, next: String) -> Result<(), AccountsError> {
    service::signup::login(email, password, next).await
}

#[server]
pub async fn logout() -> Result<(), AccountsError> {
    service::signup::logout().await
}

#[server]
pub async fn forgot_password(email: String) -> Result<(), AccountsError> {
    service::signup::forgot_password(email).await
}

#[server]
pub async fn reset_password(token: String, password: String) -> Result<(), AccountsError> {
    service::signup::reset_password(token, password).await
}

#[server]
pub async fn update_profile(display_name: String, locality: String, county: String) -> Result<(), AccountsError> {
    service::profile::update_profile(display_name, locality, county).await
}

#[server]
pub async fn change_email(email: String, password: String) -> Result<(), AccountsError> {
    service::profile::change_email(email, password).await
}

#[server]
pub async fn delete_account(password: String, confirm: String) -> Result<(), AccountsError> {
    service::profile::delete_account(password, confirm).await
}

/// Where the person is signed in (this device first among equals).
#[server]
pub async fn my_sessions() -> Result<Vec<SessionInfo>, AccountsError> {
    service::profile::my_sessions().await
}

/// Signs out one other device (`session` = its public id), or every other one (`session` = "all").
#[server]
pub async fn end_sessions(session: String) -> Result<(), AccountsError> {
    service::profile::end_sessions(session).await
}

/// "Download my data": everything stored about the signed-in person, as a JSON file.
#[server(endpoint = "account/export", input = GetUrl, output = Json)]
pub async fn export_my_data() -> Result<serde_json::Value, AccountsError> {
    let data = service::profile::export_my_data().await?;
    crate::ssr::set_header(::http::header::CONTENT_DISPOSITION, "attachment; filename=\"participa-my-data.json\"");
    Ok(data)
}

#[server]
pub async fn admin_list_users(q: String) -> Result<Vec<AdminUserRow>, AccountsError> {
    service::admin::list_users(q).await
}

#[server]
pub async fn admin_scope_options() -> Result<Vec<ScopeOption>, AccountsError> {
    service::admin::scope_options().await
}

#[server]
pub async fn grant_role(email: String, role: String, scope: String) -> Result<(), AccountsError> {
    service::admin::grant_role(email, role, scope).await
}

#[server]
pub async fn revoke_role(role_id: i64) -> Result<(), AccountsError> {
    service::admin::revoke_role(role_id).await
}

#[server]
pub async fn admin_outbox() -> Result<Vec<OutboxMail>, AccountsError> {
    service::admin::outbox().await
}

/// Remembers the language in a cookie; a plain form post, then a full page load in that language.
#[server]
pub async fn set_language(lang: String, next: String) -> Result<(), AccountsError> {
    service::profile::set_language(lang, next).await
}
