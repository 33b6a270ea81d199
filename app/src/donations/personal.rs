//! The personal data of donations, registered at start (`app::init`) in the shared registry
//! (`ssr::personal`). Gifts are found by the account's address; what deletion keeps for the
//! organisation's books is decided in `rules::erasure`.
use super::db;
use crate::ssr::personal::{erase_fn, export_fn, keeps, Covered, DataSource};

pub const PERSONAL_DATA: &[DataSource] = &[
    DataSource {
        name: "donations",
        covers: &[
            Covered::gone("donations", "donor_email"),
            Covered::gone("donations", "ip_hash"),
            // On the receipt: kept for the books where money moved, never shown publicly again.
            Covered::retained("donations", "donor_name"),
        ],
        export: export_fn!(|d, p| db::personal_donations(d, p)),
        files: None,
        erase: erase_fn!(|c, p| db::erase_donations(c, p)),
    },
    DataSource {
        name: "monthly_gifts",
        // A running gift still sends its receipts and management link to the donor.
        covers: &[
            Covered::retained("donation_gifts", "donor_email"),
            Covered::retained("donation_gifts", "donor_name"),
        ],
        export: export_fn!(|d, p| db::personal_gifts(d, p)),
        files: None,
        erase: erase_fn!(|c, p| db::erase_gifts(c, p)),
    },
    DataSource {
        name: "campaign_work",
        covers: &[
            Covered::anonymised("donation_campaigns", "created_by"),
            Covered::anonymised("donation_updates", "created_by"),
        ],
        export: export_fn!(|d, p| db::personal_campaign_work(d, p)),
        files: None,
        erase: keeps,
    },
];
