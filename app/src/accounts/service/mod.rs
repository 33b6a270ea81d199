//! What the accounts server functions do (ssr): check the form, apply the rules, store, mail.
//! Signing up and in (`signup`), one's own account (`profile`), the platform admin's work (`admin`)
//! and the notification centre (`notify`); the helpers they share live here.
pub mod admin;
pub mod notify;
pub mod profile;
pub mod signup;

use super::rules::{check_display_name, safe_next, TokenPurpose};
use super::{db, AccountsError};
use crate::error::{FormState, Problem};
use crate::i18n::{request_lang, K};
use crate::ssr::{self, mail, now, rate_limit, sha256_hex};
use crate::types::{check_password, Email};

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

/// Counts one attempt under `key`; over the limit, the form comes back with how long to wait.
pub async fn limit(key: String, limit: i64, window: i64, kept: &FormState) -> Result<(), AccountsError> {
    let st = ssr::state();
    if let Some(wait) = rate_limit::hit(&st.db, &key, limit, window).await? {
        return Err(AccountsError(Problem::rate_limited(wait, kept.clone())));
    }
    Ok(())
}

/// Stores a fresh single-use link token (its hash) and mails the link to `to`.
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
    let lang = request_lang();
    let base = st.settings.public_url.trim_end_matches('/');
    let (subject, body, path, cta) = match purpose {
        TokenPurpose::Verify => (K::mail_verify_subject, K::mail_verify_body, "/account/verify", K::mail_verify_cta),
        TokenPurpose::Reset => (K::mail_reset_subject, K::mail_reset_body, "/account/reset", K::mail_reset_cta),
        TokenPurpose::ChangeEmail => {
            (K::mail_change_subject, K::mail_change_body, "/account/verify", K::mail_change_cta)
        }
    };
    let link = format!("{base}{path}?token={token}");
    let m = mail::compose(lang, to.as_str(), purpose.code(), subject, &[lang.t(body).to_string()], Some((cta, &link)));
    mail::enqueue(&st.db, &m).await?;
    Ok(())
}

pub fn parse_email_field(form: &mut FormState, field: &str, raw: &str) -> Option<Email> {
    form.check(field, Email::parse(raw))
}

/// The display name as kept; a message next to the field when it will not do.
pub fn require_name(form: &mut FormState, raw: &str) -> String {
    form.check("display_name", check_display_name(raw)).unwrap_or_default()
}

pub fn check_pw(form: &mut FormState, field: &str, pw: &str) {
    form.check(field, check_password(pw));
}

/// Sends the browser on to a same-site path after the form (anything else goes to the account).
pub fn redirect_safe(path: &str) {
    leptos_axum::redirect(safe_next(path));
}
