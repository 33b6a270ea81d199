//! The personal data accounts keep, registered at start (`app::init`) in the shared registry
//! (`ssr::personal`): the account itself, its roles, devices, links, mail and notification
//! settings. The account row comes first so that deletion, which walks the registry backwards,
//! anonymises it last.
use super::db;
use crate::ssr::personal::{erase_fn, export_fn, Covered, DataSource};

pub const PERSONAL_DATA: &[DataSource] = &[
    DataSource {
        name: "account",
        covers: &[
            Covered::gone("users", "email"),
            Covered::gone("users", "display_name"),
            Covered::gone("users", "email_verified_at"),
        ],
        export: export_fn!(|d, p| db::export_account(d, p)),
        files: None,
        erase: erase_fn!(|c, p| db::erase_account(c, p)),
    },
    DataSource {
        name: "roles",
        // Roles they granted others stay: the grant was an administrator's act.
        covers: &[Covered::gone("roles", "user_id"), Covered::anonymised("roles", "granted_by")],
        export: export_fn!(|d, p| db::export_roles(d, p)),
        files: None,
        erase: erase_fn!(|c, p| db::delete_own(c, "roles", p)),
    },
    DataSource {
        name: "sessions",
        covers: &[Covered::gone("sessions", "user_id"), Covered::gone("sessions", "user_agent")],
        export: export_fn!(|d, p| db::export_sessions(d, p)),
        files: None,
        erase: erase_fn!(|c, p| db::delete_own(c, "sessions", p)),
    },
    DataSource {
        name: "sign_in_links",
        covers: &[Covered::gone("auth_tokens", "user_id"), Covered::gone("auth_tokens", "data")],
        export: export_fn!(|d, p| db::export_links(d, p)),
        files: None,
        erase: erase_fn!(|c, p| db::delete_own(c, "auth_tokens", p)),
    },
    DataSource {
        name: "emails_sent_to_me",
        covers: &[Covered::gone("mail_outbox", "to_addr")],
        export: export_fn!(|d, p| db::export_mails(d, p)),
        files: None,
        erase: erase_fn!(|c, p| db::erase_mails(c, p)),
    },
    DataSource {
        name: "notification_settings",
        covers: &[Covered::gone("notification_prefs", "user_id")],
        export: export_fn!(|d, p| db::export_notification_prefs(d, p)),
        files: None,
        erase: erase_fn!(|c, p| db::delete_own(c, "notification_prefs", p)),
    },
];
