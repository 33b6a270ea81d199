//! Account pages: every form is an ActionForm, so it posts before (or without) hydration.
//! Signing up and in (`sign_in`), one's own account (`profile`), the notification centre
//! (`notifications`), the platform admin's pages (`admin`), and the navigation's account links (`nav`).
mod admin;
pub mod nav;
mod notifications;
mod profile;
mod sign_in;

pub use self::admin::*;
pub use self::notifications::*;
pub use self::profile::*;
pub use self::sign_in::*;

use crate::accounts::rules::RoleKind;
use crate::i18n::{t, K};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

fn query(name: &'static str) -> Signal<String> {
    let q = use_query_map();
    Signal::derive(move || q.with(|q| q.get(name).unwrap_or_default()))
}

/// Shown instead of a page that needs an account.
#[component]
fn SignInFirst() -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    let href = move || format!("/account/login?next={}", location.pathname.get());
    view! {
        <p>{t(K::err_sign_in_required)}</p>
        <p>
            <a class="button" href=href>
                {t(K::nav_login)}
            </a>
        </p>
    }
}

pub fn role_label(kind: RoleKind) -> K {
    use RoleKind::*;
    match kind {
        Admin => K::role_admin,
        Moderator => K::role_moderator,
        OrgAdmin => K::role_org_admin,
        OrgMember => K::role_org_member,
        Official => K::role_official,
    }
}
