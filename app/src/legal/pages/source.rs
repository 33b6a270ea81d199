//! `/source`: the licence, the running version and where its source is (AGPL-3.0 §13).
use super::{contact, paras, OperatorFacts, Part, WithInfo};
use crate::i18n::{t, use_lang, K};
use crate::legal::PublicInfo;
use crate::ui::PageTitle;
use leptos::prelude::*;

#[component]
pub fn SourcePage() -> impl IntoView {
    view! {
        <PageTitle k=K::legal_source_title />
        <div class="prose">
            <h1>{t(K::legal_source_title)}</h1>
            {paras(&[K::legal_source_licence, K::legal_source_s13])}
            <WithInfo render=|i| view! { <Source info=i /> }.into_any() />
        </div>
    }
}

#[component]
fn Source(info: PublicInfo) -> impl IntoView {
    let lang = use_lang();
    let where_ = if info.source_url.is_empty() {
        view! { <p>{lang.tf(K::legal_source_on_request, &[("email", &contact(&info))])}</p> }.into_any()
    } else {
        let (href, text) = (info.source_url.clone(), info.source_url.clone());
        view! { <p>{t(K::legal_source_where)} " " <a href=href>{text}</a></p> }.into_any()
    };
    view! {
        <p>{lang.tf(K::legal_source_version, &[("version", &info.version)])}</p>
        {where_}
        <p>
            {t(K::legal_source_licence_text)} " " <a href="https://www.gnu.org/licenses/agpl-3.0.html">"GNU AGPL v3"</a>
        </p>
        <Part id="s-contact" title=K::legal_contact_h>
            <OperatorFacts info=info.clone() />
        </Part>
    }
}
