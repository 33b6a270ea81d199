//! The personal data of organisations' sub-features, registered at start (`app::init`) in the
//! shared registry (`ssr::personal`). What a person did for an organisation (registering it,
//! writing its events, stories and newsletters) stays with the organisation; their requests,
//! invitations, registrations and subscription go with the account.
use super::{catalogue, events, members, newsletter, officials, stories};
use crate::ssr::personal::{erase_fn, export_fn, keeps, Covered, DataSource, Person};
use crate::ssr::Db;
use serde_json::Value;

pub const PERSONAL_DATA: &[DataSource] = &[
    DataSource {
        name: "organisation_join_requests",
        covers: &[Covered::gone("org_join_requests", "user_id")],
        export: export_fn!(|d, p| members::db::personal_join_requests(d, p)),
        files: None,
        erase: erase_fn!(|c, p| members::db::erase_join_requests(c, p)),
    },
    DataSource {
        name: "organisation_invitations",
        covers: &[Covered::gone("org_invites", "email"), Covered::anonymised("org_invites", "invited_by")],
        export: export_fn!(|d, p| members::db::personal_invites(d, p)),
        files: None,
        erase: erase_fn!(|c, p| members::db::erase_invites(c, p)),
    },
    DataSource {
        name: "newsletter",
        covers: &[
            Covered::gone("newsletter_subscribers", "email"),
            Covered::gone("newsletter_subscribers", "consent_ip_hash"),
        ],
        export: export_fn!(|d, p| newsletter::db::personal_subscription(d, p)),
        files: None,
        erase: erase_fn!(|c, p| newsletter::db::erase_subscription(c, p)),
    },
    DataSource {
        name: "event_registrations",
        covers: &[Covered::gone("event_registrations", "user_id")],
        export: export_fn!(|d, p| events::db::personal_registrations(d, p)),
        files: None,
        erase: erase_fn!(|c, p| events::db::erase_registrations(c, p)),
    },
    DataSource {
        name: "official_requests",
        covers: &[
            Covered::gone("official_requests", "user_id"),
            Covered::gone("official_requests", "work_email"),
            Covered::anonymised("official_requests", "decided_by"),
        ],
        export: export_fn!(|d, p| officials::db::personal_requests(d, p)),
        files: None,
        erase: erase_fn!(|c, p| officials::db::erase_requests(c, p)),
    },
    DataSource {
        name: "work_for_organisations",
        covers: &[
            Covered::anonymised("organisations", "created_by"),
            Covered::anonymised("events", "created_by"),
            Covered::anonymised("stories", "created_by"),
            Covered::anonymised("newsletter_issues", "created_by"),
        ],
        export: export_fn!(|d, p| work(d, p)),
        files: None,
        erase: keeps,
    },
];

/// What the person wrote or registered on behalf of organisations.
async fn work(db: &Db, p: &Person) -> Result<Value, sqlx::Error> {
    Ok(serde_json::json!({
        "organisations_registered": catalogue::db::personal_orgs_created(db, p).await?,
        "events": events::db::personal_events_created(db, p).await?,
        "stories": stories::db::personal_stories(db, p).await?,
        "newsletter_issues": newsletter::db::personal_issues(db, p).await?,
    }))
}
