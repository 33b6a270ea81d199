//! Every SQL statement of the consultations feature (SQLite and PostgreSQL through sqlx Any).
use super::rules::{Answer, CommentStatus, Sort, Stance, Status, PAGE_SIZE};
use super::split::{Para, Unit, UnitKind};
use super::*;
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
    pub premoderation: bool,
    pub report_threshold: i64,
    pub created_by: Option<i64>,
    pub is_demo: bool,
}

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

const CARD_COLS: &str = card_cols!(
    "(SELECT COUNT(*) FROM consultation_comments k WHERE k.consultation_id = c.id AND k.status <> 'pending')"
);

const CARD_FROM: &str = "consultations c
    LEFT JOIN authorities a ON c.owner_kind = 'authority' AND a.id = c.owner_id
    LEFT JOIN organisations o ON c.owner_kind = 'org' AND o.id = c.owner_id";

const DETAIL_COLS: &str = "c.explanatory_note, c.adoption_at, c.urgency_reason, c.officer_contact, c.premoderation,
    c.report_threshold, c.current_version, c.published_at, c.report_published_at, c.created_at";

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

/// The draft as pasted, for the organiser's page.
pub async fn draft_text(db: &Db, cid: i64) -> Result<String, sqlx::Error> {
    sqlx::query("SELECT draft_text FROM consultations WHERE id = $1").bind(cid).fetch_one(&db.pool).await?.try_get(0)
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
            premoderation, report_threshold, current_version, reg_seq, is_demo, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'draft', $9, $10, $11, $12, $13, $14, $15, $16, $17, 1, 0, $18, $19, $20)
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
    .fetch_one(&mut *tx)
    .await?
    .try_get(0)?;
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
    .try_get(0)?;
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
    let n: i64 = sqlx::query("SELECT COUNT(*) FROM consultations WHERE slug = $1")
        .bind(slug)
        .fetch_one(&db.pool)
        .await?
        .try_get(0)?;
    Ok(n > 0)
}

/// Published consultations, newest first, filtered by topic, county and status.
pub async fn list(db: &Db, f: &ListFilter) -> Result<(Vec<Card>, i64), sqlx::Error> {
    let topic = if f.topic.is_empty() { String::new() } else { format!("%{}%", f.topic) };
    let status = Status::parse(&f.status).filter(|s| s.is_public()).map(|s| s.code()).unwrap_or("");
    let cond = "c.status <> 'draft' AND ($1 = '' OR c.topics LIKE $1) AND ($2 = '' OR c.county = $2) AND ($3 = '' OR c.status = $3)";
    let total: i64 = sqlx::query(&format!("SELECT COUNT(*) FROM consultations c WHERE {cond}"))
        .bind(&topic)
        .bind(&f.county)
        .bind(status)
        .fetch_one(&db.pool)
        .await?
        .try_get(0)?;
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
    rows.iter().map(|r| r.try_get(0)).collect()
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
            sqlx::query("SELECT COUNT(*) FROM consultation_units WHERE consultation_id = $1 AND version = $2")
                .bind(cid)
                .bind(version)
                .fetch_one(&db.pool)
                .await?
                .try_get(0)?;
        return Ok(UnitsPage { units: vec![], total, general: unit_comments_general(db, cid).await? });
    };
    let (total, general) = (r.try_get("total")?, r.try_get("general")?);
    Ok(UnitsPage { units: rows.iter().map(unit).collect::<Result<_, _>>()?, total, general })
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
        .map(|r| Ok(VersionInfo { number: r.try_get(0)?, changelog: r.try_get(1)?, created_at: r.try_get(2)? }))
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

/// Comments still waiting for the organiser's answer (pending ones must be moderated first).
pub async fn unanswered(db: &Db, cid: i64) -> Result<i64, sqlx::Error> {
    sqlx::query(
        "SELECT COUNT(*) FROM consultation_comments WHERE consultation_id = $1 AND depth = 0
         AND status IN ('visible', 'pending') AND answer IS NULL",
    )
    .bind(cid)
    .fetch_one(&db.pool)
    .await?
    .try_get(0)
}

pub struct NewComment {
    pub consultation_id: i64,
    pub version: i64,
    pub unit_id: Option<i64>,
    pub unit_position: i64,
    pub paragraph: String,
    pub parent_id: Option<i64>,
    pub depth: i64,
    pub user_id: i64,
    pub org_id: Option<i64>,
    pub stance: Stance,
    pub body: String,
    pub alternative: String,
    pub status: CommentStatus,
    pub created_at: i64,
}

/// Stores a comment with the next number of the consultation's register, in one transaction.
pub async fn insert_comment(db: &Db, c: &NewComment) -> Result<(i64, String), sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    let seq: i64 = sqlx::query("UPDATE consultations SET reg_seq = reg_seq + 1 WHERE id = $1 RETURNING reg_seq")
        .bind(c.consultation_id)
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
    let reg_no = rules::registration_number(c.consultation_id, seq);
    let id: i64 = sqlx::query(
        "INSERT INTO consultation_comments (consultation_id, version, unit_id, unit_position, paragraph, parent_id, depth,
            user_id, org_id, stance, body, alternative, reg_no, status, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id",
    )
    .bind(c.consultation_id)
    .bind(c.version)
    .bind(c.unit_id)
    .bind(c.unit_position)
    .bind(&c.paragraph)
    .bind(c.parent_id)
    .bind(c.depth)
    .bind(c.user_id)
    .bind(c.org_id)
    .bind(c.stance.code())
    .bind(&c.body)
    .bind(&c.alternative)
    .bind(&reg_no)
    .bind(c.status.code())
    .bind(c.created_at)
    .fetch_one(&mut *tx)
    .await?
    .try_get(0)?;
    tx.commit().await?;
    Ok((id, reg_no))
}

/// Everything a new comment writes, in one transaction: the rate-limit counters, the register
/// number, the comment, the author's follow and the receipt mail. `Err(wait)` (nothing stored) when a
/// counter is over its limit. On SQLite the posts of this process queue on one lock instead of
/// sleeping in SQLite's busy handler.
pub async fn post_comment(
    db: &Db,
    c: &NewComment,
    limits: &[(String, i64, i64)],
    receipt: impl FnOnce(i64, &str) -> crate::ssr::mail::Mail,
) -> Result<Result<(i64, String), i64>, sqlx::Error> {
    static SQLITE_WRITER: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    let _turn = if db.kind == crate::ssr::DbKind::Sqlite { Some(SQLITE_WRITER.lock().await) } else { None };
    let now = c.created_at;
    let mut tx = db.pool.begin().await?;
    for (key, limit, window) in limits {
        let start = now - now.rem_euclid(*window);
        let count: i64 = sqlx::query(crate::ssr::rate_limit::COUNT_ONE)
            .bind(key)
            .bind(start)
            .fetch_one(&mut *tx)
            .await?
            .try_get(0)?;
        if count > *limit {
            tx.rollback().await?;
            // The refused attempt still counts (as before the limits moved in here).
            crate::ssr::rate_limit::hit(db, key, *limit, *window).await?;
            return Ok(Err(start + window - now));
        }
    }
    let seq: i64 = sqlx::query("UPDATE consultations SET reg_seq = reg_seq + 1 WHERE id = $1 RETURNING reg_seq")
        .bind(c.consultation_id)
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
    let reg_no = rules::registration_number(c.consultation_id, seq);
    let id: i64 = sqlx::query(
        "INSERT INTO consultation_comments (consultation_id, version, unit_id, unit_position, paragraph, parent_id, depth,
            user_id, org_id, stance, body, alternative, reg_no, status, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id",
    )
    .bind(c.consultation_id)
    .bind(c.version)
    .bind(c.unit_id)
    .bind(c.unit_position)
    .bind(&c.paragraph)
    .bind(c.parent_id)
    .bind(c.depth)
    .bind(c.user_id)
    .bind(c.org_id)
    .bind(c.stance.code())
    .bind(&c.body)
    .bind(&c.alternative)
    .bind(&reg_no)
    .bind(c.status.code())
    .bind(c.created_at)
    .fetch_one(&mut *tx)
    .await?
    .try_get(0)?;
    sqlx::query(
        "INSERT INTO consultation_follows (consultation_id, user_id, created_at, public_id) VALUES ($1, $2, $3, $4) ON CONFLICT (consultation_id, user_id) DO NOTHING",
    )
    .bind(c.consultation_id)
    .bind(c.user_id)
    .bind(now)
    .bind(crate::ssr::public_id())
    .execute(&mut *tx)
    .await?;
    crate::ssr::mail::enqueue_essential(&mut tx, &receipt(id, &reg_no)).await?;
    tx.commit().await?;
    Ok(Ok((id, reg_no)))
}

/// What the rules need to know about one comment.
#[derive(Clone, Debug)]
pub struct CommentMeta {
    pub id: i64,
    pub consultation_id: i64,
    pub user_id: Option<i64>,
    pub depth: i64,
    pub status: CommentStatus,
    pub created_at: i64,
    pub unit_position: i64,
    pub reg_no: String,
    pub report_count: i64,
}

pub async fn comment_meta(db: &Db, id: i64) -> Result<Option<CommentMeta>, sqlx::Error> {
    let r = sqlx::query(
        "SELECT id, consultation_id, user_id, depth, status, created_at, unit_position, reg_no, report_count
         FROM consultation_comments WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&db.pool)
    .await?;
    r.map(|r| {
        Ok(CommentMeta {
            id: r.try_get(0)?,
            consultation_id: r.try_get(1)?,
            user_id: r.try_get(2)?,
            depth: r.try_get(3)?,
            status: CommentStatus::parse(&r.try_get::<String, _>(4)?),
            created_at: r.try_get(5)?,
            unit_position: r.try_get(6)?,
            reg_no: r.try_get(7)?,
            report_count: r.try_get(8)?,
        })
    })
    .transpose()
}

const COMMENT_COLS: &str = "k.id, k.reg_no, k.parent_id, k.depth, k.version, k.unit_position, COALESCE(un.label, '') AS unit_label,
    k.paragraph, COALESCE(us.display_name, '') AS author, COALESCE(o.name, '') AS org_name, k.stance, k.body, k.alternative,
    k.status, k.status_reason, k.support_count, k.created_at, k.edited_at, k.answer, k.answer_text, k.user_id,
    CAST(CASE WHEN v.user_id IS NULL THEN 0 ELSE 1 END AS BIGINT) AS voted";

const COMMENT_FROM: &str = "consultation_comments k
    LEFT JOIN users us ON us.id = k.user_id
    LEFT JOIN organisations o ON o.id = k.org_id
    LEFT JOIN consultation_units un ON un.id = k.unit_id
    LEFT JOIN consultation_votes v ON v.comment_id = k.id AND v.user_id = $1";

/// A comment as stored; the caller renders the text and decides what the viewer may do.
pub struct CommentRow {
    pub view: CommentView,
    pub user_id: Option<i64>,
    pub body: String,
}

fn comment_row(r: &AnyRow, viewer: i64) -> Result<CommentRow, sqlx::Error> {
    let user_id: Option<i64> = r.try_get("user_id")?;
    let answer: Option<String> = r.try_get("answer")?;
    let body: String = r.try_get("body")?;
    let edited: Option<i64> = r.try_get("edited_at")?;
    Ok(CommentRow {
        view: CommentView {
            id: r.try_get("id")?,
            reg_no: r.try_get("reg_no")?,
            parent_id: r.try_get("parent_id")?,
            depth: r.try_get("depth")?,
            version: r.try_get("version")?,
            unit_position: r.try_get("unit_position")?,
            unit_label: r.try_get("unit_label")?,
            paragraph: r.try_get("paragraph")?,
            author: r.try_get("author")?,
            org_name: r.try_get("org_name")?,
            stance: Stance::parse(&r.try_get::<String, _>("stance")?).unwrap_or(Stance::Neutral),
            body_html: String::new(),
            alternative: r.try_get("alternative")?,
            diff: vec![],
            status: CommentStatus::parse(&r.try_get::<String, _>("status")?),
            status_reason: r.try_get("status_reason")?,
            support: r.try_get("support_count")?,
            supported_by_me: r.try_get::<i64, _>("voted")? == 1,
            created_at: r.try_get("created_at")?,
            edited: edited.is_some(),
            answer: answer.and_then(|a| Answer::parse(&a).ok()),
            answer_text: r.try_get("answer_text")?,
            mine: user_id.is_some_and(|u| u == viewer),
            can_edit: false,
            body_source: String::new(),
            paper: None,
            replies: vec![],
        },
        user_id,
        body,
    })
}

/// Which comments a list shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// On the whole draft.
    General,
    /// Every comment, all articles.
    All,
    Unit(i64),
}

/// One page of top-level comments; pending ones only for their author and moderators.
pub async fn thread(
    db: &Db,
    cid: i64,
    scope: Scope,
    sort: Sort,
    page: i64,
    viewer: i64,
    moderator: bool,
) -> Result<(Vec<CommentRow>, i64), sqlx::Error> {
    // General comments sit at position -1; "all" is every position from -1 up.
    let (scope_sql, pos) = match scope {
        Scope::General => ("k.unit_position = $4", -1),
        Scope::All => ("k.unit_position >= $4", -1),
        Scope::Unit(p) => ("k.unit_position = $4", p),
    };
    let visible = "(k.status <> 'pending' OR k.user_id = $1 OR $3 = 1)";
    let order = match sort {
        Sort::Newest => "k.created_at DESC, k.id DESC",
        Sort::Supported => "k.support_count DESC, k.id ASC",
        Sort::Article => "k.unit_position ASC, k.id ASC",
    };
    let total: i64 = sqlx::query(&format!(
        "SELECT COUNT(*) FROM consultation_comments k WHERE k.consultation_id = $2 AND k.parent_id IS NULL AND {scope_sql}
         AND (k.status <> 'pending' OR k.user_id = $1 OR $3 = 1)"
    ))
    .bind(viewer)
    .bind(cid)
    .bind(i64::from(moderator))
    .bind(pos)
    .fetch_one(&db.pool)
    .await?
    .try_get(0)?;
    let rows = sqlx::query(&format!(
        "SELECT {COMMENT_COLS} FROM {COMMENT_FROM}
         WHERE k.consultation_id = $2 AND k.parent_id IS NULL AND {scope_sql} AND {visible}
         ORDER BY {order} LIMIT $5 OFFSET $6"
    ))
    .bind(viewer)
    .bind(cid)
    .bind(i64::from(moderator))
    .bind(pos)
    .bind(PAGE_SIZE)
    .bind((page.max(1) - 1) * PAGE_SIZE)
    .fetch_all(&db.pool)
    .await?;
    Ok((rows.iter().map(|r| comment_row(r, viewer)).collect::<Result<_, _>>()?, total))
}

/// Replies to the given comments, oldest first.
pub async fn replies(db: &Db, parents: &[i64], viewer: i64, moderator: bool) -> Result<Vec<CommentRow>, sqlx::Error> {
    if parents.is_empty() {
        return Ok(vec![]);
    }
    // Ids are integers we produced: safe to inline, and one statement for both databases.
    let ids = parents.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(",");
    let rows = sqlx::query(&format!(
        "SELECT {COMMENT_COLS} FROM {COMMENT_FROM}
         WHERE k.parent_id IN ({ids}) AND (k.status <> 'pending' OR k.user_id = $1 OR $2 = 1) ORDER BY k.id ASC"
    ))
    .bind(viewer)
    .bind(i64::from(moderator))
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(|r| comment_row(r, viewer)).collect()
}

pub async fn comments_by_ids(db: &Db, ids: &[i64]) -> Result<Vec<CommentRow>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let list = ids.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(",");
    let rows = sqlx::query(&format!("SELECT {COMMENT_COLS} FROM {COMMENT_FROM} WHERE k.id IN ({list}) ORDER BY k.id"))
        .bind(-1i64)
        .fetch_all(&db.pool)
        .await?;
    rows.iter().map(|r| comment_row(r, -1)).collect()
}

pub async fn edit_comment(db: &Db, id: i64, body: &str, alternative: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE consultation_comments SET body = $1, alternative = $2, edited_at = $3 WHERE id = $4")
        .bind(body)
        .bind(alternative)
        .bind(now())
        .bind(id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// The author's delete keeps the row (the thread and the register stay whole) without the text.
pub async fn mark_deleted(db: &Db, id: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE consultation_comments SET status = 'deleted', body = '', alternative = '', edited_at = $1 WHERE id = $2",
    )
    .bind(now())
    .bind(id)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Adds or takes back one person's support; returns whether it is now given.
pub async fn toggle_vote(db: &Db, comment: i64, user: i64) -> Result<bool, sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    let removed = sqlx::query("DELETE FROM consultation_votes WHERE comment_id = $1 AND user_id = $2")
        .bind(comment)
        .bind(user)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if removed == 0 {
        sqlx::query("INSERT INTO consultation_votes (comment_id, user_id, created_at) VALUES ($1, $2, $3)")
            .bind(comment)
            .bind(user)
            .bind(now())
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query(
        "UPDATE consultation_comments SET support_count = (SELECT COUNT(*) FROM consultation_votes WHERE comment_id = $1) WHERE id = $1",
    )
    .bind(comment)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(removed == 0)
}

/// Records a report (one per person and comment); returns the comment's report count, or None
/// when this person had already reported it.
pub async fn add_report(
    db: &Db,
    comment: i64,
    user: i64,
    reason: &str,
    details: &str,
) -> Result<Option<i64>, sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    let added = sqlx::query(
        "INSERT INTO consultation_reports (comment_id, user_id, reason, details, status, created_at)
         VALUES ($1, $2, $3, $4, 'open', $5) ON CONFLICT (comment_id, user_id) DO NOTHING",
    )
    .bind(comment)
    .bind(user)
    .bind(reason)
    .bind(details)
    .bind(now())
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if added == 0 {
        tx.rollback().await?;
        return Ok(None);
    }
    sqlx::query("UPDATE consultation_comments SET report_count = report_count + 1 WHERE id = $1")
        .bind(comment)
        .execute(&mut *tx)
        .await?;
    // What counts towards hiding: reports still open (a moderator's decision closes them, so a
    // restored comment starts again from zero) from verified accounts.
    let open: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM consultation_reports r JOIN users u ON u.id = r.user_id
         WHERE r.comment_id = $1 AND r.status = 'open' AND u.email_verified_at IS NOT NULL",
    )
    .bind(comment)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Some(open))
}

/// A moderation step: the comment's new status, its public reason, and a line in the public log.
/// Deciding on a comment closes its open reports.
pub async fn moderate(
    db: &Db,
    cid: i64,
    comment: i64,
    status: CommentStatus,
    action: &str,
    reason: &str,
    actor: Option<i64>,
) -> Result<(), sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    sqlx::query("UPDATE consultation_comments SET status = $1, status_reason = $2 WHERE id = $3")
        .bind(status.code())
        .bind(reason)
        .bind(comment)
        .execute(&mut *tx)
        .await?;
    if action != "auto_hide" {
        sqlx::query("UPDATE consultation_reports SET status = 'resolved' WHERE comment_id = $1 AND status = 'open'")
            .bind(comment)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query(
        "INSERT INTO consultation_moderation_log (consultation_id, comment_id, action, reason, actor_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(cid)
    .bind(comment)
    .bind(action)
    .bind(reason)
    .bind(actor)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    tx.commit().await
}

/// Records one answer on comments of this consultation; returns those answered.
pub async fn answer(
    db: &Db,
    cid: i64,
    ids: &[i64],
    answer: Answer,
    text: &str,
    by: i64,
) -> Result<Vec<i64>, sqlx::Error> {
    let mut done = vec![];
    let mut tx = db.pool.begin().await?;
    for id in ids {
        let n = sqlx::query(
            "UPDATE consultation_comments SET answer = $1, answer_text = $2, answered_at = $3, answered_by = $4
             WHERE id = $5 AND consultation_id = $6 AND status IN ('visible', 'hidden')",
        )
        .bind(answer.code())
        .bind(text)
        .bind(now())
        .bind(by)
        .bind(*id)
        .bind(cid)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n > 0 {
            done.push(*id);
        }
    }
    tx.commit().await?;
    Ok(done)
}

/// Address and language of a user who can still be reached.
pub async fn user_contact(db: &Db, user_id: i64) -> Result<Option<(String, String)>, sqlx::Error> {
    let r = sqlx::query(
        "SELECT email, lang FROM users WHERE id = $1 AND deleted_at IS NULL AND email_verified_at IS NOT NULL",
    )
    .bind(user_id)
    .fetch_optional(&db.pool)
    .await?;
    r.map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).transpose()
}

/// Comments a person posted in the last `secs` seconds (the unverified accounts' budget).
pub async fn recent_by_user(db: &Db, user: i64, secs: i64) -> Result<i64, sqlx::Error> {
    sqlx::query("SELECT COUNT(*) FROM consultation_comments WHERE user_id = $1 AND created_at > $2")
        .bind(user)
        .bind(now() - secs)
        .fetch_one(&db.pool)
        .await?
        .try_get(0)
}

// ---- moderation queue and log ----

pub async fn queue(
    db: &Db,
    consultation: &str,
    reason: &str,
    state: &str,
    scoped_to: Option<i64>,
) -> Result<Vec<moderation::QueueItem>, sqlx::Error> {
    // state: "pending" (waiting for approval), "reported" (open reports), "hidden".
    let state_sql = match state {
        "pending" => "k.status = 'pending'",
        "hidden" => "k.status = 'hidden'",
        _ => "EXISTS (SELECT 1 FROM consultation_reports r WHERE r.comment_id = k.id AND r.status = 'open')",
    };
    let reason_sql = " AND ($2 = '' OR EXISTS (SELECT 1 FROM consultation_reports r2 WHERE r2.comment_id = k.id AND r2.status = 'open' AND r2.reason = $2))";
    let rows = sqlx::query(&format!(
        "SELECT k.id, k.reg_no, k.body, k.status, k.status_reason, k.report_count, k.created_at, c.slug, c.title, c.owner_kind, c.owner_id,
                COALESCE(us.display_name, '') AS author, k.unit_position,
                (SELECT COUNT(*) FROM consultation_reports r3 WHERE r3.comment_id = k.id AND r3.status = 'open') AS open_reports,
                COALESCE((SELECT MIN(r4.reason) FROM consultation_reports r4 WHERE r4.comment_id = k.id AND r4.status = 'open'), '') AS first_reason,
                COALESCE((SELECT MIN(r5.details) FROM consultation_reports r5 WHERE r5.comment_id = k.id AND r5.status = 'open'), '') AS details
         FROM consultation_comments k JOIN consultations c ON c.id = k.consultation_id
         LEFT JOIN users us ON us.id = k.user_id
         WHERE {state_sql} AND ($1 = '' OR c.slug = $1){reason_sql}
           AND ($3 = 0 OR EXISTS (SELECT 1 FROM roles ro WHERE ro.user_id = $3 AND ro.scope_id = c.owner_id
                AND ((ro.role = 'official' AND c.owner_kind = 'authority') OR (ro.role = 'org_admin' AND c.owner_kind = 'org'))))
         ORDER BY k.created_at ASC LIMIT 200"
    ))
    .bind(consultation)
    .bind(reason)
    .bind(scoped_to.unwrap_or(0))
    .fetch_all(&db.pool)
    .await?;
    let mut out = vec![];
    for r in rows {
        out.push(moderation::QueueItem {
            id: r.try_get("id")?,
            reg_no: r.try_get("reg_no")?,
            body: r.try_get("body")?,
            status: CommentStatus::parse(&r.try_get::<String, _>("status")?),
            status_reason: r.try_get("status_reason")?,
            reports: r.try_get("open_reports")?,
            reason: r.try_get("first_reason")?,
            details: r.try_get("details")?,
            created_at: r.try_get("created_at")?,
            slug: r.try_get("slug")?,
            title: r.try_get("title")?,
            author: r.try_get("author")?,
            unit_position: r.try_get("unit_position")?,
        });
    }
    Ok(out)
}

/// Counts per state for the queue's tabs: (pending, reported, hidden).
pub async fn queue_counts(db: &Db) -> Result<(i64, i64, i64), sqlx::Error> {
    let r = sqlx::query(
        "SELECT
           (SELECT COUNT(*) FROM consultation_comments WHERE status = 'pending'),
           (SELECT COUNT(DISTINCT comment_id) FROM consultation_reports WHERE status = 'open'),
           (SELECT COUNT(*) FROM consultation_comments WHERE status = 'hidden')",
    )
    .fetch_one(&db.pool)
    .await?;
    Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?))
}

pub async fn log(db: &Db, cid: i64) -> Result<Vec<moderation::LogEntry>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT l.action, l.reason, l.created_at, COALESCE(k.reg_no, '') AS reg_no, COALESCE(k.unit_position, -1) AS pos
         FROM consultation_moderation_log l LEFT JOIN consultation_comments k ON k.id = l.comment_id
         WHERE l.consultation_id = $1 ORDER BY l.created_at DESC, l.id DESC LIMIT 500",
    )
    .bind(cid)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(moderation::LogEntry {
                action: r.try_get(0)?,
                reason: r.try_get(1)?,
                created_at: r.try_get(2)?,
                reg_no: r.try_get(3)?,
                unit_position: r.try_get(4)?,
            })
        })
        .collect()
}

// ---- report ----

/// Every comment of a consultation in article order, for the report page, the PDF and the CSV.
/// Every comment of the report. Hidden comments' text and alternative wording are blanked here, in
/// the query, unless `moderator` (the organiser or a moderator) reads: nothing else can leak them.
pub async fn report_rows(db: &Db, cid: i64, moderator: bool) -> Result<Vec<report::ReportRow>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT k.id, k.reg_no, k.unit_position, COALESCE(un.label, '') AS unit_label, k.paragraph, k.depth, k.version,
                COALESCE(us.display_name, '') AS author, COALESCE(o.name, '') AS org_name, k.stance,
                CASE WHEN k.status = 'hidden' AND $2 = 0 THEN '' ELSE k.body END AS body,
                CASE WHEN k.status = 'hidden' AND $2 = 0 THEN '' ELSE k.alternative END AS alternative,
                k.status, k.status_reason, k.support_count, k.answer, k.answer_text, k.created_at
         FROM consultation_comments k
         LEFT JOIN users us ON us.id = k.user_id
         LEFT JOIN organisations o ON o.id = k.org_id
         LEFT JOIN consultation_units un ON un.id = k.unit_id
         WHERE k.consultation_id = $1 AND k.status <> 'pending'
         ORDER BY k.unit_position ASC, k.id ASC",
    )
    .bind(cid)
    .bind(i64::from(moderator))
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            let answer: Option<String> = r.try_get("answer")?;
            Ok(report::ReportRow {
                id: r.try_get("id")?,
                reg_no: r.try_get("reg_no")?,
                unit_position: r.try_get("unit_position")?,
                unit_label: r.try_get("unit_label")?,
                paragraph: r.try_get("paragraph")?,
                depth: r.try_get("depth")?,
                version: r.try_get("version")?,
                author: r.try_get("author")?,
                org_name: r.try_get("org_name")?,
                stance: Stance::parse(&r.try_get::<String, _>("stance")?).unwrap_or(Stance::Neutral),
                body: r.try_get("body")?,
                alternative: r.try_get("alternative")?,
                status: CommentStatus::parse(&r.try_get::<String, _>("status")?),
                status_reason: r.try_get("status_reason")?,
                support: r.try_get("support_count")?,
                answer: answer.and_then(|a| Answer::parse(&a).ok()),
                answer_text: r.try_get("answer_text")?,
                created_at: r.try_get("created_at")?,
                paper: None,
            })
        })
        .collect()
}

// ---- follows, subscriptions, debates ----

pub async fn is_following(db: &Db, cid: i64, user: i64) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query("SELECT COUNT(*) FROM consultation_follows WHERE consultation_id = $1 AND user_id = $2")
        .bind(cid)
        .bind(user)
        .fetch_one(&db.pool)
        .await?
        .try_get(0)?;
    Ok(n > 0)
}

pub async fn follow(db: &Db, cid: i64, user: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO consultation_follows (consultation_id, user_id, created_at, public_id) VALUES ($1, $2, $3, $4) ON CONFLICT (consultation_id, user_id) DO NOTHING",
    )
    .bind(cid)
    .bind(user)
    .bind(now())
    .bind(crate::ssr::public_id())
    .execute(&db.pool)
    .await?;
    Ok(())
}

pub async fn unfollow(db: &Db, cid: i64, user: i64) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM consultation_follows WHERE consultation_id = $1 AND user_id = $2")
        .bind(cid)
        .bind(user)
        .execute(&db.pool)
        .await?;
    Ok(())
}

pub async fn unfollow_by_public(db: &Db, public_id: &str) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query("DELETE FROM consultation_follows WHERE public_id = $1")
        .bind(public_id)
        .execute(&db.pool)
        .await?
        .rows_affected())
}

pub async fn unsubscribe_by_public(db: &Db, public_id: &str) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query("DELETE FROM consultation_subscriptions WHERE public_id = $1")
        .bind(public_id)
        .execute(&db.pool)
        .await?
        .rows_affected())
}

/// Followers who can be mailed: (follow's public id, user id, email, lang).
pub async fn followers(db: &Db, cid: i64) -> Result<Vec<(String, i64, String, String)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT f.public_id, u.id, u.email, u.lang FROM consultation_follows f JOIN users u ON u.id = f.user_id
         WHERE f.consultation_id = $1 AND u.deleted_at IS NULL AND u.email_verified_at IS NOT NULL",
    )
    .bind(cid)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("public_id")?, r.try_get("id")?, r.try_get("email")?, r.try_get("lang")?)))
        .collect()
}

pub async fn subscribe(db: &Db, user: i64, topic: &str, county: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO consultation_subscriptions (user_id, topic, county, created_at, public_id) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (user_id, topic, county) DO NOTHING",
    )
    .bind(user)
    .bind(topic)
    .bind(county)
    .bind(now())
    .bind(crate::ssr::public_id())
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Subscribers whose topic and county match a new consultation: (subscription's public id, email, lang).
pub async fn subscribers_for(
    db: &Db,
    topics: &[String],
    county: &str,
) -> Result<Vec<(String, String, String)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT s.public_id, s.topic, u.email, u.lang, u.id AS uid FROM consultation_subscriptions s JOIN users u ON u.id = s.user_id
         WHERE u.deleted_at IS NULL AND u.email_verified_at IS NOT NULL AND (s.county = '' OR s.county = $1) ORDER BY u.id, s.id",
    )
    .bind(county)
    .fetch_all(&db.pool)
    .await?;
    let mut out: Vec<(String, String, String)> = vec![];
    let mut last_user = -1;
    for r in rows {
        let topic: String = r.try_get("topic")?;
        let user: i64 = r.try_get("uid")?;
        // One mail per person, whatever number of their subscriptions match.
        if (topic.is_empty() || topics.contains(&topic)) && user != last_user {
            out.push((r.try_get("public_id")?, r.try_get("email")?, r.try_get("lang")?));
            last_user = user;
        }
    }
    Ok(out)
}

pub async fn add_debate_request(db: &Db, cid: i64, org: i64, user: i64, reason: &str) -> Result<bool, sqlx::Error> {
    let n = sqlx::query(
        "INSERT INTO consultation_debate_requests (consultation_id, org_id, user_id, reason, created_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (consultation_id, org_id) DO NOTHING",
    )
    .bind(cid)
    .bind(org)
    .bind(user)
    .bind(reason)
    .bind(now())
    .execute(&db.pool)
    .await?
    .rows_affected();
    Ok(n > 0)
}

pub async fn set_debate(
    db: &Db,
    cid: i64,
    starts_at: i64,
    place: &str,
    online_url: &str,
    minutes: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO consultation_debates (consultation_id, starts_at, place, online_url, minutes, created_at) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (consultation_id) DO UPDATE SET starts_at = excluded.starts_at, place = excluded.place,
           online_url = excluded.online_url, minutes = excluded.minutes",
    )
    .bind(cid)
    .bind(starts_at)
    .bind(place)
    .bind(online_url)
    .bind(minutes)
    .bind(now())
    .execute(&db.pool)
    .await?;
    Ok(())
}

pub async fn register_debate(db: &Db, cid: i64, user: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO consultation_debate_registrations (consultation_id, user_id, created_at) VALUES ($1, $2, $3)
         ON CONFLICT (consultation_id, user_id) DO NOTHING",
    )
    .bind(cid)
    .bind(user)
    .bind(now())
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// The debate as everyone sees it (`me_registered` is false: see [`viewer_flags`]).
pub async fn debate(db: &Db, cid: i64) -> Result<Debate, sqlx::Error> {
    let reqs = sqlx::query(
        "SELECT o.name, r.reason FROM consultation_debate_requests r JOIN organisations o ON o.id = r.org_id
         WHERE r.consultation_id = $1 ORDER BY r.id",
    )
    .bind(cid)
    .fetch_all(&db.pool)
    .await?;
    let requests = reqs.iter().map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).collect::<Result<Vec<_>, sqlx::Error>>()?;
    // Registrations exist only for a scheduled debate; their number rides along.
    let d = sqlx::query(
        "SELECT starts_at, place, online_url, minutes,
                (SELECT COUNT(*) FROM consultation_debate_registrations g WHERE g.consultation_id = $1)
         FROM consultation_debates WHERE consultation_id = $1",
    )
    .bind(cid)
    .fetch_optional(&db.pool)
    .await?;
    Ok(Debate {
        requests,
        starts_at: d.as_ref().map(|r| r.try_get(0)).transpose()?,
        place: d.as_ref().map(|r| r.try_get(1)).transpose()?.unwrap_or_default(),
        online_url: d.as_ref().map(|r| r.try_get(2)).transpose()?.unwrap_or_default(),
        minutes: d.as_ref().map(|r| r.try_get(3)).transpose()?.unwrap_or_default(),
        registered: d.as_ref().map(|r| r.try_get(4)).transpose()?.unwrap_or(0),
        me_registered: false,
    })
}

/// (follows the consultation, registered for its debate): one round trip for a signed-in reader.
pub async fn viewer_flags(db: &Db, cid: i64, user: i64) -> Result<(bool, bool), sqlx::Error> {
    let r = sqlx::query(
        "SELECT (SELECT COUNT(*) FROM consultation_follows WHERE consultation_id = $1 AND user_id = $2),
                (SELECT COUNT(*) FROM consultation_debate_registrations WHERE consultation_id = $1 AND user_id = $2)",
    )
    .bind(cid)
    .bind(user)
    .fetch_one(&db.pool)
    .await?;
    Ok((r.try_get::<i64, _>(0)? > 0, r.try_get::<i64, _>(1)? > 0))
}

// ---- background jobs ----

/// Open consultations whose window has ended: closed now, returned for the follow-up mails.
pub async fn close_due(db: &Db, now: i64) -> Result<Vec<i64>, sqlx::Error> {
    let rows = sqlx::query("SELECT id FROM consultations WHERE status = 'open' AND closes_at <= $1")
        .bind(now)
        .fetch_all(&db.pool)
        .await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.try_get(0)).collect::<Result<_, _>>()?;
    for id in &ids {
        sqlx::query("UPDATE consultations SET status = 'closed', closed_at = $1 WHERE id = $2 AND status = 'open'")
            .bind(now)
            .bind(*id)
            .execute(&db.pool)
            .await?;
    }
    Ok(ids)
}

/// Open consultations ending within `within` seconds that have not had their reminder yet; marks them.
pub async fn take_closing_soon(db: &Db, now: i64, within: i64) -> Result<Vec<i64>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id FROM consultations WHERE status = 'open' AND closing_soon_sent_at IS NULL AND closes_at > $1 AND closes_at <= $2 AND opens_at <= $1",
    )
    .bind(now)
    .bind(now + within)
    .fetch_all(&db.pool)
    .await?;
    let mut out = vec![];
    for r in rows {
        let id: i64 = r.try_get(0)?;
        let n = sqlx::query(
            "UPDATE consultations SET closing_soon_sent_at = $1 WHERE id = $2 AND closing_soon_sent_at IS NULL",
        )
        .bind(now)
        .bind(id)
        .execute(&db.pool)
        .await?
        .rows_affected();
        if n > 0 {
            out.push(id);
        }
    }
    Ok(out)
}

/// Mail addresses of the platform's moderators (alerts on new queue items).
pub async fn moderator_emails(db: &Db) -> Result<Vec<(String, String)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT DISTINCT u.email, u.lang FROM roles r JOIN users u ON u.id = r.user_id
         WHERE r.role = 'moderator' AND u.deleted_at IS NULL AND u.email_verified_at IS NOT NULL",
    )
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).collect()
}

pub async fn unit_comments_general(db: &Db, cid: i64) -> Result<i64, sqlx::Error> {
    sqlx::query(
        "SELECT COUNT(*) FROM consultation_comments WHERE consultation_id = $1 AND unit_position = -1 AND status <> 'pending'",
    )
    .bind(cid)
    .fetch_one(&db.pool)
    .await?
    .try_get(0)
}

pub async fn all_authorities(db: &Db) -> Result<Vec<(i64, String)>, sqlx::Error> {
    let rows = sqlx::query("SELECT id, name FROM authorities ORDER BY name").fetch_all(&db.pool).await?;
    rows.iter().map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).collect()
}

// ---- files: attachments, position papers, debate minutes ----

pub struct NewFile<'a> {
    pub consultation_id: i64,
    pub comment_id: Option<i64>,
    pub kind: files::FileKind,
    pub name: &'a str,
    pub size: i64,
    pub storage_key: &'a str,
    pub uploaded_by: i64,
}

const FILE_COLS: &str = "f.id, f.consultation_id, f.comment_id, f.kind, f.name, f.size, f.storage_key, f.created_at";

fn file_row(r: &AnyRow) -> Result<(files::FileInfo, String), sqlx::Error> {
    Ok((
        files::FileInfo {
            id: r.try_get("id")?,
            comment_id: r.try_get("comment_id")?,
            kind: files::FileKind::parse(&r.try_get::<String, _>("kind")?).unwrap_or(files::FileKind::Attachment),
            name: r.try_get("name")?,
            size: r.try_get("size")?,
            created_at: r.try_get("created_at")?,
        },
        r.try_get("storage_key")?,
    ))
}

/// Stores a file's row; a position paper replaces the comment's earlier one (its key is returned
/// so the caller can drop the old bytes).
pub async fn insert_file(db: &Db, f: &NewFile<'_>) -> Result<(i64, Vec<String>), sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    let mut old = vec![];
    if let Some(comment) = f.comment_id {
        let rows = sqlx::query("SELECT storage_key FROM consultation_files WHERE comment_id = $1")
            .bind(comment)
            .fetch_all(&mut *tx)
            .await?;
        for r in rows {
            old.push(r.try_get(0)?);
        }
        sqlx::query("DELETE FROM consultation_files WHERE comment_id = $1").bind(comment).execute(&mut *tx).await?;
    }
    let id: i64 = sqlx::query(
        "INSERT INTO consultation_files (consultation_id, comment_id, kind, name, size, storage_key, uploaded_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(f.consultation_id)
    .bind(f.comment_id)
    .bind(f.kind.code())
    .bind(f.name)
    .bind(f.size)
    .bind(f.storage_key)
    .bind(f.uploaded_by)
    .bind(now())
    .fetch_one(&mut *tx)
    .await?
    .try_get(0)?;
    tx.commit().await?;
    Ok((id, old))
}

/// The organiser's attachments and the debate minutes, oldest first.
pub async fn consultation_files(db: &Db, cid: i64) -> Result<Vec<files::FileInfo>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT {FILE_COLS} FROM consultation_files f WHERE f.consultation_id = $1 AND f.comment_id IS NULL ORDER BY f.id"
    ))
    .bind(cid)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(|r| file_row(r).map(|(f, _)| f)).collect()
}

/// The position papers of the given comments, in one query.
pub async fn papers_for(db: &Db, comments: &[i64]) -> Result<Vec<files::FileInfo>, sqlx::Error> {
    if comments.is_empty() {
        return Ok(vec![]);
    }
    // Ids are integers we produced: safe to inline.
    let ids = comments.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(",");
    let rows = sqlx::query(&format!("SELECT {FILE_COLS} FROM consultation_files f WHERE f.comment_id IN ({ids})"))
        .fetch_all(&db.pool)
        .await?;
    rows.iter().map(|r| file_row(r).map(|(f, _)| f)).collect()
}

/// Every position paper of a consultation (the report).
pub async fn papers_of(db: &Db, cid: i64) -> Result<Vec<files::FileInfo>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT {FILE_COLS} FROM consultation_files f WHERE f.consultation_id = $1 AND f.comment_id IS NOT NULL"
    ))
    .bind(cid)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(|r| file_row(r).map(|(f, _)| f)).collect()
}

/// A file with where its bytes are and, for a paper, its comment's status.
pub struct StoredFile {
    pub info: files::FileInfo,
    pub key: String,
    pub comment_status: Option<CommentStatus>,
}

/// One file of a consultation.
pub async fn file(db: &Db, cid: i64, id: i64) -> Result<Option<StoredFile>, sqlx::Error> {
    let r = sqlx::query(&format!(
        "SELECT {FILE_COLS}, k.status AS comment_status FROM consultation_files f
         LEFT JOIN consultation_comments k ON k.id = f.comment_id
         WHERE f.id = $1 AND f.consultation_id = $2"
    ))
    .bind(id)
    .bind(cid)
    .fetch_optional(&db.pool)
    .await?;
    let Some(r) = r else { return Ok(None) };
    let (f, key) = file_row(&r)?;
    let status: Option<String> = r.try_get("comment_status")?;
    Ok(Some(StoredFile { info: f, key, comment_status: status.map(|s| CommentStatus::parse(&s)) }))
}

pub async fn delete_file(db: &Db, cid: i64, id: i64) -> Result<Option<String>, sqlx::Error> {
    let r = sqlx::query(
        "DELETE FROM consultation_files WHERE id = $1 AND consultation_id = $2 AND comment_id IS NULL RETURNING storage_key",
    )
    .bind(id)
    .bind(cid)
    .fetch_optional(&db.pool)
    .await?;
    r.map(|r| r.try_get(0)).transpose()
}
