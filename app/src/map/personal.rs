//! The map's personal data, registered at start (`app::init`) in the shared registry
//! (`ssr::personal`). Reports, their steps and audits are the public record of a place: they
//! stay, signed "deleted account"; photos go unless they were sent as evidence.
use super::db;
use crate::ssr::personal::{erase_fn, export_fn, files_fn, keeps, Covered, DataSource};

pub const PERSONAL_DATA: &[DataSource] = &[
    DataSource {
        name: "map_reports",
        covers: &[Covered::anonymised("map_reports", "reporter_id")],
        export: export_fn!(|d, p| db::personal_reports(d, p)),
        files: None,
        erase: keeps,
    },
    DataSource {
        name: "map_report_steps",
        covers: &[Covered::anonymised("map_report_events", "actor_id")],
        export: export_fn!(|d, p| db::personal_report_steps(d, p)),
        files: None,
        erase: keeps,
    },
    DataSource {
        name: "map_audits",
        covers: &[Covered::anonymised("map_audits", "created_by")],
        export: export_fn!(|d, p| db::personal_audits(d, p)),
        files: None,
        erase: keeps,
    },
    DataSource {
        name: "map_photos",
        covers: &[Covered::gone("map_photos", "created_by")],
        export: export_fn!(|d, p| db::personal_photos(d, p)),
        files: files_fn!(|d, p| db::personal_photo_keys(d, p)),
        erase: erase_fn!(keys => |c, p| db::erase_photos(c, p)),
    },
    DataSource {
        name: "map_places_added",
        covers: &[
            Covered::anonymised("map_places", "created_by"),
            Covered::anonymised("map_locality_owners", "assigned_by"),
        ],
        export: export_fn!(|d, p| db::personal_places(d, p)),
        files: None,
        erase: keeps,
    },
    DataSource {
        name: "map_imports",
        covers: &[Covered::gone("map_imports", "user_id")],
        export: export_fn!(|d, p| db::personal_imports(d, p)),
        files: None,
        erase: erase_fn!(|c, p| db::erase_imports(c, p)),
    },
];
