//! The organiser's answers and the synthesis report's rows.
use crate::consultations::rules::report::ReportRow;
use crate::consultations::rules::report_page::CountRow;
use crate::consultations::rules::{Answer, CommentStatus, Stance};
use crate::ssr::{now, Db};
use sqlx::Row;

/// Comments still waiting for the organiser's answer (pending ones must be moderated first).
pub async fn unanswered(db: &Db, cid: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM consultation_comments WHERE consultation_id = $1 AND depth = 0
         AND status IN ('visible', 'pending') AND answer IS NULL",
    )
    .bind(cid)
    .fetch_one(&db.pool)
    .await
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

/// The report's columns. Hidden comments' text and alternative wording are blanked here, in the
/// query, unless `$2` (the organiser or a moderator reads) is 1: nothing else can leak them.
const REPORT_SELECT: &str =
    "SELECT k.id, k.reg_no, k.unit_position, COALESCE(un.label, '') AS unit_label, k.paragraph, k.depth, k.version,
                us.display_name AS author, COALESCE(o.name, '') AS org_name, k.stance,
                CASE WHEN k.status = 'hidden' AND $2 = 0 THEN '' ELSE k.body END AS body,
                CASE WHEN k.status = 'hidden' AND $2 = 0 THEN '' ELSE k.alternative END AS alternative,
                k.status, k.status_reason, k.support_count, k.answer, k.answer_text, k.created_at
         FROM consultation_comments k
         LEFT JOIN users us ON us.id = k.user_id
         LEFT JOIN organisations o ON o.id = k.org_id
         LEFT JOIN consultation_units un ON un.id = k.unit_id
         WHERE k.consultation_id = $1 AND k.status <> 'pending'";

/// The report's order (the index `consultation_comments_report` follows it).
const REPORT_ORDER: &str = " ORDER BY k.unit_position ASC, k.id ASC";

/// Every comment of a consultation in article order, for the PDF, the CSV and the organiser's answers.
/// Hidden comments are blanked unless `moderator` (the organiser or a moderator) reads.
pub async fn report_rows(db: &Db, cid: i64, moderator: bool) -> Result<Vec<ReportRow>, sqlx::Error> {
    let rows = sqlx::query(&format!("{REPORT_SELECT}{REPORT_ORDER}"))
        .bind(cid)
        .bind(i64::from(moderator))
        .fetch_all(&db.pool)
        .await?;
    rows.iter().map(report_row).collect()
}

/// One page of the report page, in the report's order: `limit` comments after `offset`, of every
/// article or of one (`article`, a unit's position; -1 the whole draft). Blanked as [`report_rows`].
pub async fn report_page_rows(
    db: &Db,
    cid: i64,
    moderator: bool,
    article: Option<i64>,
    limit: i64,
    offset: i64,
) -> Result<Vec<ReportRow>, sqlx::Error> {
    let rows = match article {
        None => {
            sqlx::query(&format!("{REPORT_SELECT}{REPORT_ORDER} LIMIT $3 OFFSET $4"))
                .bind(cid)
                .bind(i64::from(moderator))
                .bind(limit)
                .bind(offset)
                .fetch_all(&db.pool)
                .await?
        }
        Some(position) => {
            sqlx::query(&format!("{REPORT_SELECT} AND k.unit_position = $3{REPORT_ORDER} LIMIT $4 OFFSET $5"))
                .bind(cid)
                .bind(i64::from(moderator))
                .bind(position)
                .bind(limit)
                .bind(offset)
                .fetch_all(&db.pool)
                .await?
        }
    };
    rows.iter().map(report_row).collect()
}

/// How many comments of each article have each stance and answer: the report's counts, over every
/// comment the report lists.
pub async fn report_counts(db: &Db, cid: i64) -> Result<Vec<CountRow>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT k.unit_position, MIN(COALESCE(un.label, '')) AS unit_label, k.stance, k.answer, COUNT(*) AS n
         FROM consultation_comments k
         LEFT JOIN consultation_units un ON un.id = k.unit_id
         WHERE k.consultation_id = $1 AND k.status <> 'pending'
         GROUP BY k.unit_position, k.stance, k.answer
         ORDER BY k.unit_position",
    )
    .bind(cid)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            let answer: Option<String> = r.try_get("answer")?;
            Ok(CountRow {
                unit_position: r.try_get("unit_position")?,
                unit_label: r.try_get("unit_label")?,
                stance: Stance::parse(&r.try_get::<String, _>("stance")?).unwrap_or(Stance::Neutral),
                answer: answer.and_then(|a| Answer::parse(&a).ok()),
                n: r.try_get("n")?,
            })
        })
        .collect()
}

fn report_row(r: &sqlx::any::AnyRow) -> Result<ReportRow, sqlx::Error> {
    let answer: Option<String> = r.try_get("answer")?;
    Ok(ReportRow {
        id: r.try_get("id")?,
        reg_no: r.try_get("reg_no")?,
        unit_position: r.try_get("unit_position")?,
        unit_label: r.try_get("unit_label")?,
        paragraph: r.try_get("paragraph")?,
        depth: r.try_get("depth")?,
        version: r.try_get("version")?,
        author: crate::accounts::rules::Signer::from_column(r.try_get("author")?),
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
}
