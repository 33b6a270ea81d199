//! `/privacy`: the notice of GDPR art. 13 — controller, purposes and legal bases per kind of
//! processing, retention as the code implements it, recipients as configured, rights.
use super::{contact, items, paras, rules, OperatorFacts, Part, Updated, WithInfo};
use crate::i18n::{t, use_lang, K};
use crate::legal::PublicInfo;
use crate::ui::PageTitle;
use leptos::prelude::*;

/// One kind of processing: heading, data, purpose, legal basis, retention.
type Kind = (&'static str, K, K, K, K, K);

const KINDS: &[Kind] = &[
    (
        "p-account",
        K::legal_privacy_account_h,
        K::legal_privacy_account_data,
        K::legal_privacy_account_purpose,
        K::legal_privacy_account_basis,
        K::legal_privacy_account_retention,
    ),
    (
        "p-consult",
        K::legal_privacy_consult_h,
        K::legal_privacy_consult_data,
        K::legal_privacy_consult_purpose,
        K::legal_privacy_consult_basis,
        K::legal_privacy_consult_retention,
    ),
    (
        "p-map",
        K::legal_privacy_map_h,
        K::legal_privacy_map_data,
        K::legal_privacy_map_purpose,
        K::legal_privacy_map_basis,
        K::legal_privacy_map_retention,
    ),
    (
        "p-donations",
        K::legal_privacy_donations_h,
        K::legal_privacy_donations_data,
        K::legal_privacy_donations_purpose,
        K::legal_privacy_donations_basis,
        K::legal_privacy_donations_retention,
    ),
    (
        "p-newsletter",
        K::legal_privacy_newsletter_h,
        K::legal_privacy_newsletter_data,
        K::legal_privacy_newsletter_purpose,
        K::legal_privacy_newsletter_basis,
        K::legal_privacy_newsletter_retention,
    ),
    (
        "p-events",
        K::legal_privacy_events_h,
        K::legal_privacy_events_data,
        K::legal_privacy_events_purpose,
        K::legal_privacy_events_basis,
        K::legal_privacy_events_retention,
    ),
    (
        "p-orgs",
        K::legal_privacy_orgs_h,
        K::legal_privacy_orgs_data,
        K::legal_privacy_orgs_purpose,
        K::legal_privacy_orgs_basis,
        K::legal_privacy_orgs_retention,
    ),
    (
        "p-mail",
        K::legal_privacy_mail_h,
        K::legal_privacy_mail_data,
        K::legal_privacy_mail_purpose,
        K::legal_privacy_mail_basis,
        K::legal_privacy_mail_retention,
    ),
    (
        "p-feedback",
        K::legal_privacy_feedback_h,
        K::legal_privacy_feedback_data,
        K::legal_privacy_feedback_purpose,
        K::legal_privacy_feedback_basis,
        K::legal_privacy_feedback_retention,
    ),
    (
        "p-security",
        K::legal_privacy_security_h,
        K::legal_privacy_security_data,
        K::legal_privacy_security_purpose,
        K::legal_privacy_security_basis,
        K::legal_privacy_security_retention,
    ),
];

#[component]
pub fn PrivacyPage() -> impl IntoView {
    view! {
        <PageTitle k=K::legal_privacy_title />
        <div class="prose">
            <h1>{t(K::legal_privacy_title)}</h1>
            <p class="lead">{t(K::legal_privacy_intro)}</p>
            <WithInfo render=|i| view! { <Privacy info=i /> }.into_any() />
        </div>
    }
}

#[component]
fn Privacy(info: PublicInfo) -> impl IntoView {
    let lang = use_lang();
    let days = [("idle", info.session_idle_days.to_string()), ("max", info.session_max_days.to_string())];
    let args: Vec<(&str, &str)> = days.iter().map(|(a, b)| (*a, b.as_str())).collect();
    let kinds = KINDS
        .iter()
        .map(|(id, h, data, purpose, basis, retention)| {
            view! {
                <section aria-labelledby=*id>
                    <h3 id=*id>{t(*h)}</h3>
                    <dl class="facts">
                        <dt>{t(K::legal_privacy_data)}</dt>
                        <dd>{t(*data)}</dd>
                        <dt>{t(K::legal_privacy_purpose)}</dt>
                        <dd>{t(*purpose)}</dd>
                        <dt>{t(K::legal_privacy_basis)}</dt>
                        <dd>{t(*basis)}</dd>
                        <dt>{t(K::legal_privacy_retention)}</dt>
                        <dd>{lang.tf(*retention, &args)}</dd>
                    </dl>
                </section>
            }
        })
        .collect_view();
    let host = |h: &str| vec![("host", rules::host_of(h).to_string())];
    let mut to: Vec<(K, Vec<(&str, String)>)> = vec![
        (K::legal_privacy_to_public, vec![]),
        (K::legal_privacy_to_authorities, vec![]),
        (K::legal_privacy_to_orgs, vec![]),
        (K::legal_privacy_to_hosting, vec![]),
        (if info.smtp { K::legal_privacy_to_smtp } else { K::legal_privacy_to_outbox }, vec![]),
        (rules::payments_line(&info.payments), vec![]),
    ];
    to.push(if info.storage_host.is_empty() {
        (K::legal_privacy_to_local_storage, vec![])
    } else {
        (K::legal_privacy_to_storage, host(&info.storage_host))
    });
    if !info.tile_origin.is_empty() {
        to.push((K::legal_privacy_to_tiles, host(&info.tile_origin)));
    }
    let to = to
        .into_iter()
        .map(|(k, a)| {
            let a: Vec<(&str, &str)> = a.iter().map(|(x, y)| (*x, y.as_str())).collect();
            view! { <li>{lang.tf(k, &a)}</li> }
        })
        .collect_view();
    let email = contact(&info);
    view! {
        <Part id="p-controller" title=K::legal_privacy_controller_h>
            <p>{t(K::legal_privacy_controller)}</p>
            <OperatorFacts info=info.clone() with_dpo=true />
            <p>{t(K::legal_privacy_controller_orgs)}</p>
        </Part>
        <Part id="p-kinds" title=K::legal_privacy_kinds_h>
            {kinds}
        </Part>
        <Part id="p-recipients" title=K::legal_privacy_recipients_h>
            <p>{t(K::legal_privacy_recipients_intro)}</p>
            <ul>{to}</ul>
            <p>{t(K::legal_privacy_transfers)}</p>
        </Part>
        <Part id="p-rights" title=K::legal_privacy_rights_h>
            {items(
                &[
                    K::legal_privacy_right_access,
                    K::legal_privacy_right_rectify,
                    K::legal_privacy_right_erase,
                    K::legal_privacy_right_object,
                    K::legal_privacy_right_consent,
                ],
            )}
            <p>
                {t(K::legal_privacy_right_complaint)} " "
                <a href="https://www.dataprotection.ro">"www.dataprotection.ro"</a>
            </p>
            <p>{lang.tf(K::legal_privacy_how, &[("email", &email)])}</p>
            <ul class="links">
                <li>
                    <a href="/account">{t(K::legal_privacy_links_account)}</a>
                </li>
                <li>
                    <a href="/account/delete">{t(K::legal_privacy_links_delete)}</a>
                </li>
                <li>
                    <a href="/account/notifications">{t(K::legal_privacy_links_notifications)}</a>
                </li>
            </ul>
        </Part>
        <Part id="p-other" title=K::legal_privacy_other_h>
            {paras(&[K::legal_privacy_required, K::legal_privacy_automated])}
            <p>
                <a href=crate::legal::COOKIES>{t(K::legal_privacy_cookies)}</a>
            </p>
        </Part>
        <Updated on=rules::TEXTS_UPDATED_ON />
    }
}
