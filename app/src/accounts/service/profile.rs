//! One's own account: profile, address, deletion, signed-in devices, personal data, language.
use super::*;
use crate::accounts::rules::{is_delete_word, lang_cookie};
use crate::accounts::session::{self, require_user};
use crate::accounts::SessionInfo;
use crate::i18n::Lang;
use crate::text::clean_text;

pub async fn update_profile(display_name: String, locality: String, county: String) -> Result<(), AccountsError> {
    let st = ssr::state();
    let user = require_user().await?;
    let mut form =
        FormState::new().value("display_name", &display_name).value("locality", &locality).value("county", &county);
    let name = require_name(&mut form, &display_name);
    if !form.is_ok() {
        return Err(form.into());
    }
    db::update_profile(&st.db, user.id, &name, &clean_text(&locality, 80), &clean_text(&county, 40)).await?;
    redirect_safe("/account?saved=profile");
    Ok(())
}

/// Mails a confirmation link to the new address; the change happens when it is followed.
pub async fn change_email(email: String, password: String) -> Result<(), AccountsError> {
    let st = ssr::state();
    let user = require_user().await?;
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
    send_token_mail(user.id, &new_email, TokenPurpose::ChangeEmail, Some(new_email.as_str().to_string())).await?;
    redirect_safe("/account?saved=email");
    Ok(())
}

pub async fn delete_account(password: String, confirm: String) -> Result<(), AccountsError> {
    let st = ssr::state();
    let user = require_user().await?;
    let mut form = FormState::new().value("confirm", &confirm);
    let row = db::find_user_by_id(&st.db, user.id).await?.ok_or(AccountsError(Problem::Unauthenticated))?;
    if !verify_password(password, row.password_hash).await {
        form.add("password", K::err_password_wrong);
    }
    if !is_delete_word(&confirm) {
        form.add("confirm", K::err_delete_confirm);
    }
    if !form.is_ok() {
        return Err(form.into());
    }
    // Erased first: should it fail, the person is still signed in and can try again.
    ssr::personal::erase_all(&st.db, &st.store, &person(&user)).await?;
    session::end_session().await?;
    redirect_safe("/?deleted=1");
    Ok(())
}

pub async fn my_sessions() -> Result<Vec<SessionInfo>, AccountsError> {
    let user = require_user().await?;
    let current = session::current_session_hash();
    Ok(db::sessions_of(&ssr::state().db, user.id, &current).await?)
}

/// `device` is a session's public id, or "all" for every device but this one.
pub async fn end_sessions(device: String) -> Result<(), AccountsError> {
    let user = require_user().await?;
    let st = ssr::state();
    let current = session::current_session_hash();
    if device == "all" {
        db::delete_other_sessions(&st.db, user.id, &current).await?;
    } else {
        db::delete_session_of(&st.db, user.id, device.trim()).await?;
    }
    redirect_safe("/account?saved=sessions#sessions-h");
    Ok(())
}

/// JSON exports per person per hour (the ZIP has its own, lower limit).
const EXPORTS_PER_HOUR: i64 = 20;

/// Everything every feature keeps about the signed-in person (the registry in `ssr::personal`).
pub async fn export_my_data() -> Result<serde_json::Value, AccountsError> {
    let user = require_user().await?;
    // Each export reads every source; a person needs a few a day, a script asking in a loop none.
    limit(format!("export-json:{}", user.id), EXPORTS_PER_HOUR, 3600, &FormState::new()).await?;
    Ok(ssr::personal::export_all(&ssr::state().db, &person(&user)).await?)
}

/// Whom the registry's sources look for: the account and its address as stored (lower case).
/// An address nobody confirmed may be someone else's (anyone can register with it), so what is
/// kept under that address (gifts, newsletter, invitations, mail) is neither shown nor erased.
pub fn person(user: &crate::accounts::SessionUser) -> ssr::personal::Person {
    let email = if user.verified { user.email.to_lowercase() } else { ssr::personal::Person::UNCONFIRMED.into() };
    ssr::personal::Person { id: user.id, email }
}

/// Remembers the language in a cookie, and on the account so that mail comes in it too.
pub async fn set_language(lang: String, next: String) -> Result<(), AccountsError> {
    let lang = Lang::from_code(&lang);
    let st = ssr::state();
    ssr::set_header(http::header::SET_COOKIE, &lang_cookie(lang, st.settings.cookie_secure));
    if let Some(user) = session::current_user().await? {
        db::set_lang(&st.db, user.id, lang.code()).await?;
    }
    redirect_safe(&next);
    Ok(())
}
