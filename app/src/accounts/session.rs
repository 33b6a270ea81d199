//! Sessions live in the database (several app servers can share them); the cookie holds a random
//! token and the database only its hash.
use super::rules::{RoleKind, SESSION_LIFETIME_SECS};
use super::{db, AccountsError, SessionUser};
use crate::error::Problem;
use crate::ssr::{now, random_token, request, sha256_hex, state};

pub const SESSION_COOKIE: &str = "sid";

fn cookie_attrs(max_age: i64) -> String {
    let secure = if state().settings.cookie_secure { "; Secure" } else { "" };
    format!("Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}")
}

pub async fn current_user() -> Result<Option<SessionUser>, sqlx::Error> {
    // One lookup per request, however many components and resources ask, even concurrently.
    let memo = request::parts().and_then(|p| p.extensions.get::<SessionMemo>().cloned());
    let Some(memo) = memo else { return lookup().await };
    let mut slot = memo.0.lock().await;
    if let Some(user) = slot.as_ref() {
        return Ok(user.clone());
    }
    let user = lookup().await?;
    *slot = Some(user.clone());
    Ok(user)
}

async fn lookup() -> Result<Option<SessionUser>, sqlx::Error> {
    let Some(token) = request::cookie(SESSION_COOKIE) else {
        return Ok(None);
    };
    let st = state();
    let hash = sha256_hex(&token);
    let user = db::session_user(&st.db, &hash, now(), st.settings.idle_timeout_secs).await?;
    if user.is_some() {
        db::touch_session(&st.db, &hash, now()).await?;
    }
    Ok(user)
}

/// The signed-in person, or "sign in first".
pub async fn require_user() -> Result<SessionUser, AccountsError> {
    current_user().await?.ok_or(AccountsError(Problem::Unauthenticated))
}

/// The signed-in platform admin, or "not allowed".
pub async fn require_admin() -> Result<SessionUser, AccountsError> {
    let u = require_user().await?;
    if u.is_admin() {
        Ok(u)
    } else {
        Err(AccountsError(Problem::Forbidden))
    }
}

/// The hash of this request's session token ("" without one), to tell this device from others.
pub fn current_session_hash() -> String {
    request::cookie(SESSION_COOKIE).map(|t| sha256_hex(&t)).unwrap_or_default()
}

/// The signed-in person of one request, looked up once. The server's middleware puts a fresh one
/// in every request; signing in or out within the request forgets it.
#[derive(Clone, Default)]
pub struct SessionMemo(std::sync::Arc<tokio::sync::Mutex<Option<Option<SessionUser>>>>);

async fn forget_memo() {
    if let Some(memo) = request::parts().and_then(|p| p.extensions.get::<SessionMemo>().cloned()) {
        *memo.0.lock().await = None;
    }
}

pub async fn start_session(user_id: i64) -> Result<(), sqlx::Error> {
    forget_memo().await;
    let st = state();
    // A fresh token at every sign-in: a token planted before sign-in is worthless after it.
    if let Some(old) = request::cookie(SESSION_COOKIE) {
        db::delete_session(&st.db, &sha256_hex(&old)).await?;
    }
    let token = random_token();
    db::create_session(&st.db, &sha256_hex(&token), user_id, now() + SESSION_LIFETIME_SECS, &request::user_agent())
        .await?;
    crate::ssr::set_header(
        http::header::SET_COOKIE,
        &format!("{SESSION_COOKIE}={token}; {}", cookie_attrs(SESSION_LIFETIME_SECS)),
    );
    Ok(())
}

pub async fn end_session() -> Result<(), sqlx::Error> {
    forget_memo().await;
    if let Some(token) = request::cookie(SESSION_COOKIE) {
        db::delete_session(&state().db, &sha256_hex(&token)).await?;
    }
    crate::ssr::set_header(http::header::SET_COOKIE, &format!("{SESSION_COOKIE}=; {}", cookie_attrs(0)));
    Ok(())
}

/// Addresses listed in `ADMIN_EMAILS` become platform admins once they are verified.
pub async fn grant_configured_admin(user_id: i64) -> Result<(), sqlx::Error> {
    let st = state();
    let Some(user) = db::find_user_by_id(&st.db, user_id).await? else {
        return Ok(());
    };
    if st.settings.admin_emails.iter().any(|e| e.eq_ignore_ascii_case(&user.email)) {
        db::grant_role(&st.db, user_id, RoleKind::Admin, 0, user_id).await?;
    }
    Ok(())
}

/// The signed-in person of a plain axum handler's request (outside Leptos' context).
pub async fn user_of(st: &crate::ssr::AppState, headers: &http::HeaderMap) -> Result<Option<SessionUser>, sqlx::Error> {
    let token = headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|p| p.trim().split_once('='))
        .find(|(k, _)| *k == SESSION_COOKIE)
        .map(|(_, v)| v.to_string());
    let Some(hash) = token.map(|t| sha256_hex(&t)) else { return Ok(None) };
    let user = db::session_user(&st.db, &hash, now(), st.settings.idle_timeout_secs).await?;
    if user.is_some() {
        db::touch_session(&st.db, &hash, now()).await?;
    }
    Ok(user)
}
