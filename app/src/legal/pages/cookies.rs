//! `/cookies`: the cookies the code sets (`sid`, `lang`, `pcg`), each with its purpose and
//! lifetime; why there is no consent banner; what is kept on the device.
use super::{paras, rules, OperatorFacts, Part, Updated, WithInfo};
use crate::i18n::{t, use_lang, K};
use crate::legal::PublicInfo;
use crate::ui::PageTitle;
use leptos::prelude::*;

/// (name, purpose, lifetime, when it is set)
const COOKIES: &[(&str, K, K, K)] = &[
    ("sid", K::legal_cookies_sid_purpose, K::legal_cookies_sid_lifetime, K::legal_cookies_sid_when),
    ("lang", K::legal_cookies_lang_purpose, K::legal_cookies_lang_lifetime, K::legal_cookies_lang_when),
    ("pcg", K::legal_cookies_pcg_purpose, K::legal_cookies_pcg_lifetime, K::legal_cookies_pcg_when),
];

#[component]
pub fn CookiesPage() -> impl IntoView {
    view! {
        <PageTitle k=K::legal_cookies_title />
        <div class="prose">
            <h1>{t(K::legal_cookies_title)}</h1>
            <p class="lead">{t(K::legal_cookies_intro)}</p>
            <WithInfo render=|i| view! { <Cookies info=i /> }.into_any() />
        </div>
    }
}

#[component]
fn Cookies(info: PublicInfo) -> impl IntoView {
    let lang = use_lang();
    let (idle, max) = (info.session_idle_days.to_string(), info.session_max_days.to_string());
    let list = COOKIES
        .iter()
        .map(|(name, purpose, lifetime, when)| {
            let (id, label) = (format!("c-{name}"), format!("c-{name}"));
            view! {
                <section aria-labelledby=label>
                    <h3 id=id>
                        <code>{*name}</code>
                    </h3>
                    <dl class="facts">
                        <dt>{t(K::legal_cookies_col_purpose)}</dt>
                        <dd>{t(*purpose)}</dd>
                        <dt>{t(K::legal_cookies_col_lifetime)}</dt>
                        <dd>{lang.tf(*lifetime, &[("idle", &idle), ("max", &max)])}</dd>
                        <dt>{t(K::legal_cookies_col_when)}</dt>
                        <dd>{t(*when)}</dd>
                    </dl>
                </section>
            }
        })
        .collect_view();
    let tiles = (!info.tile_origin.is_empty()).then(|| {
        view! {
            <p>
                {lang.tf(K::legal_cookies_tiles, &[("host", rules::host_of(&info.tile_origin))])} " "
                <a href=crate::legal::PRIVACY>{t(K::legal_privacy_title)}</a>
            </p>
        }
    });
    view! {
        <Part id="c-why" title=K::legal_cookies_why_h>
            {paras(&[K::legal_cookies_why])}
        </Part>
        <Part id="c-list" title=K::legal_cookies_list_h>
            {list}
            <p>{t(K::legal_cookies_attrs)}</p>
        </Part>
        <Part id="c-local" title=K::legal_cookies_local_h>
            <p>{t(K::legal_cookies_local)}</p>
            {tiles}
            <p>{t(K::legal_cookies_control)}</p>
        </Part>
        <Part id="c-contact" title=K::legal_contact_h>
            <OperatorFacts info=info.clone() />
        </Part>
        <Updated on=rules::TEXTS_UPDATED_ON />
    }
}
