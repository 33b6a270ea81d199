//! "Has it been fixed?": the reports due for the question, its claim, the facts the page shows,
//! and the claim of the answer.
use super::reports::ORG_EMAIL;
use super::*;
use crate::map::ReportState;
use crate::ssr::Db;

/// A report whose reporter is to be asked.
pub struct DueFollowup {
    pub report_id: i64,
    pub reporter_id: i64,
    pub email: String,
    pub place_name: String,
    pub problem: String,
}

/// Reports still answered, not asked yet, answered at or before `cutoff`, with a reporter whose
/// account is not deleted. When a report was answered is its latest `answer` event: the one
/// action that makes a report answered, and the time is kept there already (no column to keep
/// in step).
pub async fn due_followups(db: &Db, cutoff: i64) -> Result<Vec<DueFollowup>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT r.id, r.reporter_id, u.email, p.name AS place_name, r.problem
         FROM map_reports r JOIN map_places p ON p.id = r.place_id JOIN users u ON u.id = r.reporter_id
         WHERE r.state = 'answered' AND r.followup_sent_at IS NULL AND u.deleted_at IS NULL
           AND (SELECT MAX(e.created_at) FROM map_report_events e WHERE e.report_id = r.id AND e.action = 'answer') <= $1
         ORDER BY r.id",
    )
    .bind(cutoff)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(DueFollowup {
                report_id: r.try_get("id")?,
                reporter_id: r.try_get("reporter_id")?,
                email: r.try_get("email")?,
                place_name: r.try_get("place_name")?,
                problem: r.try_get("problem")?,
            })
        })
        .collect()
}

/// Claims a report's follow-up inside the caller's transaction: true for the one server that
/// sends it (it queues the mail in the same transaction).
pub async fn claim_followup(conn: &mut sqlx::AnyConnection, report_id: i64, now: i64) -> Result<bool, sqlx::Error> {
    let n = sqlx::query("UPDATE map_reports SET followup_sent_at = $1 WHERE id = $2 AND followup_sent_at IS NULL")
        .bind(now)
        .bind(report_id)
        .execute(conn)
        .await?
        .rows_affected();
    Ok(n == 1)
}

/// Claims the reporter's answer inside the caller's transaction: true for the first answer only.
pub async fn claim_followup_answer(
    conn: &mut sqlx::AnyConnection,
    report_id: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let n = sqlx::query(
        "UPDATE map_reports SET followup_answered_at = $1 WHERE id = $2 AND followup_answered_at IS NULL
           AND state = 'answered'",
    )
    .bind(now)
    .bind(report_id)
    .execute(conn)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// What the follow-up page and its answer need of a report.
pub struct FollowupFacts {
    pub place_id: i64,
    pub place_name: String,
    pub problem: String,
    pub description: String,
    pub state: ReportState,
    pub reporter_id: Option<i64>,
    pub answered: bool,
    /// The organisation's address (see `ORG_EMAIL`), empty when it has none.
    pub org_email: String,
}

pub async fn followup_facts(db: &Db, report_id: i64) -> Result<Option<FollowupFacts>, sqlx::Error> {
    let row = sqlx::query(&format!(
        "SELECT r.place_id, p.name AS place_name, r.problem, r.description, r.state, r.reporter_id,
                r.followup_answered_at, {ORG_EMAIL} AS org_email
         FROM map_reports r JOIN map_places p ON p.id = r.place_id LEFT JOIN organisations o ON o.id = p.org_id
         WHERE r.id = $1"
    ))
    .bind(report_id)
    .fetch_optional(&db.pool)
    .await?;
    row.map(|r| {
        Ok(FollowupFacts {
            place_id: r.try_get("place_id")?,
            place_name: r.try_get("place_name")?,
            problem: r.try_get("problem")?,
            description: r.try_get("description")?,
            state: ReportState::parse(&r.try_get::<String, _>("state")?).unwrap_or(ReportState::New),
            reporter_id: r.try_get("reporter_id")?,
            answered: r.try_get::<Option<i64>, _>("followup_answered_at")?.is_some(),
            org_email: r.try_get("org_email")?,
        })
    })
    .transpose()
}
