//! SQL of membership: the members and admins (roles scoped to the organisation), join requests,
//! invitations.
use super::{JoinRequest, Member};
use crate::ssr::{now, Db};
use sqlx::Row;

pub async fn members(db: &Db, org_id: i64) -> Result<Vec<Member>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT r.id, r.role, u.display_name FROM roles r JOIN users u ON u.id = r.user_id
         WHERE r.scope_id = $1 AND r.role IN ('org_admin', 'org_member') AND u.deleted_at IS NULL ORDER BY r.role, u.display_name",
    )
    .bind(org_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            let role: String = r.try_get("role")?;
            Ok(Member { role_id: r.try_get("id")?, name: r.try_get("display_name")?, admin: role == "org_admin" })
        })
        .collect()
}

pub async fn join_requests(db: &Db, org_id: i64) -> Result<Vec<JoinRequest>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT j.id, j.message, u.display_name FROM org_join_requests j JOIN users u ON u.id = j.user_id
         WHERE j.org_id = $1 AND j.status = 'pending' ORDER BY j.created_at",
    )
    .bind(org_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(JoinRequest { id: r.try_get("id")?, name: r.try_get("display_name")?, message: r.try_get("message")? })
        })
        .collect()
}

pub async fn has_join_request(db: &Db, org_id: i64, user_id: i64) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM org_join_requests WHERE org_id = $1 AND user_id = $2 AND status = 'pending'",
    )
    .bind(org_id)
    .bind(user_id)
    .fetch_one(&db.pool)
    .await?
    .try_get("n")?;
    Ok(n > 0)
}

/// Files a request to join; true when it is new (the organisation's admins are told only then:
/// asking again updates the message of a pending request, a declined one stays declined for a week).
pub async fn create_join_request(db: &Db, org_id: i64, user_id: i64, message: &str) -> Result<bool, sqlx::Error> {
    let before: Option<String> =
        sqlx::query_scalar("SELECT status FROM org_join_requests WHERE org_id = $1 AND user_id = $2")
            .bind(org_id)
            .bind(user_id)
            .fetch_optional(&db.pool)
            .await?;
    let r = sqlx::query(
        "INSERT INTO org_join_requests (org_id, user_id, message, status, created_at) VALUES ($1, $2, $3, 'pending', $4)
         ON CONFLICT (org_id, user_id) DO UPDATE SET message = excluded.message, status = 'pending', created_at = excluded.created_at
         WHERE org_join_requests.status = 'pending' OR org_join_requests.created_at < $5",
    )
    .bind(org_id)
    .bind(user_id)
    .bind(message)
    .bind(now())
    .bind(now() - 7 * 86_400)
    .execute(&db.pool)
    .await?;
    Ok(r.rows_affected() == 1 && before.as_deref() != Some("pending"))
}

/// Marks a pending request decided; returns the person's id if it was pending for this organisation.
pub async fn decide_join_request(db: &Db, org_id: i64, id: i64, approve: bool) -> Result<Option<i64>, sqlx::Error> {
    let r = sqlx::query(
        "UPDATE org_join_requests SET status = $1, decided_at = $2 WHERE id = $3 AND org_id = $4 AND status = 'pending' RETURNING user_id",
    )
    .bind(if approve { "approved" } else { "declined" })
    .bind(now())
    .bind(id)
    .bind(org_id)
    .fetch_optional(&db.pool)
    .await?;
    r.map(|r| r.try_get("user_id")).transpose()
}

/// The role of a member of this organisation (None when it is not one).
pub async fn member_role(
    conn: &mut sqlx::AnyConnection,
    org_id: i64,
    role_id: i64,
) -> Result<Option<String>, sqlx::Error> {
    let r =
        sqlx::query("SELECT role FROM roles WHERE id = $1 AND scope_id = $2 AND role IN ('org_admin', 'org_member')")
            .bind(role_id)
            .bind(org_id)
            .fetch_optional(conn)
            .await?;
    r.map(|r| r.try_get("role")).transpose()
}

pub async fn admin_count(conn: &mut sqlx::AnyConnection, org_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query("SELECT COUNT(*) AS n FROM roles WHERE scope_id = $1 AND role = 'org_admin'")
        .bind(org_id)
        .fetch_one(conn)
        .await?
        .try_get("n")
}

pub async fn delete_role(conn: &mut sqlx::AnyConnection, role_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM roles WHERE id = $1").bind(role_id).execute(conn).await?;
    Ok(())
}

pub async fn create_invite(
    db: &Db,
    hash: &str,
    org_id: i64,
    email: &str,
    role: &str,
    by: i64,
    expires_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO org_invites (token_hash, org_id, email, role, invited_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(hash)
    .bind(org_id)
    .bind(email)
    .bind(role)
    .bind(by)
    .bind(now())
    .bind(expires_at)
    .execute(&db.pool)
    .await?;
    Ok(())
}

pub struct InviteRow {
    pub org_id: i64,
    pub email: String,
    pub role: String,
    pub expires_at: i64,
    pub accepted_at: Option<i64>,
}

pub async fn invite_by_hash(conn: &mut sqlx::AnyConnection, hash: &str) -> Result<Option<InviteRow>, sqlx::Error> {
    let r = sqlx::query("SELECT org_id, email, role, expires_at, accepted_at FROM org_invites WHERE token_hash = $1")
        .bind(hash)
        .fetch_optional(conn)
        .await?;
    r.map(|r| {
        Ok(InviteRow {
            org_id: r.try_get("org_id")?,
            email: r.try_get("email")?,
            role: r.try_get("role")?,
            expires_at: r.try_get("expires_at")?,
            accepted_at: r.try_get("accepted_at")?,
        })
    })
    .transpose()
}

/// Marks an invitation used; false when it already was (the guard holds under concurrency).
pub async fn accept_invite(conn: &mut sqlx::AnyConnection, hash: &str, now: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE org_invites SET accepted_at = $1 WHERE token_hash = $2 AND accepted_at IS NULL")
        .bind(now)
        .bind(hash)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Addresses and languages of an organisation's admins (for mail about their organisation).
pub async fn admin_contacts(db: &Db, org_id: i64) -> Result<Vec<(String, String)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT u.email, u.lang FROM roles r JOIN users u ON u.id = r.user_id
         WHERE r.scope_id = $1 AND r.role = 'org_admin' AND u.deleted_at IS NULL",
    )
    .bind(org_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(|r| Ok((r.try_get("email")?, r.try_get("lang")?))).collect()
}

// ---- personal data ("download my data" and deletion, registered in `orgs::personal`) ----

use crate::ssr::personal::{rows, Param, Person};

pub async fn personal_join_requests(db: &Db, p: &Person) -> Result<serde_json::Value, sqlx::Error> {
    rows(
        db,
        "SELECT o.name AS organisation, j.message, j.status, j.created_at, j.decided_at
         FROM org_join_requests j JOIN organisations o ON o.id = j.org_id WHERE j.user_id = $1 ORDER BY j.id",
        Param::Id(p.id),
    )
    .await
}

/// Deleted, decided or not: a membership lives in the roles, and the message was theirs.
pub async fn erase_join_requests(c: &mut sqlx::AnyConnection, p: &Person) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM org_join_requests WHERE user_id = $1").bind(p.id).execute(&mut *c).await?;
    Ok(())
}

/// Invitations addressed to the person (not the token).
pub async fn personal_invites(db: &Db, p: &Person) -> Result<serde_json::Value, sqlx::Error> {
    rows(
        db,
        "SELECT o.name AS organisation, i.email, i.role, i.created_at, i.expires_at, i.accepted_at
         FROM org_invites i JOIN organisations o ON o.id = i.org_id WHERE i.email = $1 ORDER BY i.created_at",
        Param::Text(&p.email),
    )
    .await
}

/// Invitations to their address go (an accepted one already became a role); those they sent for
/// an organisation stay, from the anonymised account.
pub async fn erase_invites(c: &mut sqlx::AnyConnection, p: &Person) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM org_invites WHERE email = $1").bind(&p.email).execute(&mut *c).await?;
    Ok(())
}
