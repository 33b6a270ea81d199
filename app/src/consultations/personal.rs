//! The personal data of consultations, registered at start (`app::init`) in the shared registry
//! (`ssr::personal`). Comments, supports, reports to moderators, debate requests and position
//! papers are part of a consultation's record under Legea 52/2003 and stay, signed "deleted
//! account"; follows, subscriptions and debate seats go.
use super::db;
use crate::ssr::personal::{erase_fn, export_fn, files_fn, keeps, Covered, DataSource};

pub const PERSONAL_DATA: &[DataSource] = &[
    DataSource {
        name: "consultation_comments",
        covers: &[Covered::anonymised("consultation_comments", "user_id")],
        export: export_fn!(|d, p| db::personal_comments(d, p)),
        files: None,
        erase: keeps,
    },
    DataSource {
        name: "consultation_supports",
        // Kept: a comment's support count is recomputed from these rows at every new support.
        covers: &[Covered::anonymised("consultation_votes", "user_id")],
        export: export_fn!(|d, p| db::personal_supports(d, p)),
        files: None,
        erase: keeps,
    },
    DataSource {
        name: "consultation_reports_to_moderators",
        covers: &[Covered::anonymised("consultation_reports", "user_id")],
        export: export_fn!(|d, p| db::personal_flags(d, p)),
        files: None,
        erase: erase_fn!(|c, p| db::erase_flags(c, p)),
    },
    DataSource {
        name: "consultation_follows",
        covers: &[Covered::gone("consultation_follows", "user_id")],
        export: export_fn!(|d, p| db::personal_follows(d, p)),
        files: None,
        erase: erase_fn!(|c, p| db::erase_own(c, "consultation_follows", p)),
    },
    DataSource {
        name: "consultation_subscriptions",
        covers: &[Covered::gone("consultation_subscriptions", "user_id")],
        export: export_fn!(|d, p| db::personal_subscriptions(d, p)),
        files: None,
        erase: erase_fn!(|c, p| db::erase_own(c, "consultation_subscriptions", p)),
    },
    DataSource {
        name: "consultation_debate_requests",
        covers: &[Covered::anonymised("consultation_debate_requests", "user_id")],
        export: export_fn!(|d, p| db::personal_debate_requests(d, p)),
        files: None,
        erase: keeps,
    },
    DataSource {
        name: "consultation_debate_registrations",
        covers: &[Covered::gone("consultation_debate_registrations", "user_id")],
        export: export_fn!(|d, p| db::personal_debate_seats(d, p)),
        files: None,
        erase: erase_fn!(|c, p| db::erase_own(c, "consultation_debate_registrations", p)),
    },
    DataSource {
        name: "consultation_position_papers",
        covers: &[Covered::anonymised("consultation_files", "uploaded_by")],
        export: export_fn!(|d, p| db::personal_papers(d, p)),
        files: files_fn!(|d, p| db::personal_paper_keys(d, p)),
        erase: keeps,
    },
    DataSource {
        name: "consultation_office_work",
        covers: &[
            Covered::anonymised("consultations", "created_by"),
            Covered::anonymised("consultation_comments", "answered_by"),
            Covered::anonymised("consultation_moderation_log", "actor_id"),
            Covered::anonymised("consultation_date_changes", "user_id"),
        ],
        export: export_fn!(|d, p| db::personal_office_work(d, p)),
        files: None,
        erase: keeps,
    },
];
