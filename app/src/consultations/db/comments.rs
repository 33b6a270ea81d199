//! Comments: posting one (with its register number, the rate limits and the receipt in one
//! transaction), reading threads and replies, editing, deleting, supporting, and who to mail.
use crate::consultations::rules::{self, Answer, CommentStatus, Scope, Sort, Stance, PAGE_SIZE};
use crate::consultations::CommentView;
use crate::ssr::{now, Db};
use sqlx::any::AnyRow;
use sqlx::Row;

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

/// The register's next number and the comment under it, inside the caller's transaction.
async fn store(conn: &mut sqlx::AnyConnection, c: &NewComment) -> Result<(i64, String), sqlx::Error> {
    let seq: i64 = sqlx::query("UPDATE consultations SET reg_seq = reg_seq + 1 WHERE id = $1 RETURNING reg_seq")
        .bind(c.consultation_id)
        .fetch_one(&mut *conn)
        .await?
        .try_get("reg_seq")?;
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
    .fetch_one(&mut *conn)
    .await?
    .try_get("id")?;
    Ok((id, reg_no))
}

/// Stores a comment with the next number of the consultation's register, in one transaction.
pub async fn insert_comment(db: &Db, c: &NewComment) -> Result<(i64, String), sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    let done = store(&mut tx, c).await?;
    tx.commit().await?;
    Ok(done)
}

/// Many comments in one transaction, each under its register number (seeding: demo data, tests,
/// benchmarks). Returns their ids and register numbers in order.
pub async fn insert_comments(db: &Db, cs: &[NewComment]) -> Result<Vec<(i64, String)>, sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    let mut done = Vec::with_capacity(cs.len());
    for c in cs {
        done.push(store(&mut tx, c).await?);
    }
    tx.commit().await?;
    Ok(done)
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
            .try_get("count")?;
        if count > *limit {
            tx.rollback().await?;
            // The refused attempt still counts (as before the limits moved in here).
            crate::ssr::rate_limit::hit(db, key, *limit, *window).await?;
            return Ok(Err(start + window - now));
        }
    }
    let (id, reg_no) = store(&mut tx, c).await?;
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
            id: r.try_get("id")?,
            consultation_id: r.try_get("consultation_id")?,
            user_id: r.try_get("user_id")?,
            depth: r.try_get("depth")?,
            status: CommentStatus::parse(&r.try_get::<String, _>("status")?),
            created_at: r.try_get("created_at")?,
            unit_position: r.try_get("unit_position")?,
            reg_no: r.try_get("reg_no")?,
            report_count: r.try_get("report_count")?,
        })
    })
    .transpose()
}

const COMMENT_COLS: &str =
    "k.id, k.reg_no, k.parent_id, k.depth, k.version, k.unit_position, COALESCE(un.label, '') AS unit_label,
    k.paragraph, us.display_name AS author, COALESCE(o.name, '') AS org_name, k.stance, k.body, k.alternative,
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
            author: crate::accounts::rules::Signer::from_column(r.try_get("author")?),
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
    let total: i64 = sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM consultation_comments k WHERE k.consultation_id = $2 AND k.parent_id IS NULL AND {scope_sql}
         AND (k.status <> 'pending' OR k.user_id = $1 OR $3 = 1)"
    ))
    .bind(viewer)
    .bind(cid)
    .bind(i64::from(moderator))
    .bind(pos)
    .fetch_one(&db.pool)
    .await?;
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

/// Address and language of a user who can still be reached.
pub async fn user_contact(db: &Db, user_id: i64) -> Result<Option<(String, String)>, sqlx::Error> {
    let r = sqlx::query(
        "SELECT email, lang FROM users WHERE id = $1 AND deleted_at IS NULL AND email_verified_at IS NOT NULL",
    )
    .bind(user_id)
    .fetch_optional(&db.pool)
    .await?;
    r.map(|r| Ok((r.try_get("email")?, r.try_get("lang")?))).transpose()
}

/// Comments a person posted in the last `secs` seconds (the unverified accounts' budget).
pub async fn recent_by_user(db: &Db, user: i64, secs: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM consultation_comments WHERE user_id = $1 AND created_at > $2")
        .bind(user)
        .bind(now() - secs)
        .fetch_one(&db.pool)
        .await
}
