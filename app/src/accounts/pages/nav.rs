//! The signed-in person as every page sees it (`use_me`), the account links of the navigation and
//! the language switch.
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

/// Account links in the navigation: sign in and register, or the account, admin and sign out.
#[component]
pub fn AccountNav() -> impl IntoView {
    let me = use_me().0;
    let _ = GetMe::PATH;
    view! {
        <Transition fallback=move || {
            view! {
                <li>
                    <a href="/account/login">{t(K::nav_login)}</a>
                </li>
            }
        }>
            {move || Suspend::new(async move {
                match me.await {
                    Ok(Some(user)) => {
                        let admin = user.is_admin();
                        view! {
                            <li>
                                <a href="/account">{t(K::nav_account)}</a>
                            </li>
                            {admin
                                .then(|| {
                                    view! {
                                        <li>
                                            <a href="/admin">{t(K::nav_admin)}</a>
                                        </li>
                                    }
                                })}
                            <li>
                                <form method="post" action=Logout::PATH class="inline-form">
                                    <button type="submit" class="link-button">
                                        {t(K::nav_logout)}
                                    </button>
                                </form>
                            </li>
                        }
                            .into_any()
                    }
                    _ => {
                        view! {
                            <li>
                                <a href="/account/login">{t(K::nav_login)}</a>
                            </li>
                            <li>
                                <a href="/account/register">{t(K::nav_register)}</a>
                            </li>
                        }
                            .into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// A plain form, not an ActionForm: the new language needs a full page load.
#[component]
pub fn LangSwitch() -> impl IntoView {
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
            <input type="hidden" name="next" prop:value=next value=next />
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
