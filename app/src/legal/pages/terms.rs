//! `/terms`: who provides the service, the account, what may be published and under which licence,
//! moderation and notices of illegal content, consultations, donations, liability, law.
use super::{contact, items, paras, rules, OperatorFacts, Part, Updated, WithInfo};
use crate::i18n::{t, use_lang, K};
use crate::legal::PublicInfo;
use crate::ui::PageTitle;
use leptos::prelude::*;

#[component]
pub fn TermsPage() -> impl IntoView {
    view! {
        <PageTitle k=K::legal_terms_title />
        <div class="prose">
            <h1>{t(K::legal_terms_title)}</h1>
            <p class="lead">{t(K::legal_terms_intro)}</p>
            <WithInfo render=|i| view! { <Terms info=i /> }.into_any() />
        </div>
    }
}

#[component]
fn Terms(info: PublicInfo) -> impl IntoView {
    let lang = use_lang();
    let email = contact(&info);
    view! {
        <Part id="t-who" title=K::legal_terms_who_h>
            <OperatorFacts info=info.clone() />
        </Part>
        <Part id="t-what" title=K::legal_terms_what_h>
            {paras(&[K::legal_terms_what])}
        </Part>
        <Part id="t-account" title=K::legal_terms_account_h>
            {items(
                &[
                    K::legal_terms_account_one,
                    K::legal_terms_account_age,
                    K::legal_terms_account_password,
                    K::legal_terms_account_delete,
                ],
            )}
        </Part>
        <Part id="t-content" title=K::legal_terms_content_h>
            {items(
                &[
                    K::legal_terms_content_own,
                    K::legal_terms_content_respect,
                    K::legal_terms_content_others,
                    K::legal_terms_content_rights,
                    K::legal_terms_content_true,
                ],
            )}
        </Part>
        <Part id="t-licence" title=K::legal_terms_licence_h>
            {paras(&[K::legal_terms_licence])}
        </Part>
        <Part id="t-moderation" title=K::legal_terms_moderation_h>
            <ul>
                <li>{t(K::legal_terms_moderation_hide)}</li>
                <li>{lang.tf(K::legal_terms_moderation_report, &[("email", &email)])}</li>
                <li>{t(K::legal_terms_moderation_appeal)}</li>
            </ul>
        </Part>
        <Part id="t-consultations" title=K::legal_terms_consultations_h>
            {paras(&[K::legal_terms_consultations])}
        </Part>
        <Part id="t-donations" title=K::legal_terms_donations_h>
            {paras(&[K::legal_terms_donations])}
        </Part>
        <Part id="t-liability" title=K::legal_terms_liability_h>
            {paras(&[K::legal_terms_liability])}
        </Part>
        <Part id="t-source" title=K::legal_terms_source_h>
            <p>{t(K::legal_terms_source)} " " <a href=crate::legal::SOURCE>{t(K::legal_nav_source)}</a></p>
        </Part>
        <Part id="t-changes" title=K::legal_terms_changes_h>
            {paras(&[K::legal_terms_changes])}
        </Part>
        <Part id="t-law" title=K::legal_terms_law_h>
            {paras(&[K::legal_terms_law])}
        </Part>
        <p>
            <a href=crate::legal::PRIVACY>{t(K::legal_privacy_title)}</a>
        </p>
        <Updated on=rules::TEXTS_UPDATED_ON />
    }
}
