//! SQL of official requests, and of the role an approval grants.
use super::OfficialRequest;
use crate::orgs::catalogue::db::authority_slug;
use crate::ssr::{now, Db};
use sqlx::Row;

pub async fn official_request_pending(db: &Db, user_id: i64, authority_id: i64) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM official_requests WHERE user_id = $1 AND authority_id = $2 AND status = 'pending'",
    )
    .bind(user_id)
    .bind(authority_id)
    .fetch_one(&db.pool)
    .await?
    .try_get("n")?;
    Ok(n > 0)
}

/// Files a request; false when one is already waiting (the partial unique index decides).
pub async fn create_official_request(
    db: &Db,
    user_id: i64,
    authority_id: i64,
    position: &str,
    work_email: &str,
    message: &str,
    work_token_hash: &str,
) -> Result<bool, sqlx::Error> {
    let r = sqlx::query(
        "INSERT INTO official_requests (user_id, authority_id, position, work_email, message, status, created_at, work_token_hash)
         VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7) ON CONFLICT DO NOTHING",
    )
    .bind(user_id)
    .bind(authority_id)
    .bind(position)
    .bind(work_email)
    .bind(message)
    .bind(now())
    .bind(work_token_hash)
    .execute(&db.pool)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// The link mailed to the work address was followed (once, within two days): the address is proven.
/// Returns the authority's slug.
pub async fn confirm_work_email(db: &Db, token_hash: &str) -> Result<Option<String>, sqlx::Error> {
    let r = sqlx::query(
        "UPDATE official_requests SET work_verified_at = $1, work_token_hash = NULL
         WHERE work_token_hash = $2 AND status = 'pending' AND created_at > $3 RETURNING authority_id",
    )
    .bind(now())
    .bind(token_hash)
    .bind(now() - 2 * 86_400)
    .fetch_optional(&db.pool)
    .await?;
    match r {
        Some(r) => authority_slug(db, r.try_get("authority_id")?).await,
        None => Ok(None),
    }
}

/// The requests waiting for a decision, each with its authority's website (to compare the work
/// address with).
pub async fn pending_official_requests(db: &Db) -> Result<Vec<(OfficialRequest, String)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT q.id, u.display_name, u.email, a.name, a.slug, a.website, q.position, q.work_email, q.message, q.created_at,
                q.work_verified_at
         FROM official_requests q JOIN users u ON u.id = q.user_id JOIN authorities a ON a.id = q.authority_id
         WHERE q.status = 'pending' ORDER BY q.created_at",
    )
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            let work_email: String = r.try_get("work_email")?;
            let website: String = r.try_get("website")?;
            let request = OfficialRequest {
                work_verified: r.try_get::<Option<i64>, _>("work_verified_at")?.is_some(),
                id: r.try_get("id")?,
                user_name: r.try_get("display_name")?,
                user_email: r.try_get("email")?,
                authority_name: r.try_get("name")?,
                authority_slug: r.try_get("slug")?,
                position: r.try_get("position")?,
                domain_matches: false,
                work_email,
                message: r.try_get("message")?,
                created_at: r.try_get("created_at")?,
            };
            Ok((request, website))
        })
        .collect()
}

pub struct OfficialDecision {
    pub email: String,
    pub lang: String,
    pub authority_name: String,
    pub authority_slug: String,
}

/// Decides a pending request once; approval grants the official role for that authority in the same
/// transaction. None when the request is not pending (already decided or unknown).
pub async fn decide_official_request(
    db: &Db,
    id: i64,
    approve: bool,
    note: &str,
    by: i64,
) -> Result<Option<OfficialDecision>, sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    // Approval only once the work address is proven; declining is always possible.
    let r = sqlx::query(
        "UPDATE official_requests SET status = $1, decided_by = $2, decided_at = $3, decision_note = $4
         WHERE id = $5 AND status = 'pending' AND ($1 = 'declined' OR work_verified_at IS NOT NULL)",
    )
    .bind(if approve { "approved" } else { "declined" })
    .bind(by)
    .bind(now())
    .bind(note)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if r.rows_affected() != 1 {
        return Ok(None);
    }
    let row = sqlx::query(
        "SELECT q.user_id, q.authority_id, u.email, u.lang, a.name, a.slug FROM official_requests q
         JOIN users u ON u.id = q.user_id JOIN authorities a ON a.id = q.authority_id WHERE q.id = $1",
    )
    .bind(id)
    .fetch_one(&mut *tx)
    .await?;
    if approve {
        sqlx::query(
            "INSERT INTO roles (user_id, role, scope_id, granted_by, granted_at) VALUES ($1, 'official', $2, $3, $4)
             ON CONFLICT (user_id, role, scope_id) DO NOTHING",
        )
        .bind(row.try_get::<i64, _>("user_id")?)
        .bind(row.try_get::<i64, _>("authority_id")?)
        .bind(by)
        .bind(now())
        .execute(&mut *tx)
        .await?;
    }
    let d = OfficialDecision {
        email: row.try_get("email")?,
        lang: row.try_get("lang")?,
        authority_name: row.try_get("name")?,
        authority_slug: row.try_get("slug")?,
    };
    tx.commit().await?;
    Ok(Some(d))
}

// ---- personal data ("download my data" and deletion, registered in `orgs::personal`) ----

pub async fn personal_requests(db: &Db, p: &crate::ssr::personal::Person) -> Result<serde_json::Value, sqlx::Error> {
    use crate::ssr::personal::{rows, Param};
    rows(
        db,
        "SELECT a.name AS authority, q.position, q.work_email, q.message, q.status, q.decision_note, q.created_at,
                q.work_verified_at, q.decided_at
         FROM official_requests q JOIN authorities a ON a.id = q.authority_id WHERE q.user_id = $1 ORDER BY q.id",
        Param::Id(p.id),
    )
    .await
}

/// Their requests go, pending or decided: the role an approval granted is the account's (and goes
/// with it); decisions they took as an admin stay, from the anonymised account.
pub async fn erase_requests(c: &mut sqlx::AnyConnection, p: &crate::ssr::personal::Person) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM official_requests WHERE user_id = $1").bind(p.id).execute(&mut *c).await?;
    Ok(())
}
