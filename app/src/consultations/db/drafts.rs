//! Consultations and their drafts: creating one, correcting or versioning its text, its units
//! (articles and headings) page by page, its status, the list, and the job's closing queries.
use super::{card, detail, CARD_COLS, CARD_FROM, DETAIL_COLS};
use crate::consultations::rules::split::{Para, Unit, UnitKind};
use crate::consultations::rules::{Status, PAGE_SIZE};
use crate::consultations::{Card, Detail, ListFilter, UnitView, VersionInfo};
use crate::ssr::{now, Db};
use sqlx::any::AnyRow;
use sqlx::Row;

pub struct NewConsultation {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub topics: Vec<String>,
    pub locality: String,
    pub county: String,
    pub owner_kind: String,
    pub owner_id: i64,
    pub draft_text: String,
    pub explanatory_note: String,
    pub opens_at: i64,
    pub closes_at: i64,
    pub adoption_at: Option<i64>,
    pub urgency_reason: String,
    pub officer_contact: String,
    pub initiator: String,
    pub premoderation: bool,
    pub report_threshold: i64,
    pub created_by: Option<i64>,
    pub is_demo: bool,
}

/// The draft as pasted, for the organiser's page.
pub async fn draft_text(db: &Db, cid: i64) -> Result<String, sqlx::Error> {
    sqlx::query("SELECT draft_text FROM consultations WHERE id = $1")
        .bind(cid)
        .fetch_one(&db.pool)
        .await?
        .try_get("draft_text")
}

async fn insert_units(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    cid: i64,
    version: i64,
    units: &[Unit],
) -> Result<(), sqlx::Error> {
    for (i, u) in units.iter().enumerate() {
        let paragraphs = serde_json::to_string(&u.paragraphs).unwrap_or_else(|_| "[]".into());
        sqlx::query(
            "INSERT INTO consultation_units (consultation_id, version, position, kind, label, title, paragraphs)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(cid)
        .bind(version)
        .bind(i as i64)
        .bind(u.kind.code())
        .bind(&u.label)
        .bind(&u.title)
        .bind(paragraphs)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

pub async fn insert(db: &Db, c: &NewConsultation, units: &[Unit]) -> Result<i64, sqlx::Error> {
    let now = now();
    let mut tx = db.pool.begin().await?;
    let id: i64 = sqlx::query(
        "INSERT INTO consultations (slug, title, summary, topics, locality, county, owner_kind, owner_id, status,
            draft_text, explanatory_note, opens_at, closes_at, adoption_at, urgency_reason, officer_contact,
            premoderation, report_threshold, current_version, reg_seq, is_demo, created_by, created_at, initiator)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'draft', $9, $10, $11, $12, $13, $14, $15, $16, $17, 1, 0, $18, $19, $20, $21)
         RETURNING id",
    )
    .bind(&c.slug)
    .bind(&c.title)
    .bind(&c.summary)
    .bind(c.topics.join(","))
    .bind(&c.locality)
    .bind(&c.county)
    .bind(&c.owner_kind)
    .bind(c.owner_id)
    .bind(&c.draft_text)
    .bind(&c.explanatory_note)
    .bind(c.opens_at)
    .bind(c.closes_at)
    .bind(c.adoption_at)
    .bind(&c.urgency_reason)
    .bind(&c.officer_contact)
    .bind(i64::from(c.premoderation))
    .bind(c.report_threshold)
    .bind(i64::from(c.is_demo))
    .bind(c.created_by)
    .bind(now)
    .bind(&c.initiator)
    .fetch_one(&mut *tx)
    .await?
    .try_get("id")?;
    sqlx::query(
        "INSERT INTO consultation_versions (consultation_id, number, changelog, draft_text, created_at) VALUES ($1, 1, '', $2, $3)",
    )
    .bind(id)
    .bind(&c.draft_text)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    insert_units(&mut tx, id, 1, units).await?;
    tx.commit().await?;
    Ok(id)
}

/// A draft's corrected text replaces its units (nobody has commented on a draft).
pub async fn replace_draft(db: &Db, cid: i64, text: &str, units: &[Unit]) -> Result<(), sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    sqlx::query("DELETE FROM consultation_units WHERE consultation_id = $1").bind(cid).execute(&mut *tx).await?;
    sqlx::query("UPDATE consultations SET draft_text = $1 WHERE id = $2")
        .bind(text)
        .bind(cid)
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE consultation_versions SET draft_text = $1 WHERE consultation_id = $2 AND number = 1")
        .bind(text)
        .bind(cid)
        .execute(&mut *tx)
        .await?;
    insert_units(&mut tx, cid, 1, units).await?;
    tx.commit().await
}

/// A published consultation gets a new version; earlier comments keep pointing at theirs.
pub async fn add_version(db: &Db, cid: i64, text: &str, changelog: &str, units: &[Unit]) -> Result<i64, sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    let number: i64 = sqlx::query(
        "UPDATE consultations SET current_version = current_version + 1, draft_text = $1 WHERE id = $2 RETURNING current_version",
    )
    .bind(text)
    .bind(cid)
    .fetch_one(&mut *tx)
    .await?
    .try_get("current_version")?;
    sqlx::query(
        "INSERT INTO consultation_versions (consultation_id, number, changelog, draft_text, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(cid)
    .bind(number)
    .bind(changelog)
    .bind(text)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    insert_units(&mut tx, cid, number, units).await?;
    tx.commit().await?;
    Ok(number)
}

pub async fn detail_by_slug(db: &Db, slug: &str) -> Result<Option<Detail>, sqlx::Error> {
    let r = sqlx::query(&format!("SELECT {CARD_COLS}, {DETAIL_COLS} FROM {CARD_FROM} WHERE c.slug = $1"))
        .bind(slug)
        .fetch_optional(&db.pool)
        .await?;
    r.map(|r| detail(&r)).transpose()
}

/// The detail without its comment count (a scan of every comment), for posting a comment.
pub async fn detail_for_comment(db: &Db, slug: &str) -> Result<Option<Detail>, sqlx::Error> {
    let r = sqlx::query(&format!("SELECT {}, {DETAIL_COLS} FROM {CARD_FROM} WHERE c.slug = $1", card_cols!("0")))
        .bind(slug)
        .fetch_optional(&db.pool)
        .await?;
    r.map(|r| detail(&r)).transpose()
}

pub async fn detail_by_id(db: &Db, id: i64) -> Result<Option<Detail>, sqlx::Error> {
    let r = sqlx::query(&format!("SELECT {CARD_COLS}, {DETAIL_COLS} FROM {CARD_FROM} WHERE c.id = $1"))
        .bind(id)
        .fetch_optional(&db.pool)
        .await?;
    r.map(|r| detail(&r)).transpose()
}

pub async fn slug_taken(db: &Db, slug: &str) -> Result<bool, sqlx::Error> {
    let n: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM consultations WHERE slug = $1").bind(slug).fetch_one(&db.pool).await?;
    Ok(n > 0)
}

/// Published consultations, newest first, filtered by topic, county and status.
pub async fn list(db: &Db, f: &ListFilter) -> Result<(Vec<Card>, i64), sqlx::Error> {
    let topic = if f.topic.is_empty() { String::new() } else { format!("%{}%", f.topic) };
    let status = Status::parse(&f.status).filter(|s| s.is_public()).map(|s| s.code()).unwrap_or("");
    let cond = "c.status <> 'draft' AND ($1 = '' OR c.topics LIKE $1) AND ($2 = '' OR c.county = $2) AND ($3 = '' OR c.status = $3)";
    let total: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM consultations c WHERE {cond}"))
        .bind(&topic)
        .bind(&f.county)
        .bind(status)
        .fetch_one(&db.pool)
        .await?;
    let page = f.page.max(1);
    let rows = sqlx::query(&format!(
        "SELECT {CARD_COLS} FROM {CARD_FROM} WHERE {cond}
         ORDER BY CASE WHEN c.status = 'open' THEN 0 ELSE 1 END, c.published_at DESC, c.id DESC LIMIT $4 OFFSET $5"
    ))
    .bind(&topic)
    .bind(&f.county)
    .bind(status)
    .bind(PAGE_SIZE)
    .bind((page - 1) * PAGE_SIZE)
    .fetch_all(&db.pool)
    .await?;
    Ok((rows.iter().map(card).collect::<Result<_, _>>()?, total))
}

pub async fn counties(db: &Db) -> Result<Vec<String>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT DISTINCT county FROM consultations WHERE status <> 'draft' AND county <> '' ORDER BY county",
    )
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(|r| r.try_get("county")).collect()
}

/// Everything an owner consulted on; drafts too (callers filter for the public).
pub async fn by_owner(db: &Db, kind: &str, id: i64) -> Result<Vec<Card>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT {CARD_COLS} FROM {CARD_FROM} WHERE c.owner_kind = $1 AND c.owner_id = $2 ORDER BY c.created_at DESC LIMIT 50"
    ))
    .bind(kind)
    .bind(id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(card).collect()
}

fn unit(r: &AnyRow) -> Result<UnitView, sqlx::Error> {
    let paragraphs: String = r.try_get("paragraphs")?;
    Ok(UnitView {
        id: r.try_get("id")?,
        position: r.try_get("position")?,
        kind: UnitKind::parse(&r.try_get::<String, _>("kind")?),
        label: r.try_get("label")?,
        title: r.try_get("title")?,
        paragraphs: serde_json::from_str::<Vec<Para>>(&paragraphs).unwrap_or_default(),
        comments: r.try_get("n")?,
    })
}

/// The units of a version with the number of public comments on each (the margin counts).
pub async fn units(db: &Db, cid: i64, version: i64) -> Result<Vec<UnitView>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT u.id, u.position, u.kind, u.label, u.title, u.paragraphs, COALESCE(n.n, 0) AS n
         FROM consultation_units u
         LEFT JOIN (SELECT unit_position, COUNT(*) AS n FROM consultation_comments
                    WHERE consultation_id = $1 AND status <> 'pending' GROUP BY unit_position) n ON n.unit_position = u.position
         WHERE u.consultation_id = $1 AND u.version = $2 ORDER BY u.position",
    )
    .bind(cid)
    .bind(version)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(unit).collect()
}

/// One page of a draft's units, how many units it has, and the comments on the whole draft.
pub struct UnitsPage {
    pub units: Vec<UnitView>,
    pub total: i64,
    pub general: i64,
}

/// One page of the units of a version (`page` 0 = every unit) with their margin counts, and how many
/// units the version has. The counts come from one aggregate over the page's positions.
pub async fn units_page(db: &Db, cid: i64, version: i64, page: i64, per_page: i64) -> Result<UnitsPage, sqlx::Error> {
    if page <= 0 {
        let units = units(db, cid, version).await?;
        let total = units.len() as i64;
        return Ok(UnitsPage { units, total, general: unit_comments_general(db, cid).await? });
    }
    let first = (page - 1) * per_page;
    // The number of units and of comments on the whole draft ride along (one round trip).
    let rows = sqlx::query(
        "SELECT u.id, u.position, u.kind, u.label, u.title, u.paragraphs, COALESCE(n.n, 0) AS n,
                (SELECT COUNT(*) FROM consultation_units t WHERE t.consultation_id = $1 AND t.version = $2) AS total,
                (SELECT COUNT(*) FROM consultation_comments g
                 WHERE g.consultation_id = $1 AND g.unit_position = -1 AND g.status <> 'pending') AS general
         FROM consultation_units u
         LEFT JOIN (SELECT unit_position, COUNT(*) AS n FROM consultation_comments
                    WHERE consultation_id = $1 AND unit_position >= $3 AND unit_position < $4 AND status <> 'pending'
                    GROUP BY unit_position) n ON n.unit_position = u.position
         WHERE u.consultation_id = $1 AND u.version = $2 AND u.position >= $3 AND u.position < $4 ORDER BY u.position",
    )
    .bind(cid)
    .bind(version)
    .bind(first)
    .bind(first + per_page)
    .fetch_all(&db.pool)
    .await?;
    let Some(r) = rows.first() else {
        // Past the last page: the counts on their own.
        let total: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM consultation_units WHERE consultation_id = $1 AND version = $2")
                .bind(cid)
                .bind(version)
                .fetch_one(&db.pool)
                .await?;
        return Ok(UnitsPage { units: vec![], total, general: unit_comments_general(db, cid).await? });
    };
    let (total, general) = (r.try_get("total")?, r.try_get("general")?);
    Ok(UnitsPage { units: rows.iter().map(unit).collect::<Result<_, _>>()?, total, general })
}

pub async fn unit_comments_general(db: &Db, cid: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM consultation_comments WHERE consultation_id = $1 AND unit_position = -1 AND status <> 'pending'",
    )
    .bind(cid)
    .fetch_one(&db.pool)
    .await
}

pub async fn unit_at(db: &Db, cid: i64, version: i64, position: i64) -> Result<Option<UnitView>, sqlx::Error> {
    let r = sqlx::query(
        "SELECT u.id, u.position, u.kind, u.label, u.title, u.paragraphs,
                (SELECT COUNT(*) FROM consultation_comments k WHERE k.consultation_id = $1 AND k.unit_position = u.position AND k.status <> 'pending') AS n
         FROM consultation_units u WHERE u.consultation_id = $1 AND u.version = $2 AND u.position = $3",
    )
    .bind(cid)
    .bind(version)
    .bind(position)
    .fetch_optional(&db.pool)
    .await?;
    r.map(|r| unit(&r)).transpose()
}

pub async fn versions(db: &Db, cid: i64) -> Result<Vec<VersionInfo>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT number, changelog, created_at FROM consultation_versions WHERE consultation_id = $1 ORDER BY number DESC",
    )
    .bind(cid)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(VersionInfo {
                number: r.try_get("number")?,
                changelog: r.try_get("changelog")?,
                created_at: r.try_get("created_at")?,
            })
        })
        .collect()
}

/// Writes a new status with the time of the step it records.
pub async fn set_status(db: &Db, cid: i64, status: Status) -> Result<(), sqlx::Error> {
    let col = match status {
        Status::Open => "published_at",
        Status::Closed => "closed_at",
        Status::Answered => "report_published_at",
        _ => "decided_at",
    };
    sqlx::query(&format!("UPDATE consultations SET status = $1, {col} = $2 WHERE id = $3"))
        .bind(status.code())
        .bind(now())
        .bind(cid)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Open consultations whose window has ended, closed in one statement (a server that runs it
/// at the same moment as another closes the rest, or none).
pub async fn close_due(db: &Db, now: i64) -> Result<Vec<i64>, sqlx::Error> {
    let rows = sqlx::query(
        "UPDATE consultations SET status = 'closed', closed_at = $1 WHERE status = 'open' AND closes_at <= $1 RETURNING id AS id",
    )
    .bind(now)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(|r| r.try_get("id")).collect()
}

/// Open consultations ending within `within` seconds that have not had their reminder yet.
pub async fn due_closing_soon(db: &Db, now: i64, within: i64) -> Result<Vec<i64>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id FROM consultations WHERE status = 'open' AND closing_soon_sent_at IS NULL AND closes_at > $1 AND closes_at <= $2 AND opens_at <= $1 ORDER BY id",
    )
    .bind(now)
    .bind(now + within)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(|r| r.try_get("id")).collect()
}

/// Claims a consultation's "closing soon" reminder inside the caller's transaction: true for the
/// one server that marks it, which then queues the mails in the same transaction.
pub async fn claim_closing_soon(conn: &mut sqlx::AnyConnection, id: i64, now: i64) -> Result<bool, sqlx::Error> {
    let n = sqlx::query(
        "UPDATE consultations SET closing_soon_sent_at = $1 WHERE id = $2 AND closing_soon_sent_at IS NULL",
    )
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?
    .rows_affected();
    Ok(n == 1)
}

pub async fn all_authorities(db: &Db) -> Result<Vec<(i64, String)>, sqlx::Error> {
    let rows = sqlx::query("SELECT id, name FROM authorities ORDER BY name").fetch_all(&db.pool).await?;
    rows.iter().map(|r| Ok((r.try_get("id")?, r.try_get("name")?))).collect()
}

/// Consultations taking comments at `at`: open, started and not yet closed (the home page's figure).
pub async fn count_open(db: &Db, at: i64) -> Result<i64, sqlx::Error> {
    sqlx::query("SELECT COUNT(*) AS n FROM consultations WHERE status = 'open' AND opens_at <= $1 AND closes_at > $1")
        .bind(at)
        .fetch_one(&db.pool)
        .await?
        .try_get("n")
}
