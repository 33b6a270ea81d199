//! Joining and getting in: register, verify the address, sign in and out, reset a password.
use super::*;
use crate::accounts::session;
use crate::ssr::request;

pub async fn register(
    display_name: String,
    email: String,
    password: String,
    website: String,
) -> Result<(), AccountsError> {
    let st = ssr::state();
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
        redirect_safe("/account/check-email");
        return Ok(());
    }
    limit(format!("signup:ip:{}", request::client_ip()), st.settings.signup_limit, 3600, &form).await?;
    limit(format!("signup:email:{email}"), 3, 3600, &form).await?;
    // The password is hashed on both paths, so the time taken does not tell whether the address
    // is registered (the answer and the mail's arrival are alike too).
    let hash = hash_password(password).await?;
    match db::find_user_by_email(&st.db, email.as_str()).await? {
        Some(_) => {
            // Same answer as a new account, so the form does not reveal who is registered.
            let lang = request_lang();
            let m = mail::compose(
                lang,
                email.as_str(),
                "exists",
                K::mail_exists_subject,
                &[lang.t(K::mail_exists_body).to_string()],
                None,
            );
            mail::enqueue(&st.db, &m).await?;
        }
        None => {
            let id = db::create_user(&st.db, email.as_str(), &hash, &name, request_lang().code()).await?;
            send_token_mail(id, &email, TokenPurpose::Verify, None).await?;
        }
    }
    redirect_safe("/account/check-email");
    Ok(())
}

/// Follows a mailed link: verifies the address, or moves the account to the new one.
pub async fn verify_email(token: String) -> Result<(), AccountsError> {
    let st = ssr::state();
    let hash = sha256_hex(token.trim());
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
        db::delete_other_sessions(&st.db, user_id, &session::current_session_hash()).await?;
        if let Some(old) = old {
            let lang = request_lang();
            let body = crate::i18n::fill(lang.t(K::mail_email_changed_body), &[("email", &new_email)]);
            let m = mail::compose(lang, &old, "email_changed", K::mail_email_changed_subject, &[body], None);
            mail::enqueue(&st.db, &m).await?;
        }
    }
    db::mark_verified(&st.db, user_id).await?;
    session::grant_configured_admin(user_id).await?;
    redirect_safe("/account/verified");
    Ok(())
}

pub async fn login(email: String, password: String, next: String) -> Result<(), AccountsError> {
    let st = ssr::state();
    let s = &st.settings;
    let mut form = FormState::new().value("email", &email);
    let parsed = parse_email_field(&mut form, "email", &email);
    if password.is_empty() {
        form.add("password", K::err_password_required);
    }
    let Some(email) = parsed.filter(|_| form.is_ok()) else {
        return Err(form.into());
    };
    let ip_key = format!("login:ip:{}", request::client_ip());
    let acct_key = format!("login:acct:{email}");
    // Every attempt is counted before the password is checked, in one statement each: many
    // attempts at once cannot all slip under the limit.
    for (key, lim) in [(&ip_key, s.login_limit * 4), (&acct_key, s.login_limit)] {
        if let Some(wait) = rate_limit::hit(&st.db, key, lim, s.login_window_secs).await? {
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
    rate_limit::clear(&st.db, &acct_key).await?;
    rate_limit::refund(&st.db, &ip_key, s.login_window_secs).await?;
    session::start_session(user.id).await?;
    redirect_safe(if next.is_empty() { "/account" } else { &next });
    Ok(())
}

pub async fn logout() -> Result<(), AccountsError> {
    session::end_session().await?;
    redirect_safe("/");
    Ok(())
}

/// Mails a reset link to a registered address; the answer is the same for any address.
pub async fn forgot_password(email: String) -> Result<(), AccountsError> {
    let st = ssr::state();
    let mut form = FormState::new().value("email", &email);
    let Some(email) = parse_email_field(&mut form, "email", &email) else {
        return Err(form.into());
    };
    limit(format!("reset:ip:{}", request::client_ip()), st.settings.signup_limit, 3600, &form).await?;
    limit(format!("reset:email:{email}"), 3, 3600, &form).await?;
    if let Some(user) = db::find_user_by_email(&st.db, email.as_str()).await? {
        if user.deleted_at.is_none() {
            send_token_mail(user.id, &email, TokenPurpose::Reset, None).await?;
        }
    }
    redirect_safe("/account/forgot?sent=1");
    Ok(())
}

pub async fn reset_password(token: String, password: String) -> Result<(), AccountsError> {
    let st = ssr::state();
    let mut form = FormState::new();
    check_pw(&mut form, "password", &password);
    if !form.is_ok() {
        return Err(form.into());
    }
    let Some((user_id, _, _)) = db::take_token(&st.db, &sha256_hex(token.trim()), &["reset"]).await? else {
        return Err(AccountsError(Problem::Refused(K::err_link_invalid)));
    };
    let hash = hash_password(password).await?;
    db::set_password(&st.db, user_id, &hash).await?;
    // A reset proves control of the mailbox, signs out every other device and makes every other
    // link already mailed (resets, address changes) worthless.
    db::mark_verified(&st.db, user_id).await?;
    db::void_tokens(&st.db, user_id, &["reset", "change_email"]).await?;
    db::delete_sessions_of(&st.db, user_id).await?;
    session::start_session(user_id).await?;
    redirect_safe("/account?saved=password");
    Ok(())
}
