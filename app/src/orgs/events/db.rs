//! SQL of events: the lists, one event with its seats, registration and the waiting list (each in
//! one transaction, serialised per event on PostgreSQL), reminders, announcements.
use super::rules::{self, Seat};
use super::{EventCard, EventLists, EventView};
use crate::ssr::{now, Db, DbKind};
use sqlx::any::AnyRow;
use sqlx::Row;

const EVENT_COLS: &str = "e.id, e.slug, e.title, e.kind, e.starts_at, e.ends_at, e.place, o.name AS org_name";

fn event_card(r: &AnyRow) -> Result<EventCard, sqlx::Error> {
    Ok(EventCard {
        id: r.try_get("id")?,
        slug: r.try_get("slug")?,
        title: r.try_get("title")?,
        kind: r.try_get("kind")?,
        starts_at: r.try_get("starts_at")?,
        ends_at: r.try_get("ends_at")?,
        place: r.try_get("place")?,
        org_name: r.try_get("org_name")?,
    })
}

pub async fn events(db: &Db, now: i64) -> Result<EventLists, sqlx::Error> {
    let up = sqlx::query(&format!(
        "SELECT {EVENT_COLS} FROM events e LEFT JOIN organisations o ON o.id = e.org_id WHERE e.ends_at >= $1 ORDER BY e.starts_at LIMIT 50"
    ))
    .bind(now)
    .fetch_all(&db.pool)
    .await?;
    let past = sqlx::query(&format!(
        "SELECT {EVENT_COLS} FROM events e LEFT JOIN organisations o ON o.id = e.org_id WHERE e.ends_at < $1 ORDER BY e.starts_at DESC LIMIT 50"
    ))
    .bind(now)
    .fetch_all(&db.pool)
    .await?;
    Ok(EventLists {
        upcoming: up.iter().map(event_card).collect::<Result<_, _>>()?,
        past: past.iter().map(event_card).collect::<Result<_, _>>()?,
    })
}

pub async fn event(db: &Db, slug: &str, user: Option<i64>) -> Result<Option<EventView>, sqlx::Error> {
    let Some(r) = sqlx::query(&format!(
        "SELECT {EVENT_COLS}, e.description, e.online_url, e.capacity, e.materials,
            (SELECT COUNT(*) FROM event_registrations x WHERE x.event_id = e.id AND x.status = 'confirmed') AS confirmed,
            (SELECT COUNT(*) FROM event_registrations x WHERE x.event_id = e.id AND x.status = 'waitlisted') AS waitlisted,
            (SELECT x.status FROM event_registrations x WHERE x.event_id = e.id AND x.user_id = $2) AS my_status
         FROM events e LEFT JOIN organisations o ON o.id = e.org_id WHERE e.slug = $1"
    ))
    .bind(slug)
    .bind(user.unwrap_or(-1))
    .fetch_optional(&db.pool)
    .await?
    else {
        return Ok(None);
    };
    let card = event_card(&r)?;
    Ok(Some(EventView {
        past: card.starts_at < now(),
        card,
        description: r.try_get("description")?,
        online_url: r.try_get("online_url")?,
        capacity: r.try_get("capacity")?,
        confirmed: r.try_get("confirmed")?,
        waitlisted: r.try_get("waitlisted")?,
        materials: r.try_get("materials")?,
        my_status: r.try_get("my_status")?,
        signed_in: user.is_some(),
    }))
}

/// Registers (or re-registers) in one transaction; None when the event has started or is unknown.
pub async fn register_for_event(
    db: &Db,
    event_id: i64,
    user_id: i64,
    now: i64,
) -> Result<Option<(Seat, EventCard)>, sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    if db.kind == DbKind::Postgres {
        // Serialise seat counting per event, so two people cannot take the last seat at once.
        sqlx::query("SELECT CAST(1 AS BIGINT) FROM pg_advisory_xact_lock($1)").bind(event_id).execute(&mut *tx).await?;
    }
    let Some(r) = sqlx::query(&format!(
        "SELECT {EVENT_COLS}, e.capacity FROM events e LEFT JOIN organisations o ON o.id = e.org_id WHERE e.id = $1"
    ))
    .bind(event_id)
    .fetch_optional(&mut *tx)
    .await?
    else {
        return Ok(None);
    };
    let card = event_card(&r)?;
    if card.starts_at <= now {
        return Ok(None);
    }
    let existing: Option<String> =
        sqlx::query("SELECT status FROM event_registrations WHERE event_id = $1 AND user_id = $2")
            .bind(event_id)
            .bind(user_id)
            .fetch_optional(&mut *tx)
            .await?
            .map(|r| r.try_get("status"))
            .transpose()?;
    if let Some(s) = existing.as_deref().filter(|s| *s != "cancelled") {
        let seat = if s == "confirmed" { Seat::Confirmed } else { Seat::Waitlisted };
        return Ok(Some((seat, card)));
    }
    let confirmed: i64 =
        sqlx::query("SELECT COUNT(*) AS n FROM event_registrations WHERE event_id = $1 AND status = 'confirmed'")
            .bind(event_id)
            .fetch_one(&mut *tx)
            .await?
            .try_get("n")?;
    let seat = rules::seat_for(r.try_get("capacity")?, confirmed);
    sqlx::query(
        "INSERT INTO event_registrations (event_id, user_id, status, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (event_id, user_id) DO UPDATE SET status = excluded.status, created_at = excluded.created_at, reminder_sent_at = NULL",
    )
    .bind(event_id)
    .bind(user_id)
    .bind(seat.code())
    .bind(now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Some((seat, card)))
}

/// Cancels; frees the seat for the earliest on the waiting list. Returns the slug and who moved up.
pub async fn cancel_event_registration(
    db: &Db,
    event_id: i64,
    user_id: i64,
) -> Result<Option<(String, Vec<(String, String, String)>)>, sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    if db.kind == DbKind::Postgres {
        sqlx::query("SELECT CAST(1 AS BIGINT) FROM pg_advisory_xact_lock($1)").bind(event_id).execute(&mut *tx).await?;
    }
    let Some(ev) = sqlx::query("SELECT slug, title, capacity FROM events WHERE id = $1")
        .bind(event_id)
        .fetch_optional(&mut *tx)
        .await?
    else {
        return Ok(None);
    };
    let done = sqlx::query("UPDATE event_registrations SET status = 'cancelled' WHERE event_id = $1 AND user_id = $2 AND status <> 'cancelled'")
        .bind(event_id)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() == 0 {
        return Ok(None);
    }
    let count = |status: &'static str| {
        sqlx::query("SELECT COUNT(*) AS n FROM event_registrations WHERE event_id = $1 AND status = $2")
            .bind(event_id)
            .bind(status)
    };
    let confirmed: i64 = count("confirmed").fetch_one(&mut *tx).await?.try_get("n")?;
    let waiting: i64 = count("waitlisted").fetch_one(&mut *tx).await?.try_get("n")?;
    let n = rules::to_promote(ev.try_get("capacity")?, confirmed, waiting);
    let movers = sqlx::query(
        "SELECT r.id, u.email, u.lang FROM event_registrations r JOIN users u ON u.id = r.user_id
         WHERE r.event_id = $1 AND r.status = 'waitlisted' ORDER BY r.created_at, r.id LIMIT $2",
    )
    .bind(event_id)
    .bind(n)
    .fetch_all(&mut *tx)
    .await?;
    let title: String = ev.try_get("title")?;
    let mut promoted = Vec::new();
    for m in &movers {
        sqlx::query("UPDATE event_registrations SET status = 'confirmed' WHERE id = $1")
            .bind(m.try_get::<i64, _>("id")?)
            .execute(&mut *tx)
            .await?;
        promoted.push((m.try_get("email")?, m.try_get("lang")?, title.clone()));
    }
    tx.commit().await?;
    Ok(Some((ev.try_get("slug")?, promoted)))
}

pub struct DueReminder {
    pub registration_id: i64,
    pub email: String,
    pub lang: String,
    pub title: String,
    pub slug: String,
    pub starts_at: i64,
}

pub async fn due_event_reminders(db: &Db, now: i64, until: i64) -> Result<Vec<DueReminder>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT r.id, u.email, u.lang, e.title, e.slug, e.starts_at FROM event_registrations r
         JOIN events e ON e.id = r.event_id JOIN users u ON u.id = r.user_id
         WHERE r.status = 'confirmed' AND r.reminder_sent_at IS NULL AND e.starts_at > $1 AND e.starts_at <= $2 AND u.deleted_at IS NULL
         ORDER BY r.id",
    )
    .bind(now)
    .bind(until)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(DueReminder {
                registration_id: r.try_get("id")?,
                email: r.try_get("email")?,
                lang: r.try_get("lang")?,
                title: r.try_get("title")?,
                slug: r.try_get("slug")?,
                starts_at: r.try_get("starts_at")?,
            })
        })
        .collect()
}

/// Claims a registration's reminder inside the caller's transaction: true for the one server that
/// marks it (it then queues the mail in the same transaction), false when another did already.
pub async fn claim_reminder(
    conn: &mut sqlx::AnyConnection,
    registration_id: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let n =
        sqlx::query("UPDATE event_registrations SET reminder_sent_at = $1 WHERE id = $2 AND reminder_sent_at IS NULL")
            .bind(now)
            .bind(registration_id)
            .execute(conn)
            .await?
            .rows_affected();
    Ok(n == 1)
}

pub struct NewEvent {
    pub slug: String,
    pub org_id: i64,
    pub title: String,
    pub description: String,
    pub kind: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub place: String,
    pub online_url: String,
    pub capacity: i64,
    pub created_by: i64,
}

pub async fn create_event(db: &Db, e: &NewEvent) -> Result<i64, sqlx::Error> {
    sqlx::query(
        "INSERT INTO events (slug, org_id, title, description, kind, starts_at, ends_at, place, online_url, capacity, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
    )
    .bind(&e.slug)
    .bind(e.org_id)
    .bind(&e.title)
    .bind(&e.description)
    .bind(&e.kind)
    .bind(e.starts_at)
    .bind(e.ends_at)
    .bind(&e.place)
    .bind(&e.online_url)
    .bind(e.capacity)
    .bind(e.created_by)
    .bind(now())
    .fetch_one(&db.pool)
    .await?
    .try_get("id")
}

// ---- personal data ("download my data" and deletion, registered in `orgs::personal`) ----

pub async fn personal_registrations(
    db: &Db,
    p: &crate::ssr::personal::Person,
) -> Result<serde_json::Value, sqlx::Error> {
    use crate::ssr::personal::{rows, Param};
    rows(
        db,
        "SELECT e.title AS event, e.starts_at, r.status, r.created_at AS registered_at, r.reminder_sent_at
         FROM event_registrations r JOIN events e ON e.id = r.event_id WHERE r.user_id = $1 ORDER BY r.id",
        Param::Id(p.id),
    )
    .await
}

/// Their registrations go; a seat they held is free again for the next registration.
pub async fn erase_registrations(
    c: &mut sqlx::AnyConnection,
    p: &crate::ssr::personal::Person,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM event_registrations WHERE user_id = $1").bind(p.id).execute(&mut *c).await?;
    Ok(())
}

/// Events the person created for an organisation (they stay: the organisation holds them).
pub async fn personal_events_created(
    db: &Db,
    p: &crate::ssr::personal::Person,
) -> Result<serde_json::Value, sqlx::Error> {
    use crate::ssr::personal::{rows, Param};
    rows(db, "SELECT slug, title, starts_at, created_at FROM events WHERE created_by = $1 ORDER BY id", Param::Id(p.id))
        .await
}
