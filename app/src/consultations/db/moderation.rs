//! Moderation: reports, a moderator's step with its line in the public log, the queue and the log,
//! and the moderators to alert.
use crate::consultations::rules::CommentStatus;
use crate::consultations::{LogEntry, QueueItem};
use crate::ssr::{now, Db};
use sqlx::Row;

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

pub async fn queue(
    db: &Db,
    consultation: &str,
    reason: &str,
    state: &str,
    scoped_to: Option<i64>,
) -> Result<Vec<QueueItem>, sqlx::Error> {
    // state: "pending" (waiting for approval), "reported" (open reports), "hidden".
    let state_sql = match state {
        "pending" => "k.status = 'pending'",
        "hidden" => "k.status = 'hidden'",
        _ => "EXISTS (SELECT 1 FROM consultation_reports r WHERE r.comment_id = k.id AND r.status = 'open')",
    };
    let reason_sql = " AND ($2 = '' OR EXISTS (SELECT 1 FROM consultation_reports r2 WHERE r2.comment_id = k.id AND r2.status = 'open' AND r2.reason = $2))";
    let rows = sqlx::query(&format!(
        "SELECT k.id, k.reg_no, k.body, k.status, k.status_reason, k.report_count, k.created_at, c.slug, c.title, c.owner_kind, c.owner_id,
                us.display_name AS author, k.unit_position,
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
        out.push(QueueItem {
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
            author: crate::accounts::rules::Signer::from_column(r.try_get("author")?),
            unit_position: r.try_get("unit_position")?,
        });
    }
    Ok(out)
}

/// Counts per state for the queue's tabs: (pending, reported, hidden).
pub async fn queue_counts(db: &Db) -> Result<(i64, i64, i64), sqlx::Error> {
    let r = sqlx::query(
        "SELECT
           (SELECT COUNT(*) FROM consultation_comments WHERE status = 'pending') AS pending,
           (SELECT COUNT(DISTINCT comment_id) FROM consultation_reports WHERE status = 'open') AS reported,
           (SELECT COUNT(*) FROM consultation_comments WHERE status = 'hidden') AS hidden",
    )
    .fetch_one(&db.pool)
    .await?;
    Ok((r.try_get("pending")?, r.try_get("reported")?, r.try_get("hidden")?))
}

pub async fn log(db: &Db, cid: i64) -> Result<Vec<LogEntry>, sqlx::Error> {
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
            Ok(LogEntry {
                action: r.try_get("action")?,
                reason: r.try_get("reason")?,
                created_at: r.try_get("created_at")?,
                reg_no: r.try_get("reg_no")?,
                unit_position: r.try_get("pos")?,
            })
        })
        .collect()
}

/// Mail addresses of the platform's moderators (alerts on new queue items).
pub async fn moderator_emails(db: &Db) -> Result<Vec<(String, String)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT DISTINCT u.email, u.lang FROM roles r JOIN users u ON u.id = r.user_id
         WHERE r.role = 'moderator' AND u.deleted_at IS NULL AND u.email_verified_at IS NOT NULL",
    )
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(|r| Ok((r.try_get("email")?, r.try_get("lang")?))).collect()
}
