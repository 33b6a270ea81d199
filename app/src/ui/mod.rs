//! Shared components: page frame, navigation, language switch, form fields with their messages.
pub mod form;

use crate::accounts::{GetMe, Logout, SessionUser, SetLanguage};
use crate::i18n::{t, use_lang, Lang, K};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_location;

/// The signed-in person, fetched once per navigation and shared through context.
#[derive(Clone, Copy)]
pub struct Me(pub Resource<Result<Option<SessionUser>, crate::accounts::AccountsError>>);

pub fn use_me() -> Me {
    expect_context::<Me>()
}

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let location = use_location();
    let me = Resource::new(move || location.pathname.get(), |_| crate::accounts::get_me());
    provide_context(Me(me));
    view! {
        <a class="skip-link" href="#main">{t(K::nav_skip)}</a>
        <header class="site-header">
            <div class="wrap header-row">
                <a class="brand" href="/">
                    <span class="brand-mark" aria-hidden="true">"P"</span>
                    <span>{t(K::site_name)}</span>
                </a>
                <LangSwitch/>
            </div>
            <nav class="wrap main-nav" aria-label=t(K::nav_label)>
                <ul>
                    <li><a href="/">{t(K::nav_home)}</a></li>
                    <li><a href="/organisations">{t(K::nav_orgs)}</a></li>
                    <li><a href="/map">{t(K::map_title)}</a></li>
                    <li><a href="/events">{t(K::events_title)}</a></li>
                    <li><a href="/campaigns">{t(K::donations_nav)}</a></li>
                    <li><a href="/consultations">{t(K::consultations_title)}</a></li>
                    <li><a href="/about">{t(K::nav_about)}</a></li>
                    <AccountNav/>
                </ul>
            </nav>
        </header>
        <main id="main" tabindex="-1" class="wrap">{children()}</main>
        <footer class="site-footer">
            <div class="wrap">
                <p>{t(K::footer_text)}</p>
                <p><a href="/about">{t(K::nav_about)}</a> " · " <a href="/newsletter">{t(K::newsletter_title)}</a> " · " <a href="/stories">{t(K::stories_title)}</a> " · " <a href="/authorities">{t(K::authorities_title)}</a></p>
            </div>
        </footer>
    }
}

#[component]
fn AccountNav() -> impl IntoView {
    let me = use_me().0;
    let _ = GetMe::PATH;
    view! {
        <Transition fallback=move || view! { <li><a href="/account/login">{t(K::nav_login)}</a></li> }>
            {move || Suspend::new(async move {
                match me.await {
                    Ok(Some(user)) => {
                        let admin = user.is_admin();
                        view! {
                            <li><a href="/account">{t(K::nav_account)}</a></li>
                            {admin.then(|| view! { <li><a href="/admin">{t(K::nav_admin)}</a></li> })}
                            <li>
                                <form method="post" action=Logout::PATH class="inline-form">
                                    <button type="submit" class="link-button">{t(K::nav_logout)}</button>
                                </form>
                            </li>
                        }
                        .into_any()
                    }
                    _ => view! {
                        <li><a href="/account/login">{t(K::nav_login)}</a></li>
                        <li><a href="/account/register">{t(K::nav_register)}</a></li>
                    }
                    .into_any(),
                }
            })}
        </Transition>
    }
}

/// A plain form, not an ActionForm: the new language needs a full page load.
#[component]
fn LangSwitch() -> impl IntoView {
    let current = use_lang();
    let location = use_location();
    let next = move || {
        let search = location.search.get();
        if search.is_empty() {
            location.pathname.get()
        } else {
            format!("{}?{}", location.pathname.get(), search)
        }
    };
    view! {
        <form method="post" action=SetLanguage::PATH class="lang-switch">
            <input type="hidden" name="next" prop:value=next value=next/>
            {Lang::ALL
                .into_iter()
                .map(|l| {
                    let is_current = l == current;
                    view! {
                        <button
                            type="submit"
                            name="lang"
                            value=l.code()
                            lang=l.code()
                            aria-pressed=if is_current { "true" } else { "false" }
                            class:current=is_current
                        >
                            {l.endonym()}
                        </button>
                    }
                })
                .collect_view()}
        </form>
    }
}

/// A short status line ("Saved") that screen readers announce.
#[component]
pub fn Notice(#[prop(into)] text: String) -> impl IntoView {
    view! { <p class="notice" role="status">{text}</p> }
}

/// Page title, set through leptos_meta, with the site name after it.
#[component]
pub fn PageTitle(k: K) -> impl IntoView {
    view! { <DataTitle text=format!("{} · {}", t(k), t(K::site_name))/> }
}

/// A title made of data people typed (a place, an organisation, a campaign…). leptos_meta writes
/// the title into `<head>` as it is, so it is escaped here, once for every page: a name holding
/// `</title><meta http-equiv=refresh …>` stays text.
#[component]
pub fn DataTitle(#[prop(into)] text: String) -> impl IntoView {
    view! { <leptos_meta::Title text=escape_title(&text)/> }
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
