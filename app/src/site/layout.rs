//! The frame of every page: skip link, header with the navigation, main, footer.
//!
//! The header is one compact bar on a phone (logo, language, a "Meniu" disclosure holding the
//! navigation) and today's two rows on a wider screen. The disclosure is a plain
//! `<details>`/`<summary>`: it opens by keyboard, is announced as an expandable button and needs
//! no JavaScript. Each layout's navigation is `display: none` in the other, so only one is ever
//! in the accessibility tree.
use crate::accounts;
use crate::i18n::{t, K};
use leptos::prelude::*;
use leptos_router::hooks::use_location;

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let location = use_location();
    let me = Resource::new(move || location.pathname.get(), |_| accounts::get_me());
    provide_context(accounts::pages::nav::Me(me));
    view! {
        <a class="skip-link" href="#main">
            {t(K::nav_skip)}
        </a>
        <header class="site-header">
            <div class="wrap header-row">
                <a class="brand" href="/">
                    <span class="brand-mark" aria-hidden="true">
                        "P"
                    </span>
                    <span class="brand-name">{t(K::site_name)}</span>
                </a>
                <accounts::pages::nav::LangSwitch />
                <details class="menu">
                    <summary>
                        <svg
                            class="icon"
                            aria-hidden="true"
                            focusable="false"
                            viewBox="0 0 24 24"
                            width="20"
                            height="20"
                        >
                            <path
                                d="M3 6h18M3 12h18M3 18h18"
                                stroke="currentColor"
                                stroke-width="2.5"
                                stroke-linecap="round"
                            />
                        </svg>
                        <span>{t(K::nav_menu)}</span>
                    </summary>
                    <nav class="menu-nav" aria-label=t(K::nav_label)>
                        <NavLinks />
                    </nav>
                </details>
            </div>
            <nav class="wrap main-nav" aria-label=t(K::nav_label)>
                <NavLinks />
            </nav>
        </header>
        <main id="main" tabindex="-1" class="wrap">
            {children()}
        </main>
        <footer class="site-footer">
            <div class="wrap">
                <p>{t(K::footer_text)}</p>
                <p>
                    <a href="/about">{t(K::nav_about)}</a>
                    " · "
                    <a href="/newsletter">{t(K::newsletter_title)}</a>
                    " · "
                    <a href="/stories">{t(K::stories_title)}</a>
                    " · "
                    <a href="/authorities">{t(K::authorities_title)}</a>
                </p>
                <crate::legal::pages::FooterLinks />
            </div>
        </footer>
    }
}

/// The links of the main navigation, the same in the phone menu and the desktop row.
#[component]
fn NavLinks() -> impl IntoView {
    view! {
        <ul>
            <li>
                <a href="/">{t(K::nav_home)}</a>
            </li>
            <li>
                <a href="/organisations">{t(K::nav_orgs)}</a>
            </li>
            <li>
                <a href="/map">{t(K::map_title)}</a>
            </li>
            <li>
                <a href="/events">{t(K::events_title)}</a>
            </li>
            <li>
                <a href="/campaigns">{t(K::donations_nav)}</a>
            </li>
            <li>
                <a href="/consultations">{t(K::consultations_title)}</a>
            </li>
            <li>
                <a href="/about">{t(K::nav_about)}</a>
            </li>
            <accounts::pages::nav::AccountNav />
        </ul>
    }
}
