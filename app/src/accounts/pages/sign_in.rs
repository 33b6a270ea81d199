//! Joining and getting in: register, check your mail, verify, sign in, forgotten and new password.
use super::query;
use crate::accounts::{ForgotPassword, Login, Register, ResetPassword, VerifyEmail};
use crate::i18n::{t, K};
use crate::ui::form::{problem_of, ErrorSummary, Field, Honeypot};
use crate::ui::{Notice, PageTitle};
use leptos::form::ActionForm;
use leptos::prelude::*;

#[component]
pub fn Register() -> impl IntoView {
    let action = ServerAction::<Register>::new();
    let p = problem_of(action);
    view! {
        <PageTitle k=K::register_title />
        <h1>{t(K::register_title)}</h1>
        <p>{t(K::register_intro)}</p>
        <ActionForm action=action attr:class="form" attr:novalidate=true>
            <ErrorSummary problem=p />
            <Field
                problem=p
                name="display_name"
                label=K::field_display_name
                autocomplete="name"
                required=true
                hint=K::hint_display_name
            />
            <Field problem=p name="email" label=K::field_email kind="email" autocomplete="email" required=true />
            <Field
                problem=p
                name="password"
                label=K::field_password
                kind="password"
                autocomplete="new-password"
                required=true
                hint=K::hint_password
            />
            <Honeypot />
            <button type="submit" class="button">
                {t(K::register_submit)}
            </button>
        </ActionForm>
        <p>{t(K::register_have_account)} " " <a href="/account/login">{t(K::nav_login)}</a></p>
    }
}

#[component]
pub fn CheckEmail() -> impl IntoView {
    view! {
        <PageTitle k=K::check_email_title />
        <h1>{t(K::check_email_title)}</h1>
        <p>{t(K::check_email_text)}</p>
    }
}

#[component]
pub fn Verify() -> impl IntoView {
    let action = ServerAction::<VerifyEmail>::new();
    let p = problem_of(action);
    let token = query("token");
    view! {
        <PageTitle k=K::verify_title />
        <h1>{t(K::verify_title)}</h1>
        <p>{t(K::verify_text)}</p>
        <ActionForm action=action attr:class="form">
            <ErrorSummary problem=p />
            <input type="hidden" name="token" value=token />
            <button type="submit" class="button">
                {t(K::verify_submit)}
            </button>
        </ActionForm>
    }
}

#[component]
pub fn Verified() -> impl IntoView {
    view! {
        <PageTitle k=K::verified_title />
        <h1>{t(K::verified_title)}</h1>
        <p>{t(K::verified_text)}</p>
        <p>
            <a class="button" href="/account">
                {t(K::nav_account)}
            </a>
        </p>
    }
}

#[component]
pub fn Login() -> impl IntoView {
    let action = ServerAction::<Login>::new();
    let p = problem_of(action);
    let next = query("next");
    view! {
        <PageTitle k=K::login_title />
        <h1>{t(K::login_title)}</h1>
        <ActionForm action=action attr:class="form" attr:novalidate=true>
            <ErrorSummary problem=p />
            <input type="hidden" name="next" value=next />
            <Field problem=p name="email" label=K::field_email kind="email" autocomplete="username" required=true />
            <Field
                problem=p
                name="password"
                label=K::field_password
                kind="password"
                autocomplete="current-password"
                required=true
            />
            <button type="submit" class="button">
                {t(K::login_submit)}
            </button>
        </ActionForm>
        <p>
            <a href="/account/forgot">{t(K::login_forgot)}</a>
        </p>
        <p>{t(K::login_no_account)} " " <a href="/account/register">{t(K::nav_register)}</a></p>
    }
}

#[component]
pub fn Forgot() -> impl IntoView {
    let action = ServerAction::<ForgotPassword>::new();
    let p = problem_of(action);
    let sent = query("sent");
    view! {
        <PageTitle k=K::forgot_title />
        <h1>{t(K::forgot_title)}</h1>
        {move || (!sent.get().is_empty()).then(|| view! { <Notice text=t(K::forgot_sent) /> })}
        <p>{t(K::forgot_text)}</p>
        <ActionForm action=action attr:class="form" attr:novalidate=true>
            <ErrorSummary problem=p />
            <Field problem=p name="email" label=K::field_email kind="email" autocomplete="email" required=true />
            <button type="submit" class="button">
                {t(K::forgot_submit)}
            </button>
        </ActionForm>
    }
}

#[component]
pub fn Reset() -> impl IntoView {
    let action = ServerAction::<ResetPassword>::new();
    let p = problem_of(action);
    let token = query("token");
    view! {
        <PageTitle k=K::reset_title />
        <h1>{t(K::reset_title)}</h1>
        <ActionForm action=action attr:class="form" attr:novalidate=true>
            <ErrorSummary problem=p />
            <input type="hidden" name="token" value=token />
            <Field
                problem=p
                name="password"
                label=K::field_new_password
                kind="password"
                autocomplete="new-password"
                required=true
                hint=K::hint_password
            />
            <button type="submit" class="button">
                {t(K::reset_submit)}
            </button>
        </ActionForm>
    }
}
