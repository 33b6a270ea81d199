//! The organiser's answers and the synthesis report's rows.
use crate::consultations::rules::report::ReportRow;
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

/// Every comment of a consultation in article order, for the report page, the PDF and the CSV.
/// Every comment of the report. Hidden comments' text and alternative wording are blanked here, in
/// the query, unless `moderator` (the organiser or a moderator) reads: nothing else can leak them.
pub async fn report_rows(db: &Db, cid: i64, moderator: bool) -> Result<Vec<ReportRow>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT k.id, k.reg_no, k.unit_position, COALESCE(un.label, '') AS unit_label, k.paragraph, k.depth, k.version,
                us.display_name AS author, COALESCE(o.name, '') AS org_name, k.stance,
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
        })
        .collect()
}
