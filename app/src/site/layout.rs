//! The frame of every page: skip link, header with the navigation, main, footer.
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
        <a class="skip-link" href="#main">{t(K::nav_skip)}</a>
        <header class="site-header">
            <div class="wrap header-row">
                <a class="brand" href="/">
                    <span class="brand-mark" aria-hidden="true">"P"</span>
                    <span>{t(K::site_name)}</span>
                </a>
                <accounts::pages::nav::LangSwitch/>
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
                    <accounts::pages::nav::AccountNav/>
                </ul>
            </nav>
        </header>
        <main id="main" tabindex="-1" class="wrap">{children()}</main>
        <footer class="site-footer">
            <div class="wrap">
                <p>{t(K::footer_text)}</p>
                <p><a href="/about">{t(K::nav_about)}</a> " · " <a href="/newsletter">{t(K::newsletter_title)}</a> " · " <a href="/stories">{t(K::stories_title)}</a> " · " <a href="/authorities">{t(K::authorities_title)}</a></p>
                <crate::legal::pages::FooterLinks/>
            </div>
        </footer>
    }
}
