//! Every SQL statement of consultations (SQLite and PostgreSQL through sqlx Any), by what it
//! stores: drafts and their versions, their dates' changes, comments, moderation, answers and the report, follows,
//! debates and files. Rows are read by column name, so every expression carries an alias.
use super::rules::{self, Status};
use super::{Card, Detail};
use crate::ssr::now;
use sqlx::any::AnyRow;
use sqlx::Row;

/// A card's columns, with the expression that counts its comments.
macro_rules! card_cols {
    ($n_comments:literal) => {
        concat!(
            "c.id, c.slug, c.title, c.summary, c.topics, c.locality, c.county, c.owner_kind, c.owner_id,
    COALESCE(a.name, o.name, '') AS owner_name, COALESCE(a.slug, o.slug, '') AS owner_slug, c.status,
    c.opens_at, c.closes_at, c.is_demo, ",
            $n_comments,
            " AS n_comments"
        )
    };
}

mod comments;
mod dates;
mod debates;
mod drafts;
mod files;
mod follows;
mod moderation;
mod personal;
mod report;

pub use comments::*;
pub use dates::*;
pub use debates::*;
pub use drafts::*;
pub use files::*;
pub use follows::*;
pub use moderation::*;
pub use personal::*;
pub use report::*;

const CARD_COLS: &str = card_cols!(
    "(SELECT COUNT(*) FROM consultation_comments k WHERE k.consultation_id = c.id AND k.status <> 'pending')"
);

const CARD_FROM: &str = "consultations c
    LEFT JOIN authorities a ON c.owner_kind = 'authority' AND a.id = c.owner_id
    LEFT JOIN organisations o ON c.owner_kind = 'org' AND o.id = c.owner_id";

const DETAIL_COLS: &str =
    "c.explanatory_note, c.adoption_at, c.urgency_reason, c.officer_contact, c.initiator, c.premoderation,
    c.report_threshold, c.current_version, c.published_at, c.report_published_at, c.created_at,
    COALESCE(a.officer_name, '') AS a_officer_name, COALESCE(a.officer_email, '') AS a_officer_email,
    COALESCE(a.officer_phone, '') AS a_officer_phone";

fn card(r: &AnyRow) -> Result<Card, sqlx::Error> {
    let status = Status::parse(&r.try_get::<String, _>("status")?).unwrap_or(Status::Draft);
    let (opens_at, closes_at) = (r.try_get("opens_at")?, r.try_get("closes_at")?);
    let topics: String = r.try_get("topics")?;
    Ok(Card {
        id: r.try_get("id")?,
        slug: r.try_get("slug")?,
        title: r.try_get("title")?,
        summary: r.try_get("summary")?,
        topics: topics.split(',').filter(|t| !t.is_empty()).map(str::to_string).collect(),
        locality: r.try_get("locality")?,
        county: r.try_get("county")?,
        owner_kind: r.try_get("owner_kind")?,
        owner_id: r.try_get("owner_id")?,
        owner_name: r.try_get("owner_name")?,
        owner_slug: r.try_get("owner_slug")?,
        status,
        phase: rules::phase(status, opens_at, closes_at, now()),
        opens_at,
        closes_at,
        comments: r.try_get("n_comments")?,
        is_demo: r.try_get::<i64, _>("is_demo")? == 1,
    })
}

fn detail(r: &AnyRow) -> Result<Detail, sqlx::Error> {
    Ok(Detail {
        card: card(r)?,
        explanatory_note: r.try_get("explanatory_note")?,
        adoption_at: r.try_get("adoption_at")?,
        urgency_reason: r.try_get("urgency_reason")?,
        officer_contact: r.try_get("officer_contact")?,
        initiator: r.try_get("initiator")?,
        authority_officer: crate::orgs::officer::Officer {
            name: r.try_get("a_officer_name")?,
            email: r.try_get("a_officer_email")?,
            phone: r.try_get("a_officer_phone")?,
        },
        premoderation: r.try_get::<i64, _>("premoderation")? == 1,
        report_threshold: r.try_get("report_threshold")?,
        current_version: r.try_get("current_version")?,
        published_at: r.try_get("published_at")?,
        report_published_at: r.try_get("report_published_at")?,
        created_at: r.try_get("created_at")?,
        // Only the organiser's page needs the whole text (tens of KB): [`draft_text`] reads it.
        draft_text: String::new(),
    })
}
