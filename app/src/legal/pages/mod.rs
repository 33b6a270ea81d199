//! The legal pages, one file each, and what they share: the operator's identity, the date of the
//! texts, the footer's links.
mod accessibility;
mod cookies;
mod privacy;
mod source;
mod terms;

pub use accessibility::AccessibilityPage;
pub use cookies::CookiesPage;
pub use privacy::PrivacyPage;
pub use source::SourcePage;
pub use terms::TermsPage;

use super::{rules, PublicInfo};
use crate::i18n::{t, use_lang, K};
use leptos::prelude::*;

/// Loads what the pages say about this installation, then renders `render` with it.
#[component]
fn WithInfo(render: fn(PublicInfo) -> AnyView) -> impl IntoView {
    let info = Resource::new(|| (), |_| super::get_public_info());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match info.await {
                    Ok(i) => render(i),
                    Err(_) => view! { <p>{t(K::err_internal)}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Who runs this installation, or a plain word that it is a demo or not configured.
#[component]
fn OperatorFacts(info: PublicInfo, #[prop(optional)] with_dpo: bool) -> impl IntoView {
    if info.name.is_empty() {
        return view! { <p class="warning">{t(K::legal_operator_missing)}</p> }.into_any();
    }
    let mail = |e: String| view! { <a href=format!("mailto:{e}")>{e.clone()}</a> };
    let dpo = with_dpo.then(|| {
        if info.dpo_email.is_empty() {
            view! {
                <dt>{t(K::legal_operator_dpo)}</dt>
                <dd>{t(K::legal_operator_no_dpo)}</dd>
            }
            .into_any()
        } else {
            view! {
                <dt>{t(K::legal_operator_dpo)}</dt>
                <dd>{mail(info.dpo_email.clone())}</dd>
            }
            .into_any()
        }
    });
    view! {
        {info.placeholder.then(|| view! { <p class="warning">{t(K::legal_operator_placeholder)}</p> })}
        <dl class="facts">
            <dt>{t(K::legal_operator_name)}</dt>
            <dd>{info.name.clone()}</dd>
            {(!info.address.is_empty())
                .then(|| {
                    view! {
                        <dt>{t(K::legal_operator_address)}</dt>
                        <dd>{info.address.clone()}</dd>
                    }
                })}
            {(!info.email.is_empty())
                .then(|| {
                    view! {
                        <dt>{t(K::legal_operator_email)}</dt>
                        <dd>{mail(info.email.clone())}</dd>
                    }
                })}
            {dpo}
        </dl>
    }
    .into_any()
}

/// Where to write: the operator's address, or "the platform's operator" when none is set.
fn contact(info: &PublicInfo) -> String {
    if info.email.is_empty() {
        use_lang().t(K::legal_operator_contact_fallback).to_string()
    } else {
        info.email.clone()
    }
}

/// "Last updated: 7 December 2026."
#[component]
fn Updated(on: (i64, u32, u32)) -> impl IntoView {
    let lang = use_lang();
    view! { <p class="muted">{lang.tf(K::legal_updated, &[("date", &rules::day(lang, on))])}</p> }
}

/// A section with a heading the page's outline names.
#[component]
fn Part(id: &'static str, title: K, children: Children) -> impl IntoView {
    view! {
        <section aria-labelledby=id>
            <h2 id=id>{t(title)}</h2>
            {children()}
        </section>
    }
}

/// Paragraphs, one per key.
fn paras(keys: &[K]) -> impl IntoView {
    keys.iter().map(|k| view! { <p>{t(*k)}</p> }).collect_view()
}

/// A list, one item per key.
fn items(keys: &[K]) -> impl IntoView {
    let items = keys.iter().map(|k| view! { <li>{t(*k)}</li> }).collect_view();
    view! { <ul>{items}</ul> }
}

/// Where the footer's "Source code" leads: the configured `SOURCE_URL`, else the `/source` page.
pub fn source_href() -> String {
    #[cfg(feature = "ssr")]
    if let Some(st) = use_context::<crate::ssr::AppState>() {
        if !st.settings.operator.source_url.is_empty() {
            return st.settings.operator.source_url.clone();
        }
    }
    super::SOURCE.to_string()
}

/// The footer's links to the legal pages and the source.
#[component]
pub fn FooterLinks() -> impl IntoView {
    let links = [
        (super::PRIVACY.to_string(), K::legal_nav_privacy),
        (super::TERMS.to_string(), K::legal_nav_terms),
        (super::COOKIES.to_string(), K::legal_nav_cookies),
        (super::ACCESSIBILITY.to_string(), K::legal_nav_accessibility),
        (source_href(), K::legal_nav_source),
    ];
    view! {
        <nav aria-label=t(K::legal_nav_label)>
            <ul class="footer-links">
                {links
                    .into_iter()
                    .map(|(href, k)| {
                        view! {
                            <li>
                                <a href=href>{t(k)}</a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
    }
}
