//! Shared components: notices, page titles, form fields with their messages, the pager. The page frame is
//! the site's (`site::layout`), the account menu the accounts feature's (`accounts::pages::nav`).
pub mod form;
pub mod icons;
pub mod pager;

use crate::i18n::{t, K};
use leptos::prelude::*;

/// A short status line ("Saved") that screen readers announce.
#[component]
pub fn Notice(#[prop(into)] text: String) -> impl IntoView {
    view! {
        <p class="notice" role="status">
            {text}
        </p>
    }
}

/// Page title, set through leptos_meta, with the site name after it.
#[component]
pub fn PageTitle(k: K) -> impl IntoView {
    view! { <DataTitle text=format!("{} · {}", t(k), t(K::site_name)) /> }
}

/// A title made of data people typed (a place, an organisation, a campaign…). leptos_meta writes
/// the title into `<head>` as it is, so it is escaped here, once for every page: a name holding
/// `</title><meta http-equiv=refresh …>` stays text.
#[component]
pub fn DataTitle(#[prop(into)] text: String) -> impl IntoView {
    view! { <leptos_meta::Title text=escape_title(&text) /> }
}

/// Text safe inside `<title>` (which leptos_meta does not escape on the server).
pub fn escape_title(s: &str) -> String {
    if cfg!(feature = "ssr") {
        s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
    } else {
        // In the browser `document.title` takes plain text.
        s.to_string()
    }
}
