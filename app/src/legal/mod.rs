//! The platform's public statements: privacy notice, terms of use, cookie statement, accessibility
//! statement (with its feedback form) and where to get the source (AGPL §13). The operator's
//! identity comes from the configuration (`OPERATOR_*`, `DPO_EMAIL`, `SOURCE_URL`).
//!
//! Here: the wire types and the `#[server]` fns (parse, then one call to `service`). Decisions are
//! in `rules`, SQL in `db`, components in `pages`.
#[cfg(feature = "ssr")]
pub mod db;
pub mod pages;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod service;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

crate::feature_error!(LegalError);

/// The pages, as the footer links them.
pub const PRIVACY: &str = "/privacy";
pub const TERMS: &str = "/terms";
pub const COOKIES: &str = "/cookies";
pub const ACCESSIBILITY: &str = "/accessibility";
pub const SOURCE: &str = "/source";

/// Every kind of e-mail this feature sends.
#[cfg(feature = "ssr")]
pub const MAIL_KINDS: &[crate::ssr::mail::kinds::MailKind] = {
    use crate::i18n::K;
    use crate::ssr::mail::kinds::MailKind;
    &[MailKind::essential(service::FEEDBACK_MAIL, K::notify_group_platform, K::notify_kind_legal_feedback)]
};

/// Feedback on accessibility, found by the sender's confirmed address (the form needs no account).
#[cfg(feature = "ssr")]
pub const PERSONAL_DATA: &[crate::ssr::personal::DataSource] = {
    use crate::ssr::personal::{erase_fn, export_fn, Covered, DataSource};
    &[DataSource {
        name: "accessibility_feedback",
        covers: &[Covered::gone("accessibility_feedback", "email"), Covered::gone("accessibility_feedback", "name")],
        export: export_fn!(|d, p| db::personal_feedback(d, p)),
        files: None,
        erase: erase_fn!(|c, p| db::erase_feedback(c, p)),
    }]
};

/// What the legal pages say about this installation: who runs it and what it hands data to.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PublicInfo {
    pub name: String,
    pub address: String,
    pub email: String,
    /// Empty when no data-protection officer is designated.
    pub dpo_email: String,
    /// Empty when only the `/source` page says where to get the source.
    pub source_url: String,
    /// The demo's placeholder identity.
    pub placeholder: bool,
    pub public_url: String,
    /// Host of the S3-compatible storage; empty = the server's own disk.
    pub storage_host: String,
    /// Origin of the map's tile server; empty = none.
    pub tile_origin: String,
    /// Mail leaves through an SMTP provider (false: it stays in the outbox).
    pub smtp: bool,
    /// The payment provider: `stripe`, `netopia`, `test`, or empty when none is configured.
    pub payments: String,
    pub session_idle_days: i64,
    pub session_max_days: i64,
    pub version: String,
}

/// The operator and the outside services of this installation (public: the pages print them).
#[server]
pub async fn get_public_info() -> Result<PublicInfo, LegalError> {
    Ok(service::public_info())
}

/// The accessibility statement's feedback form: description required, the rest optional;
/// stored, mailed to the platform's admins, limited per IP address.
#[server]
pub async fn send_accessibility_feedback(
    #[server(default)] name: String,
    #[server(default)] email: String,
    #[server(default)] page: String,
    #[server(default)] description: String,
    #[server(default)] website: String,
) -> Result<(), LegalError> {
    let form = rules::FeedbackForm { name, email, page, description };
    service::send_feedback(&form, &website).await
}
