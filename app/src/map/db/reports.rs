//! Reports: their rows, timelines and photos, new reports, state changes (one transaction each),
//! the overdue petitions, and the language their mails go out in.
use super::*;
use crate::accounts::rules::Signer;
use crate::map::{Action, ReportState, TimelineEntry};
use crate::ssr::{now, Db};

/// A photo already checked, re-encoded and stored.
#[derive(Clone, Debug)]
pub struct StoredPhoto {
    pub key_full: String,
    pub key_thumb: String,
    pub alt: String,
    pub width: i64,
    pub height: i64,
}

/// What the workflow needs to know of a report before acting on it.
pub struct Facts {
    pub place_id: i64,
    pub state: ReportState,
    pub extended: bool,
    pub registered_day: Option<i64>,
    pub org_id: Option<i64>,
    pub authority_id: Option<i64>,
    pub reporter_id: Option<i64>,
}

pub async fn report_facts(db: &Db, id: i64) -> Result<Option<Facts>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT r.place_id, r.state, r.extended, r.registered_day, p.org_id, p.authority_id, r.reporter_id
         FROM map_reports r JOIN map_places p ON p.id = r.place_id WHERE r.id = $1",
    )
    .bind(id)
    .fetch_optional(&db.pool)
    .await?;
    row.map(|r| {
        Ok(Facts {
            place_id: r.try_get("place_id")?,
            state: ReportState::parse(&r.try_get::<String, _>("state")?).unwrap_or(ReportState::New),
            extended: r.try_get::<i64, _>("extended")? == 1,
            registered_day: r.try_get("registered_day")?,
            org_id: r.try_get("org_id")?,
            authority_id: r.try_get("authority_id")?,
            reporter_id: r.try_get("reporter_id")?,
        })
    })
    .transpose()
}

/// A report's own columns, with its place's name and owners.
pub struct ReportRecord {
    pub id: i64,
    pub place_id: i64,
    pub place_name: String,
    pub problem: String,
    pub description: String,
    pub state: ReportState,
    pub reporter: Signer,
    pub created_at: i64,
    pub registration_no: String,
    pub registered_day: Option<i64>,
    pub due_day: Option<i64>,
    pub extended: bool,
    pub org_id: Option<i64>,
    pub authority_id: Option<i64>,
    pub reporter_id: Option<i64>,
}

pub async fn report_record(db: &Db, id: i64) -> Result<Option<ReportRecord>, sqlx::Error> {
    let r = sqlx::query(
        "SELECT r.id, r.place_id, p.name AS place_name, r.problem, r.description, r.state,
                u.display_name AS reporter_name, r.created_at, r.registration_no, r.registered_day,
                r.due_day, r.extended, p.org_id, p.authority_id, r.reporter_id
         FROM map_reports r JOIN map_places p ON p.id = r.place_id LEFT JOIN users u ON u.id = r.reporter_id
         WHERE r.id = $1",
    )
    .bind(id)
    .fetch_optional(&db.pool)
    .await?;
    r.map(|r| {
        Ok(ReportRecord {
            id: r.try_get("id")?,
            place_id: r.try_get("place_id")?,
            place_name: r.try_get("place_name")?,
            problem: r.try_get("problem")?,
            description: r.try_get("description")?,
            state: ReportState::parse(&r.try_get::<String, _>("state")?).unwrap_or(ReportState::New),
            reporter: Signer::from_column(r.try_get("reporter_name")?),
            created_at: r.try_get("created_at")?,
            registration_no: r.try_get("registration_no")?,
            registered_day: r.try_get("registered_day")?,
            due_day: r.try_get("due_day")?,
            extended: r.try_get::<i64, _>("extended")? == 1,
            org_id: r.try_get("org_id")?,
            authority_id: r.try_get("authority_id")?,
            reporter_id: r.try_get("reporter_id")?,
        })
    })
    .transpose()
}

/// The steps of a report in order, each with its event id (its photos come from `photos_of_report`).
pub async fn events_of(db: &Db, report_id: i64) -> Result<Vec<(i64, TimelineEntry)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT e.id, e.action, e.to_state, u.display_name AS actor_name, e.actor_role, e.comment, e.created_at
         FROM map_report_events e LEFT JOIN users u ON u.id = e.actor_id WHERE e.report_id = $1 ORDER BY e.created_at, e.id",
    )
    .bind(report_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|e| {
            Ok((
                e.try_get("id")?,
                TimelineEntry {
                    action: e.try_get("action")?,
                    to_state: ReportState::parse(&e.try_get::<String, _>("to_state")?).unwrap_or(ReportState::New),
                    actor: Signer::from_column(e.try_get("actor_name")?),
                    actor_role: e.try_get("actor_role")?,
                    comment: e.try_get("comment")?,
                    at: e.try_get("created_at")?,
                    photos: vec![],
                },
            ))
        })
        .collect()
}

/// A report's photos in order, each with the step it came with (`None` = the report itself).
pub async fn photos_of_report(db: &Db, report_id: i64) -> Result<Vec<(Option<i64>, Photo)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT key_full, key_thumb, alt, width, height, event_id FROM map_photos WHERE report_id = $1 ORDER BY id",
    )
    .bind(report_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(|r| Ok((r.try_get("event_id")?, photo(r)?))).collect()
}

/// The reports of a place, newest first.
pub async fn report_ids_of_place(db: &Db, place_id: i64) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar::<_, i64>("SELECT id FROM map_reports WHERE place_id = $1 ORDER BY created_at DESC, id DESC")
        .bind(place_id)
        .fetch_all(&db.pool)
        .await
}

/// The 20 reports last changed on the places an organisation owns.
pub async fn org_report_ids(db: &Db, org_id: i64) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar::<_, i64>(
        "SELECT r.id FROM map_reports r JOIN map_places p ON p.id = r.place_id WHERE p.org_id = $1
         ORDER BY r.updated_at DESC, r.id DESC LIMIT 20",
    )
    .bind(org_id)
    .fetch_all(&db.pool)
    .await
}

pub async fn insert_report(
    db: &Db,
    place_id: i64,
    problem: &str,
    description: &str,
    reporter: i64,
    photos: &[StoredPhoto],
) -> Result<i64, sqlx::Error> {
    let now = now();
    let mut tx = db.pool.begin().await?;
    let id = sqlx::query_scalar::<_, i64>(
        "INSERT INTO map_reports (place_id, problem, description, state, reporter_id, created_at, updated_at)
         VALUES ($1, $2, $3, 'new', $4, $5, $5) RETURNING id",
    )
    .bind(place_id)
    .bind(problem)
    .bind(description)
    .bind(reporter)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO map_report_events (report_id, actor_id, actor_role, action, to_state, comment, created_at)
         VALUES ($1, $2, 'reporter', 'created', 'new', '', $3)",
    )
    .bind(id)
    .bind(reporter)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    for p in photos {
        insert_photo(&mut tx, place_id, Some(id), None, p, reporter).await?;
    }
    tx.commit().await?;
    Ok(id)
}

async fn insert_photo(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    place_id: i64,
    report_id: Option<i64>,
    event_id: Option<i64>,
    p: &StoredPhoto,
    by: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO map_photos (place_id, report_id, event_id, key_full, key_thumb, alt, width, height, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(place_id)
    .bind(report_id)
    .bind(event_id)
    .bind(&p.key_full)
    .bind(&p.key_thumb)
    .bind(&p.alt)
    .bind(p.width)
    .bind(p.height)
    .bind(by)
    .bind(now())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// One step of a report, decided by the service: written whole or not at all.
pub struct StateChange {
    pub report_id: i64,
    pub place_id: i64,
    pub actor_id: i64,
    pub role: &'static str,
    pub action: Action,
    pub next: ReportState,
    pub comment: String,
    /// The petition was filed: (registration number, registered day, due day).
    pub send: Option<(String, i64, i64)>,
    /// The deadline was extended to this day.
    pub extend_due: Option<i64>,
    pub photos: Vec<StoredPhoto>,
}

pub async fn apply_change(db: &Db, c: &StateChange) -> Result<(), sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    apply_change_in(&mut tx, c).await?;
    tx.commit().await
}

/// [`apply_change`] inside the caller's transaction (the follow-up answer claims its report first).
pub async fn apply_change_in(tx: &mut sqlx::Transaction<'_, sqlx::Any>, c: &StateChange) -> Result<(), sqlx::Error> {
    let now = now();
    sqlx::query("UPDATE map_reports SET state = $1, updated_at = $2 WHERE id = $3")
        .bind(c.next.code())
        .bind(now)
        .bind(c.report_id)
        .execute(&mut **tx)
        .await?;
    if let Some((no, day, due)) = &c.send {
        sqlx::query(
            "UPDATE map_reports SET registration_no = $1, registered_day = $2, due_day = $3, extended = 0, overdue_notified = 0 WHERE id = $4",
        )
        .bind(no)
        .bind(*day)
        .bind(*due)
        .bind(c.report_id)
        .execute(&mut **tx)
        .await?;
    }
    if let Some(due) = c.extend_due {
        sqlx::query("UPDATE map_reports SET extended = 1, due_day = $1, overdue_notified = 0 WHERE id = $2")
            .bind(due)
            .bind(c.report_id)
            .execute(&mut **tx)
            .await?;
    }
    let event_id = sqlx::query_scalar::<_, i64>(
        "INSERT INTO map_report_events (report_id, actor_id, actor_role, action, to_state, comment, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(c.report_id)
    .bind(c.actor_id)
    .bind(c.role)
    .bind(c.action.code())
    .bind(c.next.code())
    .bind(&c.comment)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    for p in &c.photos {
        insert_photo(tx, c.place_id, Some(c.report_id), Some(event_id), p, c.actor_id).await?;
    }
    Ok(())
}

/// The address an organisation is mailed at (over `p` its place and `o` the organisation): its
/// contact address, else its first admin's, else empty.
pub(super) const ORG_EMAIL: &str = "COALESCE(NULLIF(o.contact_email, ''),
    (SELECT u.email FROM roles ro JOIN users u ON u.id = ro.user_id
      WHERE ro.role = 'org_admin' AND ro.scope_id = p.org_id ORDER BY ro.id LIMIT 1), '')";

pub struct Overdue {
    pub report_id: i64,
    pub place_id: i64,
    pub place_name: String,
    pub registration_no: String,
    pub due_day: i64,
    pub org_email: String,
}

/// Reports past their due day, still unanswered, whose organisation has not been told yet.
/// The mail goes to the organisation's contact address, else to its first admin.
pub async fn newly_overdue(db: &Db, today: i64) -> Result<Vec<Overdue>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT r.id, r.place_id, p.name AS place_name, r.registration_no, r.due_day, {ORG_EMAIL} AS org_email
         FROM map_reports r JOIN map_places p ON p.id = r.place_id LEFT JOIN organisations o ON o.id = p.org_id
         WHERE r.state = 'sent' AND r.due_day < $1 AND r.overdue_notified = 0 ORDER BY r.id",
    ))
    .bind(today)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Overdue {
                report_id: r.try_get("id")?,
                place_id: r.try_get("place_id")?,
                place_name: r.try_get("place_name")?,
                registration_no: r.try_get("registration_no")?,
                due_day: r.try_get("due_day")?,
                org_email: r.try_get("org_email")?,
            })
        })
        .collect()
}

/// Claims a report's overdue notice inside the caller's transaction: true for the one server that
/// flags it (it then queues the mail in the same transaction).
pub async fn claim_overdue(conn: &mut sqlx::AnyConnection, report_id: i64) -> Result<bool, sqlx::Error> {
    let n = sqlx::query("UPDATE map_reports SET overdue_notified = 1 WHERE id = $1 AND overdue_notified = 0")
        .bind(report_id)
        .execute(conn)
        .await?
        .rows_affected();
    Ok(n == 1)
}

/// The language a person chose (for the mails sent to them).
pub async fn user_lang(db: &Db, user_id: i64) -> Result<crate::i18n::Lang, sqlx::Error> {
    let r = sqlx::query_scalar::<_, String>("SELECT lang FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(&db.pool)
        .await?;
    Ok(r.map(|l| crate::i18n::Lang::from_code(&l)).unwrap_or_default())
}

/// The language of the account with this address, if there is one.
pub async fn email_lang(db: &Db, email: &str) -> Result<Option<crate::i18n::Lang>, sqlx::Error> {
    let r = sqlx::query_scalar::<_, String>("SELECT lang FROM users WHERE email = $1 AND deleted_at IS NULL")
        .bind(email.trim().to_lowercase())
        .fetch_optional(&db.pool)
        .await?;
    Ok(r.map(|l| crate::i18n::Lang::from_code(&l)))
}
