//! Sessions live in the database (several app servers can share them); the cookie holds a random
//! token and the database only its hash.
use super::{now, random_token, request, sha256_hex, state};
use crate::accounts::rules::{RoleKind, SESSION_LIFETIME_SECS};
use crate::accounts::{db, SessionUser};

pub const SESSION_COOKIE: &str = "sid";

fn cookie_attrs(max_age: i64) -> String {
    let secure = if state().settings.cookie_secure { "; Secure" } else { "" };
    format!("Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}")
}

pub async fn current_user() -> Result<Option<SessionUser>, sqlx::Error> {
    // One lookup per request, however many components ask.
    if let Some(cached) = leptos::prelude::use_context::<CachedUser>() {
        return Ok(cached.0);
    }
    let Some(token) = request::cookie(SESSION_COOKIE) else {
        return Ok(None);
    };
    let st = state();
    let user = db::session_user(&st.db, &sha256_hex(&token), now()).await?;
    leptos::prelude::provide_context(CachedUser(user.clone()));
    Ok(user)
}

#[derive(Clone)]
struct CachedUser(Option<SessionUser>);

pub async fn start_session(user_id: i64) -> Result<(), sqlx::Error> {
    let st = state();
    // A fresh token at every sign-in: a token planted before sign-in is worthless after it.
    if let Some(old) = request::cookie(SESSION_COOKIE) {
        db::delete_session(&st.db, &sha256_hex(&old)).await?;
    }
    let token = random_token();
    db::create_session(&st.db, &sha256_hex(&token), user_id, now() + SESSION_LIFETIME_SECS, &request::user_agent())
        .await?;
    super::set_header(
        http::header::SET_COOKIE,
        &format!("{SESSION_COOKIE}={token}; {}", cookie_attrs(SESSION_LIFETIME_SECS)),
    );
    Ok(())
}

pub async fn end_session() -> Result<(), sqlx::Error> {
    if let Some(token) = request::cookie(SESSION_COOKIE) {
        db::delete_session(&state().db, &sha256_hex(&token)).await?;
    }
    super::set_header(http::header::SET_COOKIE, &format!("{SESSION_COOKIE}=; {}", cookie_attrs(0)));
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
