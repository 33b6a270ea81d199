//! Participa: the pages, components and server functions of the platform (SSR + hydration).
#![recursion_limit = "256"]

pub mod accounts;
pub mod calendar;
pub mod consultations;
pub mod donations;
pub mod error;
pub mod fmt;
pub mod i18n;
#[cfg(test)]
mod layering;
pub mod legal;
pub mod map;
pub mod orgs;
pub mod site;
#[cfg(feature = "ssr")]
pub mod ssr;
pub mod text;
pub mod types;
pub mod ui;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

pub use i18n::detect_lang;

/// Wires the features into the shared layer once, at start: the kinds of mail each sends (the mail
/// queue and the notification centre read them), and the personal data each keeps (export and
/// deletion walk it; lowest feature first, since deletion goes backwards and ends with the
/// account row). The server calls it before serving.
#[cfg(feature = "ssr")]
pub fn init() {
    ssr::mail::kinds::register(&[
        accounts::MAIL_KINDS,
        orgs::MAIL_KINDS,
        map::MAIL_KINDS,
        consultations::MAIL_KINDS,
        donations::MAIL_KINDS,
        legal::MAIL_KINDS,
    ]);
    ssr::personal::register(&[
        accounts::PERSONAL_DATA,
        orgs::PERSONAL_DATA,
        map::PERSONAL_DATA,
        consultations::PERSONAL_DATA,
        donations::PERSONAL_DATA,
        legal::PERSONAL_DATA,
    ]);
}

pub fn shell(options: LeptosOptions) -> impl IntoView {
    let lang = detect_lang();
    #[cfg(feature = "ssr")]
    if let Some(n) = ssr::request::parts().and_then(|p| p.extensions.get::<ssr::request::CspNonce>().cloned()) {
        provide_context(leptos::nonce::Nonce::from_value(n.0));
    }
    view! {
        <!DOCTYPE html>
        <html lang=lang.code()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="theme-color" content="#0b5394" />
                <link rel="stylesheet" href="/pkg/participa.css" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <link rel="manifest" href="/manifest.webmanifest" />
                <AutoReload options=options.clone() />
                <HydrationScripts options islands=true />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_context(detect_lang());
    view! {
        <Router>
            <site::layout::Layout>
                <Routes fallback=|| view! { <site::NotFound /> }>
                    <Route path=path!("/") view=site::Home ssr=SsrMode::Async />
                    <Route path=path!("/about") view=site::About ssr=SsrMode::Async />
                    <Route path=path!("/organisations") view=orgs::catalogue::pages::OrgList ssr=SsrMode::Async />
                    <Route path=path!("/organisations/new") view=orgs::catalogue::pages::OrgNew ssr=SsrMode::Async />
                    <Route
                        path=path!("/organisations/invite")
                        view=orgs::members::pages::AcceptInvite
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/organisations/:slug")
                        view=site::organisation::OrganisationPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/organisations/:slug/edit")
                        view=orgs::catalogue::pages::OrgEdit
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/authorities") view=orgs::catalogue::pages::AuthorityList ssr=SsrMode::Async />
                    <Route path=path!("/stories") view=orgs::stories::pages::StoriesPage ssr=SsrMode::Async />
                    <Route path=path!("/stories/:slug") view=orgs::stories::pages::StoryPage ssr=SsrMode::Async />
                    <Route path=path!("/events") view=orgs::events::pages::EventsPage ssr=SsrMode::Async />
                    <Route path=path!("/events/:slug") view=orgs::events::pages::EventPage ssr=SsrMode::Async />
                    <Route path=path!("/newsletter") view=orgs::newsletter::pages::NewsletterPage ssr=SsrMode::Async />
                    <Route
                        path=path!("/newsletter/confirm")
                        view=orgs::newsletter::pages::ConfirmPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/newsletter/preferences")
                        view=orgs::newsletter::pages::PreferencesPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/authorities/:slug")
                        view=orgs::catalogue::pages::AuthorityDetail
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/authorities/:slug/contact")
                        view=orgs::officer::pages::ContactEdit
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/account") view=accounts::pages::Profile ssr=SsrMode::Async />
                    <Route path=path!("/account/register") view=accounts::pages::Register ssr=SsrMode::Async />
                    <Route path=path!("/account/check-email") view=accounts::pages::CheckEmail ssr=SsrMode::Async />
                    <Route path=path!("/account/verify") view=accounts::pages::Verify ssr=SsrMode::Async />
                    <Route path=path!("/account/verified") view=accounts::pages::Verified ssr=SsrMode::Async />
                    <Route path=path!("/account/login") view=accounts::pages::Login ssr=SsrMode::Async />
                    <Route path=path!("/account/forgot") view=accounts::pages::Forgot ssr=SsrMode::Async />
                    <Route path=path!("/account/reset") view=accounts::pages::Reset ssr=SsrMode::Async />
                    <Route path=path!("/account/delete") view=accounts::pages::Delete ssr=SsrMode::Async />
                    <Route
                        path=path!("/account/notifications")
                        view=accounts::pages::NotificationsPage
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/admin") view=accounts::pages::AdminRoles ssr=SsrMode::Async />
                    <Route path=path!("/admin/outbox") view=accounts::pages::AdminOutbox ssr=SsrMode::Async />
                    <Route
                        path=path!("/admin/officials")
                        view=orgs::officials::pages::AdminOfficials
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/officials/confirm")
                        view=orgs::officials::pages::ConfirmWork
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/admin/newsletter")
                        view=orgs::newsletter::pages::AdminNewsletter
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/campaigns") view=donations::pages::CampaignList ssr=SsrMode::Async />
                    <Route path=path!("/campaigns/new") view=donations::pages::CampaignEdit ssr=SsrMode::Async />
                    <Route path=path!("/campaigns/:slug") view=donations::pages::CampaignView ssr=SsrMode::Async />
                    <Route path=path!("/campaigns/:slug/edit") view=donations::pages::CampaignEdit ssr=SsrMode::Async />
                    <Route path=path!("/campaigns/:slug/donate") view=donations::pages::DonatePage ssr=SsrMode::Async />
                    <Route path=path!("/donate/return/:id") view=donations::pages::ReturnPage ssr=SsrMode::Async />
                    <Route path=path!("/donate/manage") view=donations::pages::ManagePage ssr=SsrMode::Async />
                    <Route
                        path=path!("/organisations/:slug/donations")
                        view=donations::pages::DashboardPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/consultations")
                        view=consultations::pages::ConsultationList
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/consultations/new")
                        view=consultations::pages::ConsultationNew
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/consultations/moderation")
                        view=consultations::pages::QueuePage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/consultations/unsubscribe")
                        view=consultations::pages::UnsubscribePage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/consultations/:slug")
                        view=consultations::pages::ConsultationDetail
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/consultations/:slug/manage")
                        view=consultations::pages::ConsultationManage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/consultations/:slug/comments")
                        view=consultations::pages::ThreadView
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/consultations/:slug/answers")
                        view=consultations::pages::AnswersView
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/consultations/:slug/report")
                        view=consultations::pages::ReportPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/consultations/:slug/log")
                        view=consultations::pages::LogPage
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/map") view=map::pages::MapPage ssr=SsrMode::Async />
                    <Route path=path!("/map/report") view=map::pages::ReportForm ssr=SsrMode::Async />
                    <Route path=path!("/map/stats") view=map::pages::StatsPage ssr=SsrMode::Async />
                    <Route path=path!("/map/petition") view=map::pages::PetitionPage ssr=SsrMode::Async />
                    <Route path=path!("/map/import") view=map::pages::ImportPage ssr=SsrMode::Async />
                    <Route path=path!("/map/localities") view=map::pages::LocalitiesPage ssr=SsrMode::Async />
                    <Route path=path!("/map/places/:id") view=map::pages::PlacePage ssr=SsrMode::Async />
                    <Route path=path!("/map/places/:id/report") view=map::pages::ReportForm ssr=SsrMode::Async />
                    <Route path=path!("/map/places/:id/audit") view=map::pages::AuditForm ssr=SsrMode::Async />
                    <Route path=path!("/map/places/:id/poster") view=map::pages::PosterPage ssr=SsrMode::Async />
                    <Route path=path!("/map/reports/:id") view=map::pages::ReportPage ssr=SsrMode::Async />
                    <Route path=path!("/map/reports/:id/follow-up") view=map::pages::FollowupPage ssr=SsrMode::Async />
                    <Route path=path!("/privacy") view=legal::pages::PrivacyPage ssr=SsrMode::Async />
                    <Route path=path!("/terms") view=legal::pages::TermsPage ssr=SsrMode::Async />
                    <Route path=path!("/cookies") view=legal::pages::CookiesPage ssr=SsrMode::Async />
                    <Route path=path!("/accessibility") view=legal::pages::AccessibilityPage ssr=SsrMode::Async />
                    <Route path=path!("/source") view=legal::pages::SourcePage ssr=SsrMode::Async />
                </Routes>
            </site::layout::Layout>
        </Router>
    }
}

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    #[test]
    fn mail_kinds_are_unique_and_named_after_their_feature() {
        super::init();
        let all = crate::ssr::mail::kinds::all();
        assert!(all.len() >= 25, "every feature registered its kinds");
        for (i, a) in all.iter().enumerate() {
            assert!(all.iter().skip(i + 1).all(|b| b.code != a.code), "{} twice", a.code);
        }
        for (list, prefix) in [
            (crate::map::MAIL_KINDS, "map."),
            (crate::consultations::MAIL_KINDS, "consultations."),
            (crate::donations::MAIL_KINDS, "donations."),
            (crate::legal::MAIL_KINDS, "legal."),
        ] {
            assert!(list.iter().all(|k| k.code.starts_with(prefix)), "{prefix}");
        }
    }
}
