//! Organisations (NGOs, foundations, civic groups) and public authorities, as seven sub-features
//! with the same rooms each: the catalogue (the organisation itself: profile, registration,
//! verification, authorities, open data), its members, the newsletter, events, stories,
//! officials, and an authority's contact (its transparency officer and registry address). The organisation's page is assembled above them, in `site::organisation`.
pub mod catalogue;
pub mod events;
#[cfg(feature = "ssr")]
pub mod http;
pub mod members;
pub mod newsletter;
pub mod officer;
pub mod officials;
#[cfg(feature = "ssr")]
mod personal;
pub mod stories;

// The organisation itself is what `orgs::` names: other features and the server keep using these
// paths (`orgs::rules::DOMAINS`, `orgs::db::org_is_active`, `orgs::SearchOrgs`, …).
#[cfg(feature = "ssr")]
pub use catalogue::db;
pub use catalogue::rules;
pub use catalogue::{
    get_authority, get_org, list_authorities, register_org, search_orgs, set_org_status, Authority, GetAuthority,
    GetOrg, ListAuthorities, OrgCard, OrgFilter, OrgProfile, OrgResults, RegisterOrg, SearchOrgs, SetOrgStatus,
};
#[cfg(feature = "ssr")]
pub use http::routes;
/// The personal data the sub-features keep (registered at start, see `ssr::personal`).
#[cfg(feature = "ssr")]
pub use personal::PERSONAL_DATA;

crate::feature_error!(OrgsError);

/// A rule's field errors, next to what was typed: the form's answer.
#[cfg(feature = "ssr")]
pub(crate) fn invalid(mut form: crate::error::FormState, errs: Vec<(&'static str, crate::i18n::K)>) -> OrgsError {
    for (field, k) in errs {
        form.add(field, k);
    }
    form.into()
}

/// Every kind of e-mail organisations, members, events and officials send.
#[cfg(feature = "ssr")]
pub const MAIL_KINDS: &[crate::ssr::mail::kinds::MailKind] = {
    use crate::i18n::K;
    use crate::ssr::mail::kinds::MailKind;
    &[
        MailKind::essential("official_decision", K::notify_group_account, K::notify_kind_official),
        MailKind::essential("org_invite", K::notify_group_orgs, K::notify_kind_org_invite),
        MailKind::essential("event", K::notify_group_orgs, K::notify_kind_event),
        MailKind::optional("event_reminder", K::notify_group_orgs, K::notify_kind_event_reminder),
        MailKind::optional("org_join_request", K::notify_group_orgs, K::notify_kind_join_request),
        MailKind::essential("official_work_email", K::notify_group_account, K::notify_kind_official_work),
    ]
};
